"""The second, recall-oriented reading of every absence ("X is missing").

The checks find a phase, a key content, a team or a table by structure: a heading, a table, a
paragraph with figures. That reading is precise but tuned on the layouts seen so far; a report
in another consultancy's style may show X in a form it does not take. So before an absence is
an error, the whole report is read again with recall in mind: every heading, paragraph, list
item and heading-like line, every table's caption, header and cells, in any numbering form,
for X's defining terms (rules/sections.yaml `evidence`, the team's and the indicators' own
words). Nothing anywhere → the error stands; something → a warning that says what was seen and
where. And when the outline itself was read poorly (few phases recognised by heading, many
chapters placed nowhere), no absence is certain. checkers/README.md states the rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.textfold import compare_key
from checkers.findings import Hit
from checkers.render import place_text
from checkers.report import Report
from checkers.rules import Config, load_pack
from checkers.sections import find_phases, spelled_out
from checkers.team_leaders import group_before

_SNIPPET = 14  # characters quoted either side of the term
# heading-like: a short line in body text may be a heading the reading did not take
_LINE_MAX = 30


@dataclass(frozen=True)
class Block:
    text: str  # compare_key form
    raw: str
    where: str  # "第5页", "表4-1 方案汇总（表头）"
    heading_like: bool  # a heading, caption, header cell or short line: patterns apply

    @property
    def length(self) -> int:  # of the text itself, before any spelled-out analyses
        return len(compare_key(self.raw))


@dataclass(frozen=True)
class Vocabulary:
    terms: tuple[str, ...] = ()  # words, compared in compare_key form anywhere
    patterns: tuple[str, ...] = ()  # regular expressions: headings, captions, headers, short lines
    sentences: tuple[str, ...] = ()  # regular expressions anywhere


def second_reading(hits: list[Hit], report: Report, config: Config) -> list[Hit]:
    """Each certain absence hit read again: a trace anywhere in the report, or an outline read
    poorly, makes it unsure (a warning that says why). Other hits pass unchanged."""
    doubt: str | None = None
    out = []
    for hit in hits:
        vocabulary = _vocabulary(hit, config)
        if vocabulary is None or hit.unsure:
            out.append(hit)
            continue
        trace = find_trace(report, vocabulary, config, _accept(hit, config))
        if trace:
            out.append(replace(hit, unsure=f"未见其章节或表格，但{trace}"))
            continue
        if doubt is None:
            doubt = outline_doubt(report, config)
        out.append(replace(hit, unsure=doubt) if doubt else hit)
    return out


def _vocabulary(hit: Hit, config: Config) -> Vocabulary | None:
    """The words whose mention anywhere shows the absent thing; None for no absence rule."""
    sections, team, ind = config.sections, config.team, config.indicators
    if hit.rule_id == "SEC-PHASE-MISSING":
        phase = next(p for p in sections.phases if p.name == hit.subject)
        # "评估" and "审核" are in every title: only 4+ character names count
        names = [a for a in phase.aliases if len(compare_key(a)) >= 4]
        return Vocabulary(tuple(names + phase.evidence))
    if hit.rule_id == "SEC-CONTENT-MISSING":
        content = next(c for c in sections.contents if c.name == hit.subject)
        return Vocabulary(tuple(content.aliases + content.values + content.evidence),
                          tuple(content.patterns))
    if hit.rule_id == "TEAM-MISSING":
        return Vocabulary(tuple(team.groups + team.team_captions + team.team_headings))
    if hit.rule_id == "TEAM-LEADER-MISSING":
        # someone given the role in a sentence, or a cell that is the role: not a 副组长
        leader = "|".join(map(re.escape, team.role_words.leader))
        return Vocabulary(sentences=(rf"^(?:{leader})$",
                                     rf"(?:任|担任|为|作为)(?:{leader})|(?<!副)(?:{leader})(?:由|为|是)"))
    if hit.rule_id == "IND-TABLE-MISSING":
        return Vocabulary(tuple(ind.columns.before + ind.columns.after))
    if hit.rule_id == "IND-ECONOMIC-MISSING":
        item = next((e for e in ind.economic if e.name == hit.subject), None)
        return Vocabulary(tuple(item.patterns if item else [hit.subject]))
    if hit.rule_id == "IND-PLAN-MISSING":
        return Vocabulary(tuple(ind.plan_table.captions))
    return None


def _accept(hit: Hit, config: Config) -> Callable[[str, int], bool]:
    """Which mentions count: for a group's missing 组长 (the 领导小组's), only a sentence that
    gives the role within that group ("工作小组由部长任组长" leads another group)."""
    group = hit.fields.get("group") if hit.rule_id == "TEAM-LEADER-MISSING" else ""
    if not group:
        return lambda text, at: True
    return lambda text, at: group_before(text, at, config.team) == group


def find_trace(report: Report, vocabulary: Vocabulary, config: Config,
               accept: Callable[[str, int], bool] = lambda text, at: True) -> str:
    """Where the report mentions the vocabulary, outside a listing of the procedure and not
    negated (and `accept`ed): "第5页提到“…下一轮清洁生产审核…”", or ""."""
    reading = config.sections.second_reading
    anywhere, headings = _compiled(vocabulary)
    negated = _negation(tuple(reading.negations))
    for block in _blocks(report, config):
        for pattern in (anywhere, headings if block.heading_like else None):
            for m in pattern.finditer(block.text) if pattern else ():
                if negated.search(block.text[:m.start()]) or not accept(block.text, m.start()):
                    continue
                return f"{block.where}提到“{_snippet(block, m)}”"
    return ""


def _snippet(block: Block, m: re.Match) -> str:
    """The mention with a few characters either side; a term spelled out from a coordinated
    phrase (after the text itself) quotes the block's beginning."""
    text = block.text if m.start() < block.length else compare_key(block.raw)
    start, end = (max(m.start() - _SNIPPET, 0), m.end() + _SNIPPET) if m.start() < block.length \
        else (0, 2 * _SNIPPET)
    return f"{'…' if start else ''}{text[start:end]}{'…' if end < len(text) else ''}"


