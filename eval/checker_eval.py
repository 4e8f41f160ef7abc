"""Checker evaluation: labelled sample reports (expected findings) → precision and recall per
category.

The labels are tests/fixtures/reports/expected.yaml: one key per report (the stem of
src/<stem>.md), each a list of planted defects `{category, subject, ...}`. A finding matches an
expected defect when the categories are equal and one subject contains the other (compared
folded and whitespace-free); each expected defect and each finding is matched at most once.
Precision = matched / findings, recall = matched / expected, per category and overall.

The checker is `checkers.check_report(path, settings=..., index=...)`, found at run time; it
returns a CheckResult whose `.findings` carry `.category` and `.subject` (a plain list of
findings, or dicts with those keys, work too). Without it the evaluation says "unavailable".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from assistant.datafile import parse_yaml
from assistant.textfold import squash
from eval.models import CategoryScore, CheckerEval

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "reports"
Finding = tuple[str, str]  # (category, subject)


def _field(obj, name: str) -> str:
    value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
    return "" if value is None else str(value)


def as_pairs(findings: Iterable) -> list[Finding]:
    if hasattr(findings, "findings"):
        findings = findings.findings
    return [(_field(f, "category"), _field(f, "subject")) for f in findings]


def subjects_match(expected: str, found: str) -> bool:
    a, b = squash(expected), squash(found)
    return bool(a and b) and (a in b or b in a)


def match(expected: list[Finding], found: list[Finding]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching in order: (expected index, found index) pairs."""
    used: set[int] = set()
    pairs = []
    for i, (category, subject) in enumerate(expected):
        for j, (f_category, f_subject) in enumerate(found):
            if j not in used and f_category == category and subjects_match(subject, f_subject):
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def score(name: str, expected: int, found: int, matched: int) -> CategoryScore:
    return CategoryScore(category=name, expected=expected, found=found, matched=matched,
                         precision=matched / found if found else None,
                         recall=matched / expected if expected else None)


def evaluate_findings(labels: dict[str, list[Finding]], results: dict[str, list[Finding]],
                      note: str = "") -> CheckerEval:
    counts: dict[str, list[int]] = {}  # category -> [expected, found, matched]
    misses, extras = [], []
    for report, expected in labels.items():
        found = results.get(report, [])
        pairs = match(expected, found)
        hit_e, hit_f = {i for i, _ in pairs}, {j for _, j in pairs}
        for i, (category, subject) in enumerate(expected):
            counts.setdefault(category, [0, 0, 0])[0] += 1
            if i in hit_e:
                counts[category][2] += 1
            else:
                misses.append(f"{report}: {category}/{subject}")
        for j, (category, subject) in enumerate(found):
            counts.setdefault(category, [0, 0, 0])[1] += 1
            if j not in hit_f:
                extras.append(f"{report}: {category}/{subject}")
    categories = [score(c, *v) for c, v in sorted(counts.items())]
    total = [sum(v[i] for v in counts.values()) for i in range(3)]
    return CheckerEval(status="ok", note=note, reports=len(labels), categories=categories,
                       overall=score("overall", *total), misses=misses, extras=extras)


def load_labels(fixtures: Path = FIXTURES) -> dict[str, list[Finding]]:
    data = parse_yaml((fixtures / "expected.yaml").read_text("utf-8")) or {}
    return {name: [(str(d["category"]), str(d.get("subject", ""))) for d in (entries or [])]
            for name, entries in data.items()}


def evaluate_checkers(fixtures: Path = FIXTURES, check: Callable | None = None) -> CheckerEval:
    if not (fixtures / "expected.yaml").is_file():
        return CheckerEval(status="unavailable", note=f"no labels at {fixtures}/expected.yaml")
    if check is None:
        from checkers import check_report as check
    labels = load_labels(fixtures)
    results = {}
    for name in labels:
        source = fixtures / "src" / f"{name}.md"
        if not source.is_file():
            return CheckerEval(status="unavailable", note=f"labelled report missing: {source}")
        results[name] = as_pairs(check(source))
    return evaluate_findings(labels, results, note="matched on category + subject")
