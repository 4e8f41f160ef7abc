"""The article number of laws and regulations: 第二十七条, 第一千二百零二条, 第十条之一.

One pattern for every place that finds, labels or cites an article: the loader and chunker
(which paragraph opens an article), retrieval and answers (a question naming an article), the
report checks (a report citing one) and the evaluation.
"""

from __future__ import annotations

import re

from assistant.cnnum import CN_NUM, cn_to_int, int_to_cn

# 第 + a Chinese numeral (or digits, as reports sometimes write) + 条, optionally 之一.
ARTICLE = rf"第(?P<number>[{CN_NUM}]+|\d{{1,5}})条(?:之(?P<sub>[{CN_NUM}]+))?"
ARTICLE_RE = re.compile(ARTICLE)
# An article heading opens its paragraph and is followed by a space or the end of the line.
_ARTICLE_HEADING = re.compile(rf"^{ARTICLE}(?=[\s\u3000]|$)")


def article_heading(text: str) -> str | None:
    """"第一千条 …" → "第一千条": the label of a paragraph that opens a law article."""
    m = _ARTICLE_HEADING.match(text.strip())
    return m.group(0) if m and not m.group("number").isdigit() else None


def find_articles(text: str) -> list[str]:
    """Every article a text names, in order: "第二十七条和第三十九条" → both labels."""
    return [m.group(0) for m in ARTICLE_RE.finditer(text)]


def cited_articles(text: str) -> list[str]:
    """The articles a question or report names, in the law's own form: "第27条" → "第二十七条"."""
    return [label for m in ARTICLE_RE.finditer(text) if (label := canonical_article(m.group(0)))]


def article_value(label: str) -> tuple[int, int] | None:
    """"第一千二百零二条" → (1202, 0); "第十条之一" → (10, 1); "第52条" → (52, 0)."""
    m = ARTICLE_RE.fullmatch(label.strip())
    if m is None:
        return None
    number = cn_to_int(m.group("number"))
    sub = cn_to_int(m.group("sub")) if m.group("sub") else 0
    return (number, sub or 0) if number is not None else None


def article_label(number: int, sub: int = 0) -> str:
    """(1202, 0) → "第一千二百零二条"; (10, 1) → "第十条之一": the canonical form of a label."""
    return f"第{int_to_cn(number)}条" + (f"之{int_to_cn(sub)}" if sub else "")


def canonical_article(label: str) -> str | None:
    """"第52条" → "第五十二条": labels written in digits compare equal to the law's own."""
    value = article_value(label)
    return article_label(*value) if value else None
