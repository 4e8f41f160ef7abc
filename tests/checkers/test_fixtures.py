"""Each sample report, in each format, gives exactly the findings of expected.yaml."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
FORMATS = ("md", "docx", "pdf", "txt")

NAMES = sorted(yaml.safe_load((REPORTS / "expected.yaml").read_text(encoding="utf-8")))
CASES = [(name, fmt) for name in NAMES for fmt in FORMATS]


def _key(item) -> tuple[str, str, str]:
    if isinstance(item, dict):
        return item["category"], item["severity"], item["subject"]
    return item.category, item.severity, item.subject


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}.{f}" for n, f in CASES])
def test_exact_findings(name, fmt, checked, expected):
    result = checked(name, fmt)
    got = Counter(_key(f) for f in result.findings)
    want = Counter(_key(e) for e in expected[name])
    assert got == want, "\n".join(f"{f.rule_id} {f.subject}: {f.message}" for f in result.findings)


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}.{f}" for n, f in CASES])
def test_findings_are_located_and_founded(name, fmt, checked, expected):
    result = checked(name, fmt)
    for entry in expected[name]:
        matches = [f for f in result.findings if _key(f) == _key(entry)]
        # The finding points at the heading (and table) the ground truth names.
        assert any(f.location.heading_path and _squash(f.location.heading_path[-1])
                   in _squash(entry["where"]) for f in matches), (entry, matches)
    for f in result.findings:
        assert f.rule_id and f.message and f.subject
        assert f.location.heading_path or f.location.line is not None
        if fmt == "pdf":
            assert f.location.page is not None
        assert f.basis.quote or f.basis.source, f
        if f.basis.doc_id:
            assert f.basis.title and (f.basis.article or f.basis.section)


@pytest.mark.parametrize("name", ["complete-ceramics", "complete-dyeing-system-b"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_complete_reports_pass(name, fmt, checked):
    result = checked(name, fmt)
    assert result.summary.by_severity == {"error": 0, "warning": 0, "info": 0}
    assert result.verdict == "可提交"


def test_done_when_scenario(checked):
    """Missing feasibility chapter, EHS-led team without finance, NOx without after-value,
    SO2 reduction ≠ before − after, 清洁生产促进法 第五十二条: each a separate finding."""
    result = checked("done-when", "pdf")
    by_rule = {(f.rule_id, f.subject): f for f in result.findings}
    assert set(by_rule) == {
        ("SEC-PHASE-MISSING", "可行性分析"), ("TEAM-LEADER-NOT-PRINCIPAL", "组长"),
        ("TEAM-ROLE-UNCOVERED", "财务"), ("IND-VALUE-MISSING", "氮氧化物"),
        ("CON-REDUCTION", "二氧化硫"), ("CIT-ARTICLE-INVALID", "第五十二条"),
    }
    team = by_rule["TEAM-LEADER-NOT-PRINCIPAL", "组长"]
    assert team.basis.doc_id == "gz-action-plan" and "主要领导人担任组长" in team.basis.quote
    assert team.location.table == "表1-1 清洁生产审核小组成员" and "安环部经理" in team.evidence
    nox = by_rule["IND-VALUE-MISSING", "氮氧化物"]
    assert nox.location.table == "表5-1 审核前后主要指标对比" and nox.location.page == 7
    so2 = by_rule["CON-REDUCTION", "二氧化硫"]
    assert "4.6" in so2.message and "3.6" in so2.message
    article = by_rule["CIT-ARTICLE-INVALID", "第五十二条"]
    assert article.basis.article == "第四十条" and "40" in article.message
    assert result.verdict == "需重大修改"


def test_findings_are_ordered(checked):
    rank = {"error": 0, "warning": 1, "info": 2}
    for name in ("defect-consistency", "done-when", "defect-citations"):
        severities = [rank[f.severity] for f in checked(name, "md").findings]
        assert severities == sorted(severities)


def test_same_findings_in_every_format(checked):
    for name in NAMES:
        runs = [[(f.rule_id, f.subject, f.message) for f in checked(name, fmt).findings]
                for fmt in FORMATS]
        assert all(run == runs[0] for run in runs), name
