"""Lexical techniques on top of plain BM25, for questions worded unlike the documents.

- The text a chunk is indexed under: a law article carries its law's title and its chapter
  path as extra fields (repeated by their weight), so "劳动合同法 … 试用期" finds 第十九条 even
  though the article never names its law. The dense path embeds the same text.
- A second granularity: each article scored with its neighbours (an article's context is the
  articles around it, as a chapter reads), fused with the single-article ranking by RRF.
- A prior for national law over local regulations when the question names no place, for
  statutes over interpretations and rules, and for the current version of a revised law.
- A chapter granularity: a matching article lifted by a share of its chapter's best score.
- One passage per law title and article: the library files some laws twice and keeps earlier
  versions, and a copy would take one of the ten places.
- The candidates reordered by how much of the question each one covers (BM25 lets one rare
  word repeated outrank the article that answers every part of the question).
- Pseudo-relevance feedback (RM3 style): terms that weigh most in the first top passages and
  are rare in the index are added to the question with a small weight.

Every weight is data (data/answering.yaml), and each one is kept only where it measured
better on the dev questions (eval/stard_command.py).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from assistant.bm25_matrix import add_columns, column_sums
from assistant.models import Chunk, DocumentMeta
from assistant.query import places
from assistant.tuning import tuning

FIELD_VERSION = "1"  # bump when indexed_text changes, so the index re-tokenizes


def indexed_text(meta: DocumentMeta, chunk: Chunk) -> str:
    """The text BM25 (and the dense model) see for a chunk: a law article with its law's
    title and chapter path in front, the rest as they are."""
    t = tuning()
    if not chunk.article or not (t.title_field_weight or t.section_field_weight):
        return chunk.text
    title = " ".join(dict.fromkeys([meta.title, *meta.aliases]))
    section = chunk.section.replace(" > ", " ")
    head = [title] * t.title_field_weight + ([section] * t.section_field_weight if section else [])
    return " ".join(head) + "\n" + chunk.text


def field_fingerprint() -> str:
    """Changes whenever indexed_text would ("" while no field is indexed)."""
    t = tuning()
    if not (t.title_field_weight or t.section_field_weight):
        return ""
    return f"{FIELD_VERSION}:{t.title_field_weight}:{t.section_field_weight}"


class FieldIndex:
    """BM25 over each article's fields — its law's title and its chapter path — one field
    document per (document, chapter), built from the loaded index when first asked. An
    article's field score is added to its own with the field weight (BM25F-like), so no
    rebuild is needed to change the weight.

    Building it tokenizes every chapter of the library, on the first question of every
    process: the arrays are kept in the index's data dir (data_dir/cache) under the
    fingerprint of the generation's files, this code and the tokenizer, and read back."""

    def __init__(self, index) -> None:
        import json

        from assistant.derived import fingerprint, write_atomically
        from assistant.tokenize import tokenizer_fingerprint

        fp = fingerprint([index.gen / "docs.json", index.gen / "chunks.jsonl"], __file__,
                         tokenizer_fingerprint().encode(), index.meta.token_mode.encode())
        path = index.settings.data_dir / "cache" / f"fields-{fp}.npz"
        try:
            with np.load(path) as stored:
                self.rows, vocab = stored["rows"], json.loads(bytes(stored["vocab"]))
                self.matrix = None if int(stored["num_docs"]) < 0 else {
                    "data": stored["data"], "indices": stored["indices"],
                    "indptr": stored["indptr"], "num_docs": int(stored["num_docs"])}
            self.vocab = {t: i for i, t in enumerate(vocab)}
            return
        except (OSError, ValueError, KeyError):
            pass
        self._build(index)
        m = self.matrix or {"data": np.zeros(0, np.float32), "indices": np.zeros(0, np.int32),
                            "indptr": np.zeros(1, np.int64), "num_docs": -1}
        try:
            import io

            buffer = io.BytesIO()
            np.savez(buffer, rows=self.rows, data=m["data"], indices=m["indices"],
                     indptr=m["indptr"], num_docs=np.int64(m["num_docs"]),
                     vocab=np.frombuffer(json.dumps(list(self.vocab), ensure_ascii=False)
                                         .encode("utf-8"), dtype=np.uint8))
            write_atomically(path, [buffer.getvalue()])
        except OSError:
            pass  # a read-only data directory: built again by the next process

    def _build(self, index) -> None:
        from assistant.bm25_matrix import lucene_scores
        from assistant.tokenize import tokenize

        keys: dict[tuple[str, str], int] = {}
        rows = np.full(len(index.chunks), -1, dtype=np.int32)
        for row, chunk in enumerate(index.chunks):
            if chunk.article:
                rows[row] = keys.setdefault((chunk.doc_id, chunk.section), len(keys))
        self.vocab: dict[str, int] = {}
        ids, offsets = [], [0]
        for doc_id, section in keys:
            meta = index.docs[doc_id]
            text = " ".join(dict.fromkeys([meta.title, *meta.aliases])) + " " + \
                section.replace(" > ", " ")
            tokens = [self.vocab.setdefault(t, len(self.vocab))
                      for t in tokenize(text, index.meta.token_mode)]
            ids.extend(tokens)
            offsets.append(len(ids))
        self.rows = rows
        self.matrix = lucene_scores(np.asarray(ids, dtype=np.int32),
                                    np.asarray(offsets, dtype=np.int64), max(len(self.vocab), 1)) \
            if keys else None

    @property
    def members(self) -> tuple[np.ndarray, np.ndarray]:
        """Each field document's rows, end to end in field order (intp), and where each
        field's rows start (one past the last field: the end): a question's matched fields
        give their rows without a pass over every row."""
        if getattr(self, "_members", None) is None:
            held = np.flatnonzero(self.rows >= 0)
            by_field = self.rows[held]
            order = held[np.argsort(by_field, kind="stable")].astype(np.intp)
            starts = np.zeros(self.matrix["num_docs"] + 1, dtype=np.int64)
            np.cumsum(np.bincount(by_field, minlength=self.matrix["num_docs"]), out=starts[1:])
            self._members = (order, starts)
        return self._members

    def sizes(self, fields: np.ndarray) -> np.ndarray:
        """How many rows each of some field documents holds."""
        starts = self.members[1]
        return starts[fields + 1] - starts[fields]

    def rows_of(self, fields: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """The rows of some field documents (intp), field after field; `sizes`: theirs."""
        order, starts = self.members
        # each wanted row's place in `order`: its field's first row plus its place within
        at = np.arange(int(sizes.sum()), dtype=np.int64)
        at += np.repeat(starts[fields] - (np.cumsum(sizes) - sizes), sizes)
        return order[at]

    @property
    def slots(self) -> np.ndarray:
        """Per row, its field document (the last, zero slot for a row without one), as intp:
        numpy gathers with those without converting 150k indices on every question."""
        if getattr(self, "_slots", None) is None:
            self._slots = np.where(self.rows >= 0, self.rows, self.matrix["num_docs"]).astype(
                np.intp)
        return self._slots

    def field_doc_scores(self, tokens: list[str]) -> np.ndarray:
        """Each field document's score for the query tokens (and a last, zero slot)."""
        field = np.zeros(self.matrix["num_docs"] + 1, dtype=np.float32)  # the last: no field
        return column_sums(self.matrix, {self.vocab[t] for t in tokens if t in self.vocab},
                           field)


# The matched fields' rows are updated alone when there are fewer than 1/FIELD_SPARSE_SHARE
# of all rows: per row, the gathers and the scatter cost ~6 times a pass of the whole array
# (measured on the law library: even at ~19k of 153k rows).
FIELD_SPARSE_SHARE = 8


def add_field_scores(index, tokens: list[str], scores: np.ndarray,
                     mask: np.ndarray | None) -> np.ndarray:
    """scores + field weight × each article's field score (× mask), for the rows that already
    score: a boost for articles the question matches, not a source by itself. A new array: the
    caller's may be shared."""
    weight = tuning().field_weight
    if weight <= 0:
        return scores
    if getattr(index, "_field_index", None) is None:
        index._field_index = FieldIndex(index)
    fields = index._field_index
    if fields.matrix is None:
        return scores
    per_field = fields.field_doc_scores(tokens)
    matched = (per_field[:-1] != 0).nonzero()[0]  # through a bool array: ×10 faster on floats
    sizes = fields.sizes(matched)
    if int(sizes.sum()) * FIELD_SPARSE_SHARE < len(scores):
        # Few rows in the matched fields: only those are updated. Elsewhere the field score
        # is 0, so the gain (0 × weight × mask × matched) is 0 and the row keeps its score.
        rows = fields.rows_of(matched, sizes)
        gain = np.repeat(per_field[matched], sizes)  # the field score of each of those rows
        gain *= weight
        if mask is not None:
            gain *= mask[rows]
        held = scores[rows]
        gain *= held > 0
        gain += held
        out = scores.copy()
        out[rows] = gain
        return out
    # Otherwise over the whole array, in five passes of numpy: cheaper than gathering the
    # rows of the matched fields when a common title word's fields hold most of the rows.
    gain = per_field.take(fields.slots)
    gain *= weight
    if mask is not None:
        gain *= mask
    gain *= scores > 0
    gain += scores
    return gain


def lay_weights(index, query: str, tokens: list[str]) -> dict[int, float]:
    """The statutory words for the question's everyday ones (data/lay_legal.yaml), as BM25
    term ids with the lay-term weight: added softly, they cannot swamp the question."""
    weight = tuning().lay_weight
    if weight <= 0 or index.bm25 is None:
        return {}
    from assistant.query import lay_terms
    from assistant.tokenize import tokenize

    _, extra = lay_terms(query)
    vocab, have = index.bm25.vocab, set(tokens)
    # In the order the words come (a set's order changes with each process's string hashing,
    # and the columns' float32 sums with it): the same question scores the same everywhere.
    terms = dict.fromkeys(t for t in tokenize(" ".join(extra), index.meta.token_mode)
                          if t not in have)
    return {vocab[t]: weight for t in terms if t in vocab}


_SUBORDINATE = {"judicial_interpretation", "departmental_rule", "case", "other"}


def local_prior(index) -> np.ndarray | None:
    """Per-document weight that puts national law before local regulations, and statutes
    before interpretations, rules and cases (None: the corpus has neither). Built once per
    index and weights (the law library has 3,475 documents)."""
    t = tuning()
    if t.local_regulation_weight >= 1 and t.subordinate_weight >= 1 and t.superseded_weight >= 1:
        return None
    key = (t.local_regulation_weight, t.subordinate_weight, t.superseded_weight)
    cache = index.__dict__.setdefault("_local_prior", {})
    if key not in cache:
        weights = np.ones(len(index._doc_order), dtype=np.float32)
        kinds = [index.docs[d].kind for d in index._doc_order]
        weights[[k == "local_regulation" for k in kinds]] = t.local_regulation_weight
        weights[[k in _SUBORDINATE for k in kinds]] = t.subordinate_weight
        weights[superseded(index)] *= t.superseded_weight
        cache[key] = None if (weights == 1).all() else weights
    return cache[key]


def superseded(index) -> np.ndarray:
    """Per document: another document of the same title and region is dated later (the
    library keeps earlier versions of a revised law beside the current one)."""
    latest: dict[tuple[str, str], str] = {}
    for meta in index.docs.values():
        key = (meta.title, meta.region)
        if meta.date and meta.date > latest.get(key, ""):
            latest[key] = meta.date
    return np.fromiter(((index.docs[d].date or "") < latest.get(
        (index.docs[d].title, index.docs[d].region), "") for d in index._doc_order),
        dtype=bool, count=len(index._doc_order))


def document_scores(index, scores: np.ndarray) -> np.ndarray | None:
    """Each article's score plus a share of the best article score of its document: the law
    that answers best as a whole lifts its other articles (a second, coarser granularity)."""
    weight = tuning().document_weight
    if weight <= 0 or not len(scores):
        return None
    best = np.zeros(len(index._doc_order), dtype=np.float32)
    np.maximum.at(best, index._doc_pos, scores)
    return scores + weight * best[index._doc_pos] * (scores > 0)


def chapter_scores(index, scores: np.ndarray) -> np.ndarray | None:
    """Each matching article's score plus a share of the best score in its chapter: the
    chapter that answers best as a whole lifts its other matching articles (a granularity
    between the article and the law)."""
    weight = tuning().chapter_weight
    if weight <= 0 or not len(scores):
        return None
    if getattr(index, "_field_index", None) is None:
        index._field_index = FieldIndex(index)
    rows = index._field_index.rows
    best = np.zeros(int(rows.max(initial=-1)) + 2, dtype=np.float32)  # the last slot: none
    np.maximum.at(best, rows, scores)
    lift = best[rows]
    lift[rows < 0] = 0
    return scores + weight * lift * (scores > 0)


def neighbour_scores(index, scores: np.ndarray) -> np.ndarray | None:
    """Each article's score plus a share of its neighbours' in the same document."""
    weight = tuning().neighbour_weight
    if weight <= 0 or len(scores) < 2:
        return None
    same = index._doc_pos[1:] == index._doc_pos[:-1]
    out = scores.copy()
    out[1:] += weight * np.where(same, scores[:-1], 0)
    out[:-1] += weight * np.where(same, scores[1:], 0)
    return out


def without_copies(index, rows: list[int]) -> list[int]:
    """The ranking with each later passage of an article already ranked left out: the same
    law's article from another file or version (the library keeps 未成年人保护法 of 2020 and
    of 2024, and some laws in two folders) says nothing new and would take one of ten places."""
    if not tuning().dedupe_copies:
        return rows
    keys = index.__dict__.get("_copy_keys")
    if keys is None:  # per row, its (title, article) as one number: worked out once per index
        numbers: dict[tuple[str, str], int] = {}
        keys = index.__dict__["_copy_keys"] = [
            numbers.setdefault((index.docs[c.doc_id].title, c.article or c.id), len(numbers))
            for c in index.chunks]
    seen: set[int] = set()
    kept = []
    for row in rows:
        key = keys[row]
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def by_coverage(index, query: str, scores: np.ndarray, rows: list[int],
                memo: dict | None = None) -> list[int]:
    """The candidate rows reordered by score × (1 + weight × coverage), coverage being the
    share of the question's term weight a passage holds (the answerer's measure, with the
    documents' wordings of each term): BM25 lets one rare word repeated outrank a passage
    that answers every part of the question. `memo` (one per question) keeps the question's
    term weights and each row's coverage for a second ranking of the same question."""
    weight = tuning().coverage_weight
    if weight <= 0 or len(rows) < 2 or index.named_documents(query) or places(query):
        return rows
    from assistant.answer import term_weights
    from assistant.evidence import coverage, searched_all

    memo = {} if memo is None else memo
    if "terms" not in memo:
        memo["terms"], memo["rows"] = term_weights(index, index.without_names(query)), {}
    terms, covered = memo["terms"], memo["rows"]
    if not terms:
        return rows
    new = [row for row in rows if row not in covered]
    texts = [index.chunks[row].text for row in new]  # folded together: ~50 new per question
    for row, text, searched in zip(new, texts, searched_all(texts), strict=True):
        covered[row] = coverage(terms, text, searched=searched)
    lifted = {row: float(scores[row]) * (1 + weight * covered[row]) for row in rows}
    return sorted(rows, key=lambda row: -lifted[row])  # stable: ties keep their order


def feedback_weights(index, tokens: list[str], rows: list[int]) -> dict[int, float]:
    """RM3-style expansion terms (token id → weight) from the top rows of a first ranking."""
    t = tuning()
    if t.prf_terms <= 0 or not rows:
        return {}
    from assistant.tokenize import tokenize

    vocab = index.bm25.vocab
    n_docs = index.bm25.num_docs
    query = set(tokens)
    weights: Counter[int] = Counter()
    for rank, row in enumerate(rows[:t.prf_docs]):
        terms = Counter(w for w in tokenize(index.chunks[row].text, index.meta.token_mode)
                        if w not in query and w in vocab)
        total = sum(terms.values()) or 1
        for term, tf in terms.items():
            tid = vocab[term]
            df = index.bm25.doc_freq(term)
            idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
            weights[tid] += (tf / total) * idf / (rank + 1)
    top = weights.most_common(t.prf_terms)
    if not top:
        return {}
    best = top[0][1]
    # Python floats: every soft term's weight is applied in float32 (add_columns)
    return {tid: float(t.prf_weight * w / best) for tid, w in top}


def weighted_columns(index, weights: dict[int, float]) -> tuple[list, list[float]]:
    """The BM25 columns of soft terms (term id → weight) and their weights, in the terms'
    order: what `add_weighted` adds, for a caller that adds them with other columns."""
    return [index.bm25.column(tid) for tid in weights], list(weights.values())


def add_weighted(index, scores: np.ndarray, weights: dict[int, float],
                 mask: np.ndarray | None) -> np.ndarray:
    """scores + Σ weight × the BM25 column of each term (× mask), in the terms' order."""
    return add_columns(scores, *weighted_columns(index, weights), mask)
