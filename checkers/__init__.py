"""cpaudit checkers package."""
