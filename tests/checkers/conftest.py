"""Fixtures for the report checkers: the sample reports in every format and their ground truth.

The sample reports are written in Markdown (tests/fixtures/reports/src/) and rendered into
DOCX, PDF and GB18030 TXT by scripts/make_report_fixtures.py (committed under generated/).
tests/fixtures/reports/expected.yaml lists the exact defects of each report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
SOURCES = REPORTS / "src"
GENERATED = REPORTS / "generated"


def report_path(name: str, fmt: str) -> Path:
    return SOURCES / f"{name}.md" if fmt == "md" else GENERATED / f"{name}.{fmt}"


@pytest.fixture
def run(settings, index, tmp_path):
    """check_report on a built report given as Markdown text (or under another file name)."""
    from checkers import check_report

    def check(text: str, name: str = "report.md"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return check_report(path, settings=settings, index=index)
    return check


@pytest.fixture(scope="session")
def expected() -> dict[str, list[dict]]:
    return yaml.safe_load((REPORTS / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def checked(index):
    """check_report on a sample report in a format, run once per session."""
    from checkers import check_report

    cache = {}

    def run(name: str, fmt: str):
        if (name, fmt) not in cache:
            cache[name, fmt] = check_report(report_path(name, fmt), index=index)
        return cache[name, fmt]

    return run


@pytest.fixture
def server_rules(tmp_path, monkeypatch) -> Path:
    """A copy of the rule pack that the CLI and check_report use by default (the operator's
    checkers/rules/), for tests that break or edit it."""
    from checkers import rules

    copy = tmp_path / "rules"
    shutil.copytree(rules.RULES_DIR, copy)
    monkeypatch.setattr(rules, "RULES_DIR", copy)
    return copy
