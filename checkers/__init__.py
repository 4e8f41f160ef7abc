"""cpaudit checkers: pre-review of cleaner-production audit reports (清洁生产审核报告)."""

from checkers.engine import check_report

__all__ = ["check_report"]
