"""Required sections: the seven audit phases (either naming system), their order, and the key
contents within them. Missing is an error; merged into another chapter, out of order or only a
stub is a warning."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations

from assistant.textfold import compare_key
from checkers.findings import Hit
from checkers.report import Heading, Location, Report
from checkers.rules import Config, load_pack

_TRAILING = re.compile(r"(阶段|工作)$")
# Function words a title may add or drop: "方案的产生与筛选" = "方案产生和筛选", "方案的可行性分析"
# = "方案可行性分析".
_FUNCTION_WORDS = re.compile(r"[的和与及、/]")
_FIGURE = re.compile(r"\d")
_SUBSTANTIVE = 40  # characters: a paragraph that names a content with figures shows it
# "附件3  熔窑热平衡测试报告": an annex the report lists (a 验收稿's 附件 list) shows the content
# it names, however short the line
_ANNEX = re.compile(r"^附[件表图录][\d一二三四五六七八九十]+")


# "预审核（预评估）", "审核（评估）阶段": the other naming system's name (or a gloss) in brackets
# after the phase's own — the title names the phase before its brackets
_ASIDE = re.compile(r"(?<=.)\([^()]{1,12}\)$")


def phase_key(text: str) -> str:
    key = _TRAILING.sub("", compare_key(text))
    return _FUNCTION_WORDS.sub("", _TRAILING.sub("", _ASIDE.sub("", key)))


def _title(heading: Heading) -> str:
    return _TRAILING.sub("", compare_key(heading.title))


# "技术与环境评估", "技术、环境和经济评估": one heading for several analyses of one kind
_COORDINATED = re.compile(r"^(?P<head>.+?)(?P<tail>可行性分析|可行性评估|评估|分析|评价)$")
_AND = re.compile(r"[与和及、/]")


def _titles(heading: Heading) -> list[str]:
    """A heading's title, and each analysis a coordinated title names ("技术与环境评估" →
    技术评估, 环境评估)."""
    title = _title(heading)
    m = _COORDINATED.match(title)
    parts = _AND.split(m.group("head")) if m else []
    return [title] + [p + m.group("tail") for p in parts if p] if len(parts) > 1 else [title]


# "进行了技术、环境和经济评估": the analyses a sentence names together
_LISTED = re.compile(r"((?:[\u4e00-\u9fff]{1,6}[、与和及])+[\u4e00-\u9fff]{1,6}?)"
                     r"(可行性分析|可行性评估|评估|分析|评价)")


def spelled_out(text: str) -> str:
    """The text, followed by each analysis a coordinated phrase names on its own ("技术、环境和
    经济评估" adds 技术评估 环境评估 经济评估)."""
    extra = [part + m.group(2) for m in _LISTED.finditer(text)
             for part in _AND.split(m.group(1)) if part]
    return text + (" " + " ".join(extra) if extra else "")


def _names_heading(names: re.Pattern, heading: Heading) -> bool:
    return any(names.search(t) for t in _titles(heading))


_MAX_TAIL = 4  # "持续清洁生产计划", "方案实施及效果": a chapter title may add a short tail
# Inside a title only a name of 4+ characters counts: "评估" sits inside "预评估", "审核" inside
# almost every title.
_MIN_INNER, _MAX_FRAME = 4, 6
_LABEL_MARKS = (":", "-", "—", "─")


def find_phases(report: Report, config: Config) -> dict[str, int]:
    """Phase name → index of its heading (the shallowest, then the first). A heading names a
    phase exactly; failing that, a chapter that starts with a phase's name and adds a short
    tail does — unless the chapter is exactly another phase ("审核准备" is not "审核") — or one
    that holds a long phase name in a short frame, or any heading labelled "阶段：…"."""
    aliases = {p.name: [phase_key(a) for a in p.aliases] for p in config.sections.phases}
    keys = [phase_key(h.title) for h in report.headings]
    exact = {k for names in aliases.values() for k in names}
    found: dict[str, int] = {}
    for name, names in aliases.items():
        hits = [i for i, k in enumerate(keys) if k in names]
        if not hits:
            hits = [i for i, k in enumerate(keys) if report.headings[i].depth == 1 and k not in exact
                    and any(k.startswith(a) and len(k) - len(a) <= _MAX_TAIL for a in names)]
        if not hits:  # "清洁生产审核准备": a long name inside a chapter title, with a short frame
            hits = [i for i, k in enumerate(keys) if report.headings[i].depth == 1 and k not in exact
                    and any(len(a) >= _MIN_INNER and a in k and len(k) - len(a) <= _MAX_FRAME
                            for a in names)]
        if not hits:  # "1.3 预审核：企业概况和生产现状": a section that says which phase it is
            hits = [i for i, k in enumerate(keys)
                    if any(k.startswith(a) and k[len(a):len(a) + 1] in _LABEL_MARKS for a in names)]
        if hits:
            found[name] = min(hits, key=lambda i: (report.headings[i].depth, i))
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
        shown = _phase_shown(report, config, name)
        if shown:  # merged into another chapter: its work is there, its heading is not
            hits.append(Hit("SEC-PHASE-MERGED", name, location, shown, {"evidence": shown}))
            continue
        other = [a for a in phase.aliases if a != name][:1]
        named = _phase_named(report, phase.aliases, config, found, previous,
                             next((found[p] for p in names[n + 1:] if p in found), None))
        hits.append(Hit("SEC-PHASE-MISSING", name, location, between.strip("（）"),
                        {"aliases": f"（又称“{other[0]}”）" if other else "", "between": between,
                         "looked_for": "、".join(phase.aliases[:4])},
                        unsure=f"未识别的章节“{named}”可能即是该阶段" if named else ""))
    hits += _content_hits(report, config, found)
    return hits


def _phase_named(report: Report, aliases: list[str], config: Config, found: dict[str, int],
                 previous: int | None, following: int | None) -> str:
    """Evidence that the phase may be there under a title not recognised, so its absence is
    not certain: a heading of any depth that names it (a name of 4+ characters: "评估" and
    "审核" are in every title), or an unrecognised chapter in its place — after the previous
    phase's chapter, before the next one's. A sentence listing the seven phases is not such
    evidence. The heading, or ""."""
    names = _names(tuple(a for a in aliases if len(compare_key(a)) >= _MIN_INNER))
    if names.pattern != r"(?!)":
        heading = next((h for h in report.headings if names.search(compare_key(h.title))), None)
        if heading is not None:
            return heading.text
    start = report.headings[previous].end if previous is not None else -1
    stop = report.headings[following].order if following is not None else None
    phases = set(found.values())
    framing = {compare_key(w) for w in load_pack().report.unnumbered_headings}  # 前言, 结论 …
    return next((h.text for i, h in enumerate(report.headings)
                 if h.depth == 1 and i not in phases and h.order >= start
                 and (stop is None or h.order < stop) and h.marker
                 and compare_key(h.title) not in framing), "")


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
    for content in config.sections.contents:
        name, phase = content.name, content.phase
        if name in config.skip_contents:
            continue
        if not content.required and name not in config.required_contents:
            continue
        if phase not in found:
            continue  # the missing phase is the finding; its contents are not listed again
        parent = report.headings[found[phase]]
        names = _names(tuple(content.aliases), tuple(content.patterns))
        matches = [i for i, h in enumerate(report.headings) if _names_heading(names, h)]
        if matches:
            matches.sort(key=lambda i: (not parent.order < report.headings[i].order < parent.end,
                                        report.headings[i].order))
            hits += _stub_hits(report, config, content, matches[0])
            continue
        if _shown_elsewhere(report, names, [compare_key(v) for v in content.values],
                            _names(tuple(content.aliases))):
            continue
        chapter = _chapter(report, found[phase])
        if _named_in_chapter(chapter, _names(tuple(content.aliases))):
            continue
        # related wording counts only inside the phase's own chapter
        weak = _shown_elsewhere(chapter, _names(tuple(content.related)), [])
        if weak:
            hits.append(Hit("SEC-CONTENT-WEAK", name, parent.location, weak, {"evidence": f"“{weak}”"}))
            continue
        # asked of every enterprise: an error; asked only by the industry profile (a hotel's
        # energy balance), whose industry may itself be a guess: a warning
        rule = "SEC-CONTENT-MISSING" if content.required else "SEC-CONTENT-EXPECTED"
        # a balance asked of industry (物料平衡): certain only when the report was recognised
        # as an enterprise of some industry (a service unit balances water and energy instead)
        unsure = "未能识别报告所属行业，服务业单位不要求该项" \
            if content.balance and config.industry.name == "general" else ""
        if name in config.industry.unsure_contents:  # the industry's own balance is another
            others = [c for c in config.required_contents if c != name]
            unsure = f"“{config.industry.title}”类企业通常以{'、'.join(others) or '其他平衡'}为主，不一定有该项"
        hits.append(Hit(rule, name, parent.location, parent.text,
                        {"phase": phase, "looked_for": "、".join(content.aliases[:4]),
                         "industry": config.industry.title}, unsure=unsure))
    return hits


def _phase_shown(report: Report, config: Config, phase: str) -> str:
    """A phase without a chapter of its own is still shown by a heading or a table of one of
    its key contents ("物料平衡" under "预评估与评估"). The evidence, or ""."""
    for content in config.sections.contents:
        if content.phase != phase or content.name in config.skip_contents:
            continue
        names = _names(tuple(content.aliases), tuple(content.patterns))
        heading = next((h for h in report.headings if _names_heading(names, h)), None)
        if heading is not None:
            return f"“{heading.text}”"
        shown = _shown_elsewhere(report.model_copy(update={"paragraphs": []}), names,
                                 [compare_key(v) for v in content.values])
        if shown:
            return f"“{shown}”"
    return ""


def _chapter(report: Report, heading: int) -> Report:
    """The report cut down to one heading's subtree (its paragraphs and tables)."""
    paragraphs, tables = report.within(heading)
    return report.model_copy(update={"paragraphs": paragraphs, "tables": tables})


@lru_cache(maxsize=256)
def _names(words: tuple[str, ...], patterns: tuple[str, ...] = ()) -> re.Pattern:
    """One pattern for what names a content: its words (compared as compare_key) or its
    patterns ("甲苯平衡": a balance of one substance is a material balance)."""
    parts = [re.escape(compare_key(w)) for w in words] + list(patterns)
    return re.compile("|".join(parts) if parts else r"(?!)")


def _named_in_chapter(chapter: Report, aliases: re.Pattern) -> bool:
    """Inside its phase's own chapter, a substantive paragraph that names the content by one of
    its own names is the content, figures or not: a plan is words ("下一轮计划实施宿舍区空调更换…"
    under 第8章 持续清洁生产), and the chapter says where it belongs."""
    return any(len(text := spelled_out(compare_key(p.text))) >= _SUBSTANTIVE
               and aliases.search(text) for p in chapter.paragraphs)


def _shown_elsewhere(report: Report, names: re.Pattern, values: list[str],
                    prose: re.Pattern | None = None) -> str:
    """What shows a content without a heading of its own: a table's caption or header, a cell
    among `values`, a paragraph naming it (`prose`, else `names`) with figures, or an annex
    listed by name ("附件3 熔窑热平衡测试报告"). The evidence, or ""."""
    for table in report.tables:
        caption = compare_key(table.caption or "")
        if names.search(caption):
            return table.caption or ""
        if any(names.search(compare_key(c)) for c in table.header):
            return f"{table.caption or '表格'}（表头）"
        shown = next((c for row in table.rows[1:] for c in row.cells if compare_key(c) in values),
                     None) if values else None
        if shown is not None:
            return f"{table.caption or '表格'}（“{shown}”）"
    for para in report.paragraphs:
        text = spelled_out(compare_key(para.text))
        if len(text) >= _SUBSTANTIVE and _FIGURE.search(text) and (prose or names).search(text):
            return para.text[:40] + "…"
        if _ANNEX.match(text) and names.search(text):
            return f"{para.text}（附件）"
    return ""


def _stub_hits(report: Report, config: Config, content, index: int) -> list[Hit]:
    t = config.thresholds
    heading = report.headings[index]
    chars = report.body_chars(index)
    has_table = bool(report.within(index)[1])
    if chars >= t.content_min_chars and not (
            content.balance and not has_table and chars < t.balance_min_chars):
        return []
    paragraphs = report.within(index)[0]
    evidence = heading.text + (" " + paragraphs[0].text if paragraphs else "")
    return [Hit("SEC-CONTENT-STUB", content.name, heading.location, evidence, {
        "heading": heading.text, "chars": chars,
        "table_note": "，无数据表" if content.balance and not has_table else ""})]
