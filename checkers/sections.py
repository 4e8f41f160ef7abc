"""Required sections: the seven audit phases (either naming system), their order, and the key
contents within them. Missing is an error; out of order or only a stub is a warning."""

from __future__ import annotations

import re
from itertools import combinations

from assistant.textfold import compare_key
from checkers.findings import Hit
from checkers.report import Heading, Location, Report
from checkers.rules import Config

_TRAILING = re.compile(r"(阶段|工作)$")


def _title(heading: Heading) -> str:
    return _TRAILING.sub("", compare_key(heading.title))


def find_phases(report: Report, config: Config) -> dict[str, int]:
    """Phase name → index of its heading (the shallowest, then the first)."""
    found: dict[str, int] = {}
    for i, heading in enumerate(report.headings):
        title = _title(heading)
        for phase in config.sections.phases:
            if title in {compare_key(a) for a in phase.aliases}:
                best = found.get(phase.name)
                if best is None or heading.depth < report.headings[best].depth:
                    found[phase.name] = i
    return found


def check_sections(report: Report, config: Config) -> list[Hit]:
    if not report.headings:
        return [Hit("FMT-NO-HEADINGS", "章节标题", Location(), report.text()[:120])]
    phases = config.sections.phases
    names = [p.name for p in phases]
    found = find_phases(report, config)
    hits = _order_hits(report, names, found)
    minimum = config.thresholds.phase_min_chars
    for n, phase in enumerate(phases):
        name = phase.name
        if name in found:
            heading = report.headings[found[name]]
            chars = report.body_chars(found[name])
            if chars < minimum:
                hits.append(Hit("SEC-PHASE-STUB", name, heading.location, heading.text,
                                {"heading": heading.text, "chars": chars}))
            continue
        previous = next((found[p] for p in reversed(names[:n]) if p in found), None)
        location, between = _gap(report, previous, next((found[p] for p in names[n + 1:]
                                                         if p in found), None))
        other = [a for a in phase.aliases if a != name][:1]
        hits.append(Hit("SEC-PHASE-MISSING", name, location, between.strip("（）"),
                        {"aliases": f"（又称“{other[0]}”）" if other else "", "between": between}))
    hits += _content_hits(report, config, found)
    return hits


def _order_hits(report: Report, names: list[str], found: dict[str, int]) -> list[Hit]:
    """Phases outside the longest in-order run; ties keep the earlier phases in place."""
    present = sorted(found, key=lambda name: report.headings[found[name]].order)
    ranks = [names.index(name) for name in present]
    keep: tuple[int, ...] = ()
    for size in range(len(ranks), 0, -1):
        runs = [c for c in combinations(range(len(ranks)), size)
                if all(ranks[a] < ranks[b] for a, b in zip(c, c[1:], strict=False))]
        if runs:
            keep = min(runs, key=lambda c: [ranks[i] for i in c])
            break
    hits = []
    for i, name in enumerate(present):
        if i in keep:
            continue
        heading = report.headings[found[name]]
        later = [present[j] for j in range(i + 1, len(present)) if ranks[j] < ranks[i]]
        hits.append(Hit("SEC-PHASE-ORDER", name, heading.location, heading.text,
                        {"heading": heading.text, "before": "”“".join(later)}))
    return hits


def _gap(report: Report, previous: int | None, following: int | None) -> tuple[Location, str]:
    """Where a missing phase belongs: after its predecessor's chapter."""
    if previous is not None:
        prev = report.headings[previous]
        nxt = next((h for h in report.headings if h.order == prev.end), None)
        if nxt is not None:
            return nxt.location, f"（应位于“{prev.text}”与“{nxt.text}”之间）"
        return prev.location, f"（应位于“{prev.text}”之后）"
    if following is not None:
        nxt = report.headings[following]
        return nxt.location, f"（应位于“{nxt.text}”之前）"
    return Location(), ""


def _content_hits(report: Report, config: Config, found: dict[str, int]) -> list[Hit]:
    hits = []
    t = config.thresholds
    for content in config.sections.contents:
        name, phase = content.name, content.phase
        if not content.required and name not in config.required_contents:
            continue
        if phase not in found:
            continue  # the missing phase is the finding; its contents are not listed again
        aliases = [compare_key(a) for a in content.aliases]
        matches = [i for i, h in enumerate(report.headings) if any(a in _title(h) for a in aliases)]
        parent = report.headings[found[phase]]
        matches.sort(key=lambda i: (not parent.order < report.headings[i].order < parent.end,
                                    report.headings[i].order))
        if not matches:
            if content.caption_ok and any(
                    any(a in compare_key(tb.caption or "") for a in aliases) for tb in report.tables):
                continue
            hits.append(Hit("SEC-CONTENT-MISSING", name, parent.location, parent.text,
                            {"phase": phase}))
            continue
        heading = report.headings[matches[0]]
        chars = report.body_chars(matches[0])
        has_table = bool(report.within(matches[0])[1])
        stub = chars < t.content_min_chars or (
            content.balance and not has_table and chars < t.balance_min_chars)
        if stub:
            paragraphs = report.within(matches[0])[0]
            evidence = heading.text + (" " + paragraphs[0].text if paragraphs else "")
            hits.append(Hit("SEC-CONTENT-STUB", name, heading.location, evidence, {
                "heading": heading.text, "chars": chars,
                "table_note": "，无数据表" if content.balance and not has_table else ""}))
    return hits
