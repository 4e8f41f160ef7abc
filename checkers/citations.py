"""Citations: every 《document》 the report cites (optionally with 第X条) looked up in the corpus.

A document the corpus doesn't hold is unverified (info); an article number beyond what the
cited corpus document holds is an error. Article numbers come from the index's chunks (the
articles that really exist), else from the manifest's `articles` count.
"""

from __future__ import annotations

import re

from assistant.articles import ARTICLE, article_label, article_value, find_articles
from assistant.cnnum import CN_NUM
from assistant.models import DocumentMeta
from assistant.textfold import compare_key
from checkers.basis import BasisResolver
from checkers.findings import Hit
from checkers.report import Report
from checkers.rule_models import InternalDocuments

_CITATION = re.compile(
    rf"《(?P<title>[^《》]{{2,60}})》(?:[（(](?P<note>[^（）()]{{1,20}})[）)])?"
    rf"(?P<articles>(?:[的及和、]?{ARTICLE}(?:第[{CN_NUM}\d]+款)?)*)")


def check_citations(report: Report, resolver: BasisResolver,
                    internal: InternalDocuments | None = None) -> list[Hit]:
    """`internal`: which titles are the company's own rules (never "unverifiable")."""
    docs = resolver.index.docs
    names = {}
    for meta in docs.values():
        for name in (meta.title, meta.short_title, *meta.aliases):
            names[_key(name)] = meta
    hits: list[Hit] = []
    seen: set[tuple[str, str]] = set()
    for para in report.paragraphs:
        for m in _CITATION.finditer(para.text):
            title = m.group("title").strip()
            meta = names.get(_key(title))
            evidence = para.text[max(m.start() - 20, 0): m.end() + 20]
            if meta is None:
                if internal is not None and internal.covers(title):
                    continue
                if ("", title) not in seen:
                    seen.add(("", title))
                    hits.append(Hit("CIT-UNVERIFIED", title, para.location, evidence))
                continue
            for label in find_articles(m.group("articles")):
                key = (meta.id, label)
                if key in seen:
                    continue
                seen.add(key)
                hit = _article_hit(meta, label, resolver, para.location, evidence)
                if hit is not None:
                    hit.unsure = _other_version(meta, m.group("note") or "")
                    hits.append(hit)
    return hits


def _article_hit(meta: DocumentMeta, label: str, resolver: BasisResolver, location,
                 evidence: str) -> Hit | None:
    value = article_value(label)  # "第五十二条" or "第52条"
    number = value[0] if value else None
    existing = resolver.articles(meta.id)
    count = max(existing[-1] if existing else 0, meta.articles or 0) or None
    if number is None or count is None:
        return None  # a plan or notice has no articles to check against
    # Beyond the last article is certain; a number within the range that the index has no
    # chunk for is a gap in our reading (an article split or merged), not in the law.
    if number <= count:
        return None
    return Hit("CIT-ARTICLE-INVALID", article_label(number), location, evidence,
               {"title": meta.title, "count": count},
               basis=resolver.article(meta.id, article_label(existing[-1])) if existing else None)


_YEAR = re.compile(r"(?:19|20)\d\d")


def _other_version(meta: DocumentMeta, note: str) -> str:
    """A citation of another version ("（2002年）" where the corpus holds the 2012 text): its
    articles may be numbered otherwise, so an article beyond ours is not certainly invalid."""
    year, ours = _YEAR.search(note), _YEAR.match(str(meta.date or ""))
    if year is None or ours is None or year.group(0) == ours.group(0):
        return ""
    return f"引用的是{year.group(0)}年版本，语料库收录的是{ours.group(0)}年版本"


def _key(title: str) -> str:
    return compare_key(title).replace("(", "").replace(")", "")  # NFKC made （） into ()
