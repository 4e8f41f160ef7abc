"""Headings of Chinese official documents and reports: what a line is, and how deep.

Rank orders heading kinds from outermost to innermost, following the numbering hierarchy of
Chinese official documents (GB/T 9704): 第X章 > 第X节 > 一、 > （一） > 1. > （1）. A heading
closes every open heading of equal or greater rank. 第X条 (law article) and 专栏N (a box
inside a plan) are heading kinds too. Unnumbered Markdown/DOCX headings rank by level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_NUM = "一二三四五六七八九十百零〇两"

_PATTERNS: list[tuple[str, float, re.Pattern[str]]] = [
    ("attachment", 0.0, re.compile(rf"^附件\s*[{CN_NUM}\d]*(?:[：:\s]|$)")),
    ("part", 1.0, re.compile(rf"^第[{CN_NUM}\d]+编")),
    ("chapter", 2.0, re.compile(rf"^第[{CN_NUM}\d]+章")),
    ("section", 3.0, re.compile(rf"^第[{CN_NUM}\d]+节")),
    ("article", 4.0, re.compile(rf"^第[{CN_NUM}]+条(?:之[{CN_NUM}]+)?(?=[\s\u3000]|$)")),
    ("cn-num", 5.0, re.compile(rf"^[{CN_NUM}]+[、．.]")),
    ("cn-paren", 6.0, re.compile(rf"^[（(][{CN_NUM}]+[）)]")),
    ("box", 6.0, re.compile(r"^专栏\s*\d+")),
    # "1.1 审核小组" is a heading, "1.5万吨标准煤" a quantity: no unit may follow the number.
    ("num-dotted", 7.0, re.compile(r"^\d{1,2}(?:[.．]\d{1,2})+(?![\d.．%％万千亿吨元倍个台套年月日kKmMtT])")),
    ("num", 7.0, re.compile(r"^\d{1,2}[.．、](?![\d])")),
    ("num-paren", 8.0, re.compile(r"^[（(]\d{1,2}[）)]")),
]
_ARTICLE_NUMBER = re.compile(rf"^第[{CN_NUM}]+条(?:之[{CN_NUM}]+)?")
_SENTENCE_END = re.compile(r"[。；！？：:]")


@dataclass(frozen=True, slots=True)
class Heading:
    kind: str
    rank: float
    label: str  # what a section path shows: "（七）重点行业推进强制性清洁生产审核"
    marker: str  # the numbering itself: "（七）", "第二十七条", "1.1"


def classify_heading(text: str, md_level: int = 0) -> Heading | None:
    text = text.strip()
    for kind, rank, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        marker = m.group(0).strip()
        if kind == "article":
            return Heading(kind, rank, marker, marker)
        if kind == "num-dotted":
            rank += 0.1 * marker.count(".") + 0.1 * marker.count("．")
        return Heading(kind, rank, _label(text), marker)
    if md_level > 0:
        return Heading("markdown", md_level - 0.5, _label(text), "")
    return None


def looks_like_heading_start(text: str) -> bool:
    """Could this line open a new block (heading, numbered item, dash item)?"""
    return text.startswith(("——", "表")) and len(text) < 80 or classify_heading(text) is not None


def article_number(text: str) -> str | None:
    m = _ARTICLE_NUMBER.match(text.strip())
    return m.group(0) if m else None


def _label(text: str) -> str:
    text = " ".join(text.split())
    m = _SENTENCE_END.search(text)
    if m and m.start() <= 40:
        return text[: m.start()].strip()
    return text if len(text) <= 40 else text[:30].rstrip() + "…"


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CN_DIGITS.update({"〇": 0, "两": 2})
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_to_int(text: str) -> int | None:
    """二十七 → 27, 一百零三 → 103; None if it is not a Chinese numeral."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        else:
            return None
    return total + digit


def int_to_cn(n: int) -> str:
    """27 → 二十七 (for n < 1000), as article numbers are written."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    head = digits[n // 100] + "百"
    if rest == 0:
        return head
    return head + ("零" + digits[rest] if rest < 10 else int_to_cn(rest) if rest >= 20
                   else "一" + int_to_cn(rest))
