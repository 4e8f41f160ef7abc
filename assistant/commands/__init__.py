"""CLI subcommands of cpaudit, one module each."""
