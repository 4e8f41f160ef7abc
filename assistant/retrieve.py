"""The one retrieval path: BM25 over jieba tokens, fused with Chroma vectors when present.

Used by the CLI, the API, the checkers' basis look-ups and the evaluation alike.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant import learned_terms, rerank, similar_questions, top_ten
from assistant import lexical as lexical_extras
from assistant.articles import cited_articles
from assistant.bm25_matrix import ScoreMatrix, add_columns
from assistant.generations import DocRecord, IndexMeta, read_chunks
from assistant.keywords import JoinedTexts, KeywordIndex
from assistant.live_index import open_generation
from assistant.models import Chunk, Filters, Mode, Passage
from assistant.places import NATIONAL
from assistant.query import places
from assistant.sections import SectionMap
from assistant.settings import Settings
from assistant.textfold import squash
from assistant.tokenize import tokenize
from assistant.tuning import tuning

log = logging.getLogger(__name__)
CANDIDATES = 50


@dataclass
class Hit:
    row: int
    score: float  # fused (RRF) score in hybrid mode, BM25 score in lexical mode
    bm25: float


@dataclass
class Retrieval:
    hits: list[Hit]
    passages: list[Passage]
    mode: Mode
    query_tokens: list[str]
    timings: dict[str, float] = field(default_factory=dict)


class SearchIndex:
    """A loaded index generation. Cheap to query, safe to share between threads.

    Everything a question needs about the documents is computed here once — per-document
    region flags, a lookup of title words, the strings out-of-scope checks search — so a query
    costs in proportion to its candidates, not to the size of the library."""

    def __init__(self, settings: Settings, gen: Path) -> None:
        self.settings, self.gen = settings, gen
        self.meta = IndexMeta.model_validate_json((gen / "meta.json").read_text("utf-8"))
        records = [DocRecord(**r) for r in json.loads((gen / "docs.json").read_text("utf-8"))]
        self.docs = {r.meta.id: r.meta for r in records}
        self.sections: dict[str, SectionMap] = {r.meta.id: r.section_map() for r in records}
        self.chunks: list[Chunk] = read_chunks(gen)
        self.row_of = {c.id: i for i, c in enumerate(self.chunks)}
        self.bm25 = ScoreMatrix(gen / "bm25") if self.chunks else None
        # Per-row document positions as integers: filters and place preferences then index a
        # small per-document array instead of comparing 150k strings on every question.
        self._doc_order = list(self.docs)
        position = {doc_id: i for i, doc_id in enumerate(self._doc_order)}
        self._doc_pos = np.fromiter((position[c.doc_id] for c in self.chunks), dtype=np.int32,
                                    count=len(self.chunks))
        self._names = {d.id: {squash(n) for n in (d.title, d.short_title, *d.aliases)}
                       for d in self.docs.values()}
        self._name_lookup = _NameLookup([position[d] for d in self._names], self._names.values())
        self._article_rows: dict[tuple[str, str], list[int]] = {}
        for row, chunk in enumerate(self.chunks):
            if chunk.article:
                self._article_rows.setdefault((chunk.doc_id, chunk.article), []).append(row)
        self._articles_per_doc: dict[str, int] = {}
        for doc_id, _ in self._article_rows:
            self._articles_per_doc[doc_id] = self._articles_per_doc.get(doc_id, 0) + 1
        self._national = self._per_document(lambda d: d.region == NATIONAL)
        self._place_docs: dict[tuple, np.ndarray | None] = {}
        self._naming = JoinedTexts([f"{d.region}\n{d.title}" for d in self.docs.values()])
        self._rows_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.local_regions = frozenset(d.region for d in self.docs.values()
                                       if d.region and d.region != NATIONAL)
        # What out-of-scope checks search: every document's region and titles, and dates.
        self.covered_text = " ".join(f"{d.region} {d.title} {d.short_title}"
                                     for d in self.docs.values())
        self.dates_text = " ".join(d.date or "" for d in self.docs.values())
        # Squashed text has no whitespace, so a newline never joins two titles into a match.
        self._titles_text = "\n".join(squash(d.title) for d in self.docs.values())
        self._short_names = _NameLookup(
            list(range(len(self.docs))),
            [{squash(d.short_title), *(squash(a) for a in d.aliases)} for d in self.docs.values()])
        self.regions = sorted({d.region for d in self.docs.values()})
        self._dense = None
        self._dense_lock = threading.Lock()

    @property
    def mode(self) -> Mode:
        return self.meta.mode

    def mask(self, filters: Filters | None, query: str = "") -> np.ndarray | None:
        """Hard filters, times a soft preference for the places and documents the question
        names."""
        place, named = self._place_weights(query), self._named_weights(query)
        if filters is None or not (filters.region or filters.doc_id or filters.kind):
            if named is None:  # the common case: one of a few per-document arrays, kept
                return self._row_weights(place)
            weights = _times(place, named)
            return weights[self._doc_pos]
        weights = _times(place, named)
        allowed = self._per_document(lambda d: (
            (not filters.region or d.region == filters.region)
            and (not filters.doc_id or d.id == filters.doc_id)
            and (not filters.kind or d.kind == filters.kind)
        ))
        keep = allowed.astype(np.float32)
        return (keep * (1.0 if weights is None else weights))[self._doc_pos]

    def _row_weights(self, per_document: np.ndarray | None) -> np.ndarray | None:
        """Per-document weights spread to rows, once per cached array (place sets and the
        local prior are cached per index, so this holds a few dozen arrays at most)."""
        if per_document is None:
            return None
        key = id(per_document)
        if key not in self._rows_cache:  # the array is kept with it, so its id stays its own
            rows = per_document[self._doc_pos]
            rows.setflags(write=False)  # shared by every question that gets it
            self._rows_cache[key] = (per_document, rows)
        return self._rows_cache[key][1]

    def without_names(self, query: str) -> str:
        """The question with the titles of the documents it names taken out: as BM25 terms
        they would favour each document's title block over the passage asked about."""
        text = query
        for doc_id in self.named_documents(query):
            doc = self.docs[doc_id]
            for name in sorted({doc.title, doc.short_title, *doc.aliases}, key=len, reverse=True):
                text = text.replace(f"《{name}》", " ").replace(name, " ")
        return text if text.strip(" 《》？?。，,") else query

    def _named_weights(self, query: str) -> np.ndarray | None:
        """Per-document weights preferring the documents the question names."""
        named = self._name_lookup.find(squash(query))
        if not named:
            return None
        weights = np.full(len(self._doc_order), tuning().other_document_weight, np.float32)
        weights[named] = 1.0
        return weights

    def _per_document(self, test) -> np.ndarray:
        return np.fromiter((test(self.docs[d]) for d in self._doc_order), dtype=bool,
                           count=len(self._doc_order))

    def knows_title(self, title: str) -> bool:
        """Does 《title》 name a document of the index: part of one's full title, or holding
        one's short title or an alias?"""
        wanted = squash(title)
        return bool(self.docs) and (wanted in self._titles_text
                                    or bool(self._short_names.find(wanted)))

    def named_documents(self, text: str) -> list[str]:
        """Ids of the documents a text names by title, short title or alias (《》 optional)."""
        return [self._doc_order[i] for i in self._name_lookup.find(squash(text))]

    def document_rows(self, doc_id: str) -> list[int]:
        """A document's chunk rows, in order (kept per document once asked for)."""
        kept = self.__dict__.setdefault("_document_rows", {})
        rows = kept.get(doc_id)
        if rows is None:
            pos = self._doc_order.index(doc_id)
            rows = kept[doc_id] = np.flatnonzero(self._doc_pos == pos).tolist()
        return rows

    def article_rows(self, doc_id: str, article: str) -> list[int]:
        """The chunk rows holding one article of one document (several if it was split)."""
        return list(self._article_rows.get((doc_id, article), []))

    def article_count(self, doc_id: str) -> int:
        """How many distinct articles (第X条) of a document the index holds."""
        return self._articles_per_doc.get(doc_id, 0)

    def cited_article_rows(self, query: str) -> list[int]:
        """"清洁生产促进法第二十七条…": the rows of exactly that article, to be ranked first."""
        articles = cited_articles(query)
        if not articles:
            return []
        return [row for doc_id in self.named_documents(query) for article in articles
                for row in self.article_rows(doc_id, article)]

    def _place_weights(self, query: str) -> np.ndarray | None:
        # "广西…" is answered from Guangxi's documents and national law before Guangzhou's.
        named = tuple(places(query))
        if not named:
            return lexical_extras.local_prior(self)  # national law first unless a place is named
        key = (*named, tuning().other_region_weight)
        if key not in self._place_docs:  # a few dozen place sets at most: keep them
            local = self._naming.any_of(named)  # the place in a document's region or title
            self._place_docs[key] = None if not local.any() else np.where(
                local | self._national, 1.0, key[-1]).astype(np.float32)
        return self._place_docs[key]

    def bm25_scores(self, tokens: list[str], mask: np.ndarray | None = None) -> np.ndarray:
        if self.bm25 is None:
            return np.zeros(0, dtype=np.float32)
        ids = self.bm25.token_ids(tokens)
        if not ids:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return self.bm25.scores(ids, weight_mask=mask)

    def dense_rows(self, query: str, n: int, filters: Filters | None) -> list[int]:
        dense = self._dense_backend()
        if dense is None:
            return []
        embedder, store = dense
        where = _where(filters)
        keys = store.query(embedder.embed_query(query), n, where)
        # Vectors of chunks outside this generation are ignored: the generation is the truth.
        rows = [self.row_of.get(k.rsplit("@", 1)[0]) for k in keys]
        return [r for r in rows if r is not None]

    def _dense_backend(self):
        if self.meta.mode != "hybrid":
            return None
        with self._dense_lock:
            if self._dense is None:
                from assistant.dense import VectorStore, load_embedder

                embedder, reason = load_embedder(self.settings)
                if embedder is None or embedder.name != self.meta.dense_model:
                    log.warning("dense model unavailable at query time: %s", reason)
                    self._dense = False
                else:
                    try:
                        self._dense = (embedder, VectorStore(self.settings, embedder.name))
                    except Exception as exc:  # an unreachable Chroma server: answer lexically
                        log.warning("vector store unavailable, lexical only: %s", exc)
                        self._dense = False
        return self._dense or None

    def passage(self, row: int, score: float) -> Passage:
        chunk = self.chunks[row]
        return Passage(
            chunk_id=chunk.id, doc_id=chunk.doc_id, title=self.docs[chunk.doc_id].title,
            section=chunk.section, article=chunk.article, page=chunk.page, text=chunk.text,
            score=round(float(score), 4),
        )