@lru_cache(maxsize=256)
def _compiled(vocabulary: Vocabulary) -> tuple[re.Pattern | None, re.Pattern | None]:
    """(anywhere, heading-like only): the terms (longest first) and sentences; the patterns."""
    words = [re.escape(compare_key(t)) for t in sorted(set(vocabulary.terms), key=len, reverse=True)]
    anywhere = words + list(vocabulary.sentences)
    return (re.compile("|".join(anywhere)) if anywhere else None,
            re.compile("|".join(vocabulary.patterns)) if vocabulary.patterns else None)


@lru_cache(maxsize=8)
def _negation(words: tuple[str, ...]) -> re.Pattern:
    """A negation (regular expressions) in the clause just before the term: "尚未开展水平衡"."""
    return re.compile(rf"(?:{'|'.join(words)})[^，。；：,;:！？]{{0,6}}$")


def _blocks(report: Report, config: Config) -> Iterator[Block]:
    """Every piece of the report's text, with where it is; tables and paragraphs that list the
    procedure's phases (a work plan, 审核程序) left out."""
    listing = _listing(config)
    # "技术与环境评估" names 技术评估 and 环境评估 (sections.spelled_out)
    for h in report.headings:
        yield Block(spelled_out(compare_key(h.text)), h.text, f"标题“{h.text}”", True)
    for p in report.paragraphs:
        text = spelled_out(compare_key(p.text))
        if not listing(text):
            yield Block(text, p.text, place_text(p.location) or "正文", len(text) <= _LINE_MAX)
    for t in report.tables:
        name = t.caption or "表格"
        if listing(compare_key(t.text())):
            continue
        if t.caption:
            yield Block(compare_key(t.caption), t.caption, f"表题“{t.caption}”", True)
        for n, row in enumerate(t.rows):
            for cell in row.cells:
                if cell.strip():
                    where = f"{name}（{'表头' if n == 0 else f'第{n}行'}）"
                    yield Block(compare_key(cell), cell, where, n == 0)


def _listing(config: Config):
    """Whether a text names enough phases to be a listing of the procedure."""
    names = [[compare_key(a) for a in p.aliases if len(compare_key(a)) >= 3]
             for p in config.sections.phases]
    least = config.sections.second_reading.enumeration_phases
    return lambda text: sum(1 for aliases in names if any(a in text for a in aliases)) >= least


def outline_doubt(report: Report, config: Config) -> str:
    """Why the report's outline was read too poorly for an absence to be certain, or "": few
    of the seven phases recognised by heading, or many top-level chapters placed nowhere
    (neither a phase, nor holding one, nor 前言/结论 …)."""
    reading = config.sections.second_reading
    found = find_phases(report, config)
    phase_headings = set(found.values())
    framing = {compare_key(w) for w in load_pack().report.unnumbered_headings}
    # a PDF cover's large-type lines read as headings come before the first phase or 前言
    first = min((i for i, h in enumerate(report.headings)
                 if i in phase_headings or compare_key(h.title) in framing), default=0)
    unplaced = [h.text for i, h in enumerate(report.headings)
                if i >= first and h.depth == 1 and i not in phase_headings
                and compare_key(h.title) not in framing
                and not any(h.order < report.headings[j].order < h.end for j in phase_headings)]
    total = len(config.sections.phases)
    if len(found) < reading.outline_min_phases or len(unplaced) > reading.outline_max_unplaced:
        return (f"报告的章节结构未能可靠识别：按标题只识别出 {len(found)}/{total} 个审核阶段"
                + (f"，{len(unplaced)} 个章节（{'、'.join(unplaced[:3])}"
                   f"{'…' if len(unplaced) > 3 else ''}）未能对应到审核阶段"
                   if unplaced else "") + "，缺失的判断不确定")
    return ""
