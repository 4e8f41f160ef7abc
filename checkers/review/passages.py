"""Policy citations [n] of a review: each finding's basis, quoted verbatim from the corpus.

The checkers resolve a rule's basis to a quote already; when a basis names a corpus document
but carries no quote (its article or section was not found in the index), the passage comes
from the one retrieval path, `assistant.retrieve.retrieve`, restricted to that document.
"""

from __future__ import annotations

import logging

from assistant.evidence import quotes
from assistant.models import Citation, Filters, QuotedPassage
from assistant.retrieve import SearchIndex, retrieve
from assistant.textfold import squash
from checkers.findings import Finding

log = logging.getLogger(__name__)
_SENTENCE_END = "。；！？\n：:"


def complete_basis(finding: Finding, index: SearchIndex | None) -> QuotedPassage:
    """The finding's basis, with a quote looked up through retrieval when it lacks one, and
    "……" where the quote starts or stops inside a sentence of its passage."""
    basis = finding.basis
    if not basis.doc_id or index is None or basis.doc_id not in index.docs:
        return basis
    if basis.quote:
        return _ellipses(index, basis)
    query = " ".join(x for x in (basis.article, basis.section, finding.subject, finding.message) if x)
    try:
        passages = retrieve(index, query, k=3, filters=Filters(doc_id=basis.doc_id)).passages
    except Exception as exc:  # a broken index must not stop the review: cite without a quote
        log.warning("basis look-up failed for %s: %s", finding.rule_id, exc)
        return basis
    if not passages:
        return basis
    top = passages[0]
    units = quotes(top.text) or []
    best = max(units, key=lambda q: _overlap(query, q.text), default=None)
    return _ellipses(index, basis.model_copy(update={
        "quote": (best.text if best else top.text).strip(), "page": basis.page or top.page,
        "section": basis.section or top.section, "article": basis.article or top.article,
        "title": basis.title or top.title, "chunk_id": top.chunk_id, "start": None, "end": None,
    }))


def _ellipses(index: SearchIndex, basis: QuotedPassage) -> QuotedPassage:
    """"……" where the quote starts or stops inside a sentence; the chunk and offsets of the
    verbatim part (without the "……") where they were not known yet."""
    quote = (basis.quote or "").strip()
    chunks = [c for c in index.chunks if c.doc_id == basis.doc_id and quote in c.text]
    chunks.sort(key=lambda c: c.id != basis.chunk_id)  # the basis's own chunk first
    for chunk in chunks[:1]:
        start = chunk.text.index(quote)
        before = chunk.text[:start].rstrip(" \u3000")
        head = "" if not before or before[-1] in _SENTENCE_END else "……"
        tail = "" if quote[-1] in _SENTENCE_END or not chunk.text[start + len(quote):].strip() \
            else "……"
        update: dict[str, object] = {"quote": f"{head}{quote}{tail}"}
        if basis.start is None:
            update.update(chunk_id=chunk.id, start=chunk.start + start,
                          end=chunk.start + start + len(quote))
        return basis.model_copy(update=update)
    return basis


def basis_key(basis: QuotedPassage) -> tuple | None:
    """Findings with equal keys share one citation number."""
    key = (basis.doc_id, basis.article, basis.section, basis.quote, basis.source)
    return None if not any(key) else key


def citation(n: int, basis: QuotedPassage) -> Citation:
    return Citation(n=n, **basis.model_dump())


def cited_text(c: Citation) -> str:
    """One line of the reference list: 《title》 section article, page: “quote”."""
    if not c.doc_id:
        return c.source or ""
    article = c.article if c.article and not (c.quote or "").startswith(c.article) else None
    where = " ".join(x for x in (_last_section(c.section), article) if x)
    head = f"《{c.title or c.doc_id}》{where}"
    if c.page:
        head += f"（第{c.page}页）"
    if not c.quote:
        return head
    return f"{head}：“{c.quote.strip()}”"


def _last_section(section: str | None) -> str:
    return (section or "").split(" > ")[-1].strip()


def _overlap(a: str, b: str) -> float:
    a, b = squash(a), squash(b)
    grams = {a[i:i + 2] for i in range(len(a) - 1)}
    other = {b[i:i + 2] for i in range(len(b) - 1)}
    return len(grams & other) / len(grams) if grams else 0.0