class _NameLookup:
    """Which documents a (squashed) text names: each name found through a KeywordIndex (by
    its first two characters) instead of every title in the library tested."""

    def __init__(self, positions: list[int], names_per_doc) -> None:
        self._positions: dict[str, list[int]] = {}
        for pos, names in zip(positions, names_per_doc, strict=True):
            for name in names:
                self._positions.setdefault(name, []).append(pos)
        self._names = KeywordIndex(self._positions)
        # One question is looked up several times (its BM25 terms, its weights, its cited
        # articles, its scope), so the last few hundred answers are kept.
        self._cached = lru_cache(maxsize=512)(self._find)

    def find(self, wanted: str) -> list[int]:
        """Document positions, in document order."""
        return list(self._cached(wanted))

    def _find(self, wanted: str) -> tuple[int, ...]:
        return tuple(sorted({pos for name in self._names.found(wanted)
                             for pos in self._positions[name]}))


TOP_BLOCK = 128  # rows per block whose maximum bounds the n-th best score from below


def top_rows(scores: np.ndarray, n: int) -> list[int]:
    """Rows of the n highest positive scores, best first (ties in row order, at the cut too).

    Only the rows that can be among them are sorted: the n-th largest of the blocks' maxima
    is at most the n-th largest score (n blocks reach it), so every row of the top n scores at
    least that much. One pass takes the blocks' maxima and one the rows above the bound, where
    a partition of the whole array (most of it zeros) cost ×10 more on the law library."""
    if n <= 0 or not len(scores):
        return []
    blocks = len(scores) // TOP_BLOCK
    bound = 0.0
    if blocks >= n:
        maxima = scores[:blocks * TOP_BLOCK].reshape(blocks, TOP_BLOCK).max(axis=1)
        bound = float(np.partition(maxima, blocks - n)[blocks - n])
    rows = np.flatnonzero(scores >= bound if bound > 0 else scores > 0)
    return rows[np.lexsort((rows, -scores[rows]))][:n].tolist()


