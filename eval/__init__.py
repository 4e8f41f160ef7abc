"""cpaudit eval package."""
