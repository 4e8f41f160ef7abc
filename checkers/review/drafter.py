"""The deterministic drafter (default, no LLM): findings → numbered issues in reviewer prose.

Findings are grouped by topic (templates.yaml), merged when they say the same thing at several
places, ordered by severity, and worded from their own messages, subjects and locations. Report
text is never interpreted: it only reaches the draft inside a finding's message or location.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from assistant.models import Citation, QuotedPassage
from assistant.retrieve import SearchIndex
from checkers.findings import CheckResult, Finding
from checkers.render import location_text, place_text
from checkers.review.models import FindingRef, ReviewIssue
from checkers.review.passages import basis_key, citation, complete_basis
from checkers.review.templates import RuleTemplate, templates
from checkers.rules import CATEGORIES, SEVERITIES

_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_WHERE, _PLACE = "\x01", "\x02"  # placeholders while merging places


@dataclass
class Prepared:
    """What both drafters start from: the findings with ids, their citations, the issues."""

    findings: list[Finding]
    refs: list[FindingRef]
    citations: list[Citation]
    issues: list[ReviewIssue]  # worded by the templates

    def finding(self, fid: str) -> Finding:
        return self.findings[int(fid[1:]) - 1]


def prepare(result: CheckResult, index: SearchIndex | None = None) -> Prepared:
    findings = result.findings
    bases = [complete_basis(f, index) for f in findings]
    ids = [f"F{i}" for i in range(1, len(findings) + 1)]
    groups = _group(findings)
    # citations are numbered in the order the issues first cite them
    numbers: dict[tuple, int] = {}
    citations: list[Citation] = []
    of_finding: list[int | None] = [None] * len(findings)
    for members in groups:
        for i in members:
            key = basis_key(bases[i]) if _rule(findings[i].rule_id).cite else None
            if key is None:
                continue
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                citations.append(citation(numbers[key], bases[i]))
            of_finding[i] = numbers[key]
    issues = []
    for n, members in enumerate(groups, start=1):
        chosen = [findings[i] for i in members]
        issues.append(ReviewIssue(
            id=f"I{n}", finding_ids=[ids[i] for i in members],
            category=chosen[0].category,
            severity=min((f.severity for f in chosen), key=_SEVERITY_RANK.__getitem__),
            text=issue_text(chosen, bases=[bases[i] for i in members]),
            suggestion=issue_suggestion(chosen),
            citations=sorted({of_finding[i] for i in members if of_finding[i] is not None}),
        ))
    refs = [FindingRef(id=ids[i], rule_id=f.rule_id, category=f.category, severity=f.severity,
                       subject=f.subject, message=f.message, where=location_text(f.location),
                       citation=of_finding[i]) for i, f in enumerate(findings)]
    return Prepared(findings, refs, citations, issues)


def _group(findings: list[Finding]) -> list[list[int]]:
    """Finding indexes per issue, issues ordered by severity, then topic, then check order."""
    t = templates()
    group_of = {rule: n for n, g in enumerate(t.groups) for rule in g.rules}
    buckets: dict[object, list[int]] = {}
    for i, f in enumerate(findings):
        buckets.setdefault(group_of.get(f.rule_id, f.rule_id), []).append(i)

    def rank(key_members: tuple[object, list[int]]) -> tuple:
        key, members = key_members
        worst = min(_SEVERITY_RANK[findings[i].severity] for i in members)
        topic = key if isinstance(key, int) else len(t.groups) + CATEGORIES.index(
            findings[members[0]].category)
        return worst, topic, members[0]

    return [members for _, members in sorted(buckets.items(), key=rank)]


def _lead(finding: Finding) -> str:
    t = templates()
    for g in t.groups:
        if finding.rule_id in g.rules:
            return g.lead
    return t.category_leads.get(finding.category, "")


def _rule(rule_id: str) -> RuleTemplate:
    return templates().rule(rule_id)


def issue_text(findings: list[Finding], bases: list[QuotedPassage] | None = None) -> str:
    """Lead：sentence；sentence。 — findings of a rule worded alike are merged, their places
    joined; a place repeated by the next sentence is not repeated."""
    bases = bases or [f.basis for f in findings]
    merged: dict[str, list[str]] = {}  # sentence with placeholders → places
    for rule_id, members in _by_rule(findings, bases).items():
        spec = _rule(rule_id).sentence
        for finding, basis in members:
            fields = _fields(finding, basis, [m[0] for m in members])
            body = _fill(spec, {**fields, "where": _WHERE, "place": _PLACE}) if fields["place"] \
                else _fill(spec, fields)
            places = merged.setdefault(body, [])
            if fields["place"] and fields["place"] not in places:
                places.append(fields["place"])
    sentences, previous = [], None
    for body, places in merged.items():
        place = "、".join(places)
        if body.startswith(_WHERE):
            body = body[1:] if place == previous else f"{place}中，{body[1:]}"
            previous = place
        else:
            previous = None
        sentences.append(body.replace(_WHERE, f"{place}中，").replace(_PLACE, place))
    text = "；".join(dict.fromkeys(s for s in sentences if s))
    return f"{_lead(findings[0])}：{text}。"


def issue_suggestion(findings: list[Finding]) -> str:
    """One clause per rule; clauses with the same verb merged: 核实并更正A、B和C。"""
    parts: dict[str, list[str]] = {}  # verb ("" = a whole clause) → objects
    for rule_id, members in _by_rule(findings, [f.basis for f in findings]).items():
        chosen = [m[0] for m in members]
        fields = _fields(chosen[0], chosen[0].basis, chosen)
        spec = _rule(rule_id).suggestion
        if not isinstance(spec, str):
            parts.setdefault(spec.verb, []).append(_fill([spec.object], fields))
        else:
            parts.setdefault(_fill([spec], fields), [])
    clauses = [verb + _join(list(dict.fromkeys(objects))) for verb, objects in parts.items()]
    return "；".join(c for c in clauses if c) + "。"


def _join(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def _by_rule(findings: list[Finding], bases: list[QuotedPassage]) -> dict[str, list[tuple[Finding, QuotedPassage]]]:
    out: dict[str, list[tuple[Finding, QuotedPassage]]] = {}
    for f, b in zip(findings, bases, strict=True):
        out.setdefault(f.rule_id, []).append((f, b))
    return out


def _fields(finding: Finding, basis: QuotedPassage, same_rule: list[Finding]) -> dict[str, str]:
    subjects = list(dict.fromkeys(f.subject for f in same_rule if f.subject))
    places = list(dict.fromkeys(p for f in same_rule if (p := place_text(f.location))))
    place = place_text(finding.location)
    return {
        "message": _clean(finding.message), "subject": finding.subject,
        "where": f"{place}中，" if place else "", "place": place,
        "subjects": "、".join(subjects), "subjects_q": "、".join(f"“{s}”" for s in subjects),
        "subjects_b": "、".join(f"《{s}》" for s in subjects), "places": "、".join(places),
        "title": basis.title or "",
    }


def _fill(alternatives: list[str], fields: dict[str, str]) -> str:
    """The first alternative whose variables are all non-empty."""
    for alt in alternatives:
        names = [name for _, name, _, _ in string.Formatter().parse(alt) if name]
        if all(fields.get(name) for name in names):
            return alt.format(**fields)
    return fields["message"]


def _clean(message: str) -> str:
    return message.strip().rstrip("。；;.").replace("；", "，")