def _times(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    return b if a is None else a if b is None else a * b


def _allows(index: SearchIndex, row: int, filters: Filters) -> bool:
    mask = index.mask(filters)
    return mask is None or bool(mask[row])


def _where(filters: Filters | None) -> dict | None:
    if filters is None:
        return None
    clauses = [{k: v} for k, v in (("region", filters.region), ("doc_id", filters.doc_id),
                                   ("kind", filters.kind)) if v]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


_cache: dict[tuple[str, str], SearchIndex] = {}
_cache_lock = threading.Lock()


def load_index(settings: Settings, gen: Path | None = None) -> SearchIndex:
    """The live generation (or `gen`, just read from CURRENT), loaded once per process and
    reloaded when a build swaps it."""
    gen = gen or open_generation(settings)
    key = (str(settings.data_dir), gen.name)
    with _cache_lock:
        if key not in _cache:
            for stale in [k for k in _cache if k[0] == key[0]]:
                del _cache[stale]
            _cache[key] = SearchIndex(settings, gen)
        return _cache[key]


def retrieve(
    index: SearchIndex, query: str, *, k: int | None = None, filters: Filters | None = None,
    tokens: list[str] | None = None,
) -> Retrieval:
    k = k or index.settings.top_k
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if tokens is None:
        tokens = tokenize(index.without_names(query), index.meta.token_mode)
    mask = index.mask(filters, query)
    scores = index.bm25_scores(tokens, mask)
    scores = _feedback(index, tokens, scores, mask)
    scores = lexical_extras.add_field_scores(index, tokens, scores, mask)
    translated = _soft_terms(index, query, tokens, scores, mask)
    scores = _coarser(index, learned_terms.expanded(index, query, tokens, translated, mask))
    timings["bm25_ms"] = (time.perf_counter() - t0) * 1000
    covered: dict = {}  # the question's coverage of each row, for both rankings
    lexical = _candidates(index, query, scores, covered)
    context = lexical_extras.neighbour_scores(index, scores)
    if context is not None:  # the article-with-neighbours ranking, fused with the article one
        lexical = [r for r, _ in rrf([lexical, top_rows(context, min(CANDIDATES, len(scores)))],
                                     index.settings.rrf_k)][:CANDIDATES]
    cited = [r for r in index.cited_article_rows(query) if filters is None or _allows(
        index, r, filters)]
    lexical = cited + [r for r in lexical if r not in cited]
    wide = None
    if top_ten.widens(index, query, k):  # a top ten's last places: the wide expansion's ranking
        wide_scores = _coarser(index, learned_terms.expanded(
            index, query, tokens, translated, mask, wide=True))
        wide = _candidates(index, query, wide_scores, covered)
    precise = lexical
    lexical = top_ten.fill(index, query, lexical, scores, mask, k, wide)
    lexical = similar_questions.reordered(index, query, tokens, lexical)
    if wide is not None:  # the same top tens: the learned re-ranker's (when on)
        lexical = rerank.reordered(index, tokens, lexical, precise, wide, scores, wide_scores,
                                   covered)
    if index.mode == "hybrid":
        t1 = time.perf_counter()
        dense = index.dense_rows(query, CANDIDATES, filters)
        timings["dense_ms"] = (time.perf_counter() - t1) * 1000
        fused = rrf([lexical, dense], index.settings.rrf_k)
        hits = [Hit(r, s, float(scores[r])) for r, s in fused[:k]]
    else:
        hits = [Hit(r, float(scores[r]), float(scores[r])) for r in lexical[:k]]
    passages = [index.passage(h.row, h.score) for h in hits]
    timings["retrieve_ms"] = (time.perf_counter() - t0) * 1000
    return Retrieval(hits, passages, index.mode, tokens, timings)


def _soft_terms(index: SearchIndex, query: str, tokens: list[str], scores: np.ndarray,
                mask: np.ndarray | None) -> np.ndarray:
    """scores + the lay terms' columns, then the learned translations', in one pass: np.add.at
    adds every entry in turn, so each row's float32 sum is the one the two passes one after
    the other gave (tests/assistant/test_restricted_scoring.py), at one copy of the array."""
    columns, weights = lexical_extras.weighted_columns(
        index, lexical_extras.lay_weights(index, query, tokens))
    learned_columns, learned_weights = learned_terms.translation_columns(index, query, tokens)
    if not columns and not learned_columns:
        return scores
    return add_columns(scores, columns + learned_columns, weights + learned_weights, mask)


def _coarser(index: SearchIndex, scores: np.ndarray) -> np.ndarray:
    """Scores with the document's and the chapter's best article lifting the others (each off
    unless tuned on)."""
    coarse = lexical_extras.document_scores(index, scores)
    scores = scores if coarse is None else coarse
    chapter = lexical_extras.chapter_scores(index, scores)
    return scores if chapter is None else chapter


def _candidates(index: SearchIndex, query: str, scores: np.ndarray, covered: dict) -> list[int]:
    """The best CANDIDATES rows, one per article, reordered by their question coverage."""
    rows = lexical_extras.without_copies(index, top_rows(scores, min(CANDIDATES, len(scores))))
    return lexical_extras.by_coverage(index, query, scores, rows, covered)


def _feedback(index: SearchIndex, tokens: list[str], scores: np.ndarray,
              mask: np.ndarray | None) -> np.ndarray:
    """Scores with pseudo-relevance-feedback terms added (off unless tuned on)."""
    if index.bm25 is None or not len(scores) or tuning().prf_terms <= 0:
        return scores
    first = top_rows(scores, min(tuning().prf_docs, len(scores)))
    weights = lexical_extras.feedback_weights(index, tokens, first)
    return lexical_extras.add_weighted(index, scores, weights, mask) if weights else scores


def rrf(rankings: list[list[int]], k: int = 60) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion: score(d) = Σ 1 / (k + rank of d in each ranking)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking, start=1):
            fused[row] = fused.get(row, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))
