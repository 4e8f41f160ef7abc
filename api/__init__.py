"""cpaudit api package."""
