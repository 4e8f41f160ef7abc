"""Test-support helpers shared by the cpaudit test suite."""
