"""Headings of Chinese official documents and reports: what a line is, and how deep.

Rank orders heading kinds from outermost to innermost, following the numbering hierarchy of
Chinese official documents (GB/T 9704): 第X编 > 第X章/第X部分 > 第X节 > 一、 > （一） > 1. >
（1）. A heading closes every open heading of equal or greater rank. 第X条 (law article) and
专栏N (a box inside a plan) are heading kinds too. Unnumbered Markdown/DOCX headings rank by
level. This is the one classifier: the loader labels blocks with it once, and nothing
downstream re-reads a line's numbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.articles import article_heading
from assistant.cnnum import CN_NUM
from assistant.lazy_pattern import LazyPattern
from assistant.textfold import simplified

_PATTERNS: list[tuple[str, float, re.Pattern[str]]] = [
    ("attachment", 0.0, re.compile(rf"^附件\s*[{CN_NUM}\d]*(?:[：:\s]|$)")),
    ("part", 1.0, re.compile(rf"^第[{CN_NUM}\d]+编")),
    # "第二阶段 预审核": reports organised by the audit's seven phases number them so
    ("chapter", 2.0, re.compile(rf"^第[{CN_NUM}\d]+(?:章|部分|阶段)")),
    ("section", 3.0, re.compile(rf"^第[{CN_NUM}\d]+节")),
    ("cn-num", 5.0, re.compile(rf"^[{CN_NUM}]+[、．.]")),
    ("cn-paren", 6.0, re.compile(rf"^[（(][{CN_NUM}]+[）)]")),
    ("box", 6.0, re.compile(r"^专栏\s*\d+")),
    # "1.1 审核小组" is a heading, "1.5万吨标准煤" a quantity: no unit may follow the number.
    ("num-dotted", 7.0, re.compile(r"^\d{1,2}(?:[.．]\d{1,2})+(?![\d.．%％万千亿吨元倍个台套年月日kKmMtT])")),
    ("num", 7.0, re.compile(r"^\d{1,2}[.．、](?![\d])")),
    ("num-paren", 8.0, re.compile(r"^[（(]\d{1,2}[）)]")),
]
ARTICLE_RANK = 4.0
# "1 筹划和组织": a bare number and a space opens a chapter in many reports' own numbering.
_NUM_SPACE = LazyPattern(r"^\d{1,2}[ \u3000]+(?=[^\d\s])")
_SENTENCE_END = re.compile(r"[。；！？：:]")
_MAX_HEADING_LINE = 40


@dataclass(frozen=True, slots=True)
class Heading:
    kind: str
    rank: float
    label: str  # what a section path shows: "（七）重点行业推进强制性清洁生产审核"
    marker: str  # the numbering itself: "（七）", "第二十七条", "1.1"


def classify_heading(text: str, md_level: int = 0) -> Heading | None:
    """The numbering a line opens with (or its Markdown/style level), whatever follows.

    Matched in simplified characters (第二節, 第五條 and 專欄 number as 第二节, 第五条, 专栏);
    the fold is one character to one, so the marker is cut from the line as written."""
    text = text.strip()
    seen = simplified(text)
    article = article_heading(seen)
    if article:
        return Heading("article", ARTICLE_RANK, text[:len(article)], text[:len(article)])
    for kind, rank, pattern in _PATTERNS:
        m = pattern.match(seen)
        if not m:
            continue
        marker = text[m.start():m.end()].strip()
        if kind == "num-dotted":
            rank += 0.1 * marker.count(".") + 0.1 * marker.count("．")
        return Heading(kind, rank, _label(text), marker)
    if md_level > 0:
        return Heading("markdown", md_level - 0.5, title_label(text), "")
    return None


def title_label(text: str) -> str:
    """The label of an unnumbered heading: all of it ("附：《中华人民共和国刑法》节选")."""
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:30].rstrip() + "…"


def heading_line(text: str) -> Heading | None:
    """Is this whole line a numbered heading (a title, not a numbered sentence or item)?

    Short, no sentence punctuation, and a numbering kind that titles sections (not an
    article, attachment or box); "1 筹划和组织" counts too."""
    text = text.strip()
    if len(text) > _MAX_HEADING_LINE or text.endswith(("。", "；", "，", "：", ":")) or "。" in text:
        return None
    heading = classify_heading(text)
    if heading is not None:
        return heading if heading.kind not in ("article", "attachment", "box") else None
    m = _NUM_SPACE.match(text)
    if m and len(text) <= 25:
        return Heading("num", 7.0, _label(text), m.group(0).strip())
    return None


def looks_like_heading_start(text: str) -> bool:
    """Could this line open a new block (heading, numbered item, dash item)?"""
    return text.startswith(("——", "表")) and len(text) < 80 or classify_heading(text) is not None


def _label(text: str) -> str:
    text = " ".join(text.split())
    m = _SENTENCE_END.search(text)
    if m and m.start() <= 40:
        return text[: m.start()].strip()
    return text if len(text) <= 40 else text[:30].rstrip() + "…"
