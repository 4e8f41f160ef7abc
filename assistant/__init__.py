"""cpaudit (清洁生产审核助手): corpus loading, retrieval and cited answers."""

__version__ = "0.1.0"
