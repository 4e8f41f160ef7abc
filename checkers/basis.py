"""A rule's basis, resolved to the quoted corpus text through the one retrieval path.

A basis names a document and an article or section; the chunk(s) holding it come from the
index (ranked by `retrieve` when there are several), and the quote is the sentence(s) of that
chunk containing the rule's key words, verbatim. A rule that rests on a source the corpus does
not hold carries that source's name instead.
"""

from __future__ import annotations

from assistant.articles import article_value
from assistant.evidence import quotes
from assistant.models import Chunk, Filters, QuotedPassage
from assistant.retrieve import SearchIndex, retrieve
from assistant.sentences import clauses
from assistant.textfold import compare_key
from checkers.rules import BasisRef, Config

_MAX_QUOTE = 120


class BasisResolver:
    def __init__(self, index: SearchIndex, config: Config) -> None:
        self.index, self.config = index, config
        self._cache: dict[str, QuotedPassage] = {}

    def __call__(self, rule_id: str) -> QuotedPassage:
        if rule_id not in self._cache:
            self._cache[rule_id] = self.resolve(self.config.rules[rule_id].basis)
        return self._cache[rule_id]

    def resolve(self, ref: BasisRef) -> QuotedPassage:
        meta = self.index.docs.get(ref.doc_id or "")
        if meta is None:
            return QuotedPassage(source=ref.source or f"{ref.doc_id}（语料库中未找到）")
        chunk = self._chunk(ref)
        if chunk is None:
            return QuotedPassage(doc_id=meta.id, title=meta.title, article=ref.article,
                                 section=ref.section, source=ref.source)
        text = quote(chunk.text, ref.quote_contains or [ref.article or ""])
        start, end = chunk.span(text) or (None, None)  # None: two sentences apart
        return QuotedPassage(
            chunk_id=chunk.id, doc_id=meta.id, title=meta.title,
            article=chunk.article or ref.article, section=chunk.section or ref.section,
            page=self._page(chunk, start), quote=text, start=start, end=end, source=ref.source,
        )

    def _page(self, chunk: Chunk, start: int | None) -> int | None:
        """The page the quote itself is on (a chunk may run over a page break)."""
        sections = self.index.sections.get(chunk.doc_id)
        return sections.page_at(start) if sections is not None and start is not None \
            else chunk.page

    def _chunk(self, ref: BasisRef) -> Chunk | None:
        section = _squash(ref.section or "")
        candidates = [
            c for c in self.index.chunks if c.doc_id == ref.doc_id and (
                (ref.article and c.article == ref.article)
                or (section and any(_squash(part) == section for part in c.section.split(" > ")))
            )
        ]
        query = " ".join([ref.article or "", ref.section or "", *ref.quote_contains]).strip()
        if len(candidates) == 1 or (candidates and not query):
            return candidates[0]
        ranked = retrieve(self.index, query or ref.doc_id or "", k=10,
                          filters=Filters(doc_id=ref.doc_id)).passages
        rows = [p.chunk_id for p in ranked]
        if candidates:
            return min(candidates, key=lambda c: rows.index(c.id) if c.id in rows else len(rows))
        return self.index.chunks[self.index.row_of[rows[0]]] if rows else None

    def articles(self, doc_id: str) -> list[int]:
        """The article numbers the index holds for a document, in order."""
        numbers = {n for c in self.index.chunks if c.doc_id == doc_id and c.article
                   for n in [article_int(c.article)] if n is not None}
        return sorted(numbers)

    def article(self, doc_id: str, article: str) -> QuotedPassage:
        return self.resolve(BasisRef(doc_id=doc_id, article=article))


def article_int(label: str) -> int | None:
    """第二十七条 → 27, 第一千二百零二条 → 1202 (第十条之一 counts as article 10)."""
    value = article_value(label)
    return value[0] if value else None


def quote(text: str, keywords: list[str]) -> str:
    """The sentence(s) holding the keywords, narrowed to the clauses between them if long.
    Sentences are the answerer's quotable units (assistant.evidence.quotes)."""
    sentences = [q.text for q in quotes(text)]
    if not sentences:
        return text[:_MAX_QUOTE]
    picked = [s for s in sentences if any(k in s for k in keywords)] or sentences[:1]
    result = "".join(picked[:2])
    if len(result) > _MAX_QUOTE and keywords:
        parts = clauses(result)
        hits = [i for i, c in enumerate(parts) if any(k in c for k in keywords)]
        if hits:
            result = "".join(parts[hits[0]: hits[-1] + 1])
    return result.rstrip("，；")


def _squash(text: str) -> str:
    """A section label as compared: "（三）落实…责任制。" and "(三)落实…责任制" are the same."""
    return compare_key(text).replace("。", "").replace(".", "")
