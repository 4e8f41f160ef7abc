"""Findings, their summary and the readiness verdict: what `cpaudit check` hands back.

A check yields `Hit`s (rule id, subject, location, evidence, message fields); `make_findings`
turns them into `Finding`s with the rule's (profile-adjusted) severity, its message and its
resolved basis, drops switched-off rules and sorts them deterministically.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from assistant.models import QuotedPassage, Strict
from checkers.report import Location
from checkers.rules import (
    CATEGORIES,
    COUNT_KEYS,
    SEVERITIES,
    Category,
    Config,
    Severity,
    VerdictRule,
)


class Finding(Strict):
    rule_id: str
    category: Category
    severity: Severity
    subject: str
    message: str
    location: Location
    evidence: str
    basis: QuotedPassage  # the rule's policy basis, quoted from the corpus or a named source


class Summary(Strict):
    total: int
    by_severity: dict[str, int]
    by_category: dict[str, dict[str, int]]  # category → severity → count


class ReportInfo(Strict):
    name: str
    format: str
    title: str | None
    industry: str  # profile name
    industry_title: str
    industry_detected: bool  # True when --industry auto chose it
    industry_reason: str = ""  # "封面“行业类别”：电镀×1", or "--industry"
    profiles: list[str]
    pages: int | None
    headings: int
    tables: int


class CheckResult(Strict):
    verdict: str
    verdict_reason: str
    summary: Summary
    findings: list[Finding]
    report: ReportInfo


@dataclass
class Hit:
    rule_id: str
    subject: str
    location: Location
    evidence: str = ""
    fields: dict[str, object] = field(default_factory=dict)
    basis: QuotedPassage | None = None  # a basis of its own (e.g. the cited document), else the rule's
    # Why the check is not certain ("方向按指标名称判断"): an error-level rule then reports a
    # warning that says so (checkers/README.md, "Errors rest on what the checker knows").
    unsure: str = ""


_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_CATEGORY_RANK = {c: i for i, c in enumerate(CATEGORIES)}


def make_findings(hits: list[Hit], config: Config,
                  resolve: Callable[[str], QuotedPassage]) -> list[Finding]:
    findings, seen = [], set()
    for hit in hits:
        rule = config.rules[hit.rule_id]
        if not rule.enabled:
            continue
        message = rule.message.format(subject=hit.subject, **hit.fields)
        severity = rule.severity
        if hit.unsure and severity == "error":
            severity = "warning"
            message = f"{message.rstrip('。')}（{hit.unsure}，请核实）。"
        key = (hit.rule_id, hit.subject, message, hit.location.table, hit.location.line)
        if key in seen:
            continue
        seen.add(key)
        findings.append(Finding(
            rule_id=rule.id, category=rule.category, severity=severity,
            subject=hit.subject, message=message, location=hit.location,
            evidence=_clip(hit.evidence), basis=hit.basis or resolve(rule.id),
        ))
    return sorted(findings, key=_order)


def _order(f: Finding) -> tuple:
    loc = f.location
    return (_SEVERITY_RANK[f.severity], _CATEGORY_RANK[f.category], loc.page or 0,
            loc.line or 0, loc.row or 0, f.rule_id, f.subject)


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summarize(findings: list[Finding]) -> Summary:
    by_severity = {s: 0 for s in SEVERITIES}
    by_category = {c: {s: 0 for s in SEVERITIES} for c in CATEGORIES}
    for f in findings:
        by_severity[f.severity] += 1
        by_category[f.category][f.severity] += 1
    return Summary(total=len(findings), by_severity=by_severity, by_category=by_category)


def verdict(findings: Iterable[tuple[str, str, str]], rules: list[VerdictRule],
            default: str) -> tuple[str, str]:
    """(verdict, reason) of the first rule whose conditions all hold, else (default, "").

    The one evaluator of verdict tables: the check's (base.yaml) and the review's
    (review/verdict.yaml). `findings`: (rule_id, category, severity) of each finding counted.
    """
    findings = list(findings)
    counts = Counter()
    for _, category, severity in findings:
        counts[severity, ""] += 1
        counts[severity, category] += 1
    rule_ids = {rule_id for rule_id, _, _ in findings}
    error_ids = {rule_id for rule_id, _, severity in findings if severity == "error"}
    for rule in rules:
        if all(_holds(key, value, counts, rule_ids, error_ids) for key, value in rule.when.items()):
            return rule.verdict, rule.reason
    return default, ""


def _holds(key: str, value: int | list[str], counts: Counter, rule_ids: set[str],
           error_ids: set[str]) -> bool:
    if key == "any_rule":
        return bool(rule_ids & set(value))
    if key == "any_error":  # an error of one of these rules: certain, not a warning
        return bool(error_ids & set(value))
    kind, _, category = key.partition(".")  # VerdictRule allows no other keys
    return counts[COUNT_KEYS[kind], category] >= value
