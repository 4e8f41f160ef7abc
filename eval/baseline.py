"""The baseline: the plain LangChain pipeline a user might assemble instead of ours.

- Text: each document's extracted text (our loader reads the PDF/DOCX; a LangChain user would
  use PyPDFLoader / Docx2txtLoader to the same effect), *without* our normalizer, chunker,
  dictionary, synonyms or follow-up resolution.
- Splitter: `RecursiveCharacterTextSplitter(chunk_size=N)` with its defaults — separators
  ["\\n\\n", "\\n", " ", ""] (not customized for Chinese) and chunk_overlap=200 — where N is
  our `chunk_max_chars`, so chunk sizes are comparable.
- Retriever: `langchain_community.retrievers.BM25Retriever` (rank_bm25's BM25Okapi) with its
  default `preprocess_func` — whitespace split, which turns a Chinese sentence into one token —
  or, in the `lc-jieba` variant, `preprocess_func=jieba.lcut`.
- Multi-turn items: the pipeline has no history handling, so it gets the question alone.
- Answers: the baseline has no answerer. For the answer metrics its "answer" is its whole
  top-1 passage, citing that one passage, and it never abstains. That is generous: a passage of
  up to `chunk_size` characters holds more keywords than our 1–3 quoted sentences, and its
  citation precision equals its hit@1.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from assistant.corpus_layers import load_view
from assistant.loader import load_file
from assistant.settings import Settings
from eval.metrics import keyword_recall
from eval.models import Hit, ItemResult, QAItem
from eval.relevance import FlatTexts, Judge, flatten

DEPTH = 10
SHOWN = 5


def preprocess_func(name: str):
    if name == "jieba":
        import jieba

        return jieba.lcut
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from langchain_community.retrievers.bm25 import default_preprocessing_func

    return default_preprocessing_func


@dataclass
class Baseline:
    retriever: object  # BM25Retriever
    chunks: list  # langchain Documents
    flat: FlatTexts  # the retriever's documents in `flatten` form, in its order
    build_seconds: float

    def search(self, query: str, k: int = DEPTH) -> list:
        self.retriever.k = k
        return self.retriever.invoke(query)

    def flat_text(self, doc) -> str:
        """A retrieved document's text in `flatten` form: the one flattened at build time (the
        retriever returns its own Document objects), flattened again for any other."""
        row = self._rows.get(id(doc))
        if row is not None and self.retriever.docs[row] is doc:
            return self.flat.texts[row]
        return flatten(doc.page_content)

    @cached_property
    def _rows(self) -> dict[int, int]:
        return {id(d): i for i, d in enumerate(self.retriever.docs)}


def document_texts(settings: Settings, cache_dir: Path | None = None) -> list[tuple[str, str]]:
    """(doc_id, extracted text) for every document of the corpus the index holds (the bundled
    corpus with the user's layer, assistant.corpus_layers). With `cache_dir`, the texts are
    kept there under a key of the files and the code that extracts them
    (eval.run_cache.texts_key)."""
    from eval import run_cache

    view = load_view(settings)
    files = [(meta.id, view.path(meta)) for meta in view.documents]
    digest = None
    if cache_dir is not None:
        try:
            digest = run_cache.texts_key(files, settings)
        except OSError:  # a file that cannot be read: load_file says what is wrong
            digest = None
    if digest is not None:
        kept = run_cache.load_json(cache_dir, "document-texts", digest)
        if kept is not None and isinstance(kept.get("texts"), list):
            return [(doc_id, text) for doc_id, text in kept["texts"]]
    texts = [(doc_id, load_file(path).text) for doc_id, path in files]
    if digest is not None:
        run_cache.store_json(cache_dir, "document-texts", digest, {"texts": texts})
    return texts


def build_baseline(
    texts: list[tuple[str, str]], *, chunk_size: int, preprocess: str
) -> Baseline:
    with warnings.catch_warnings():  # langchain-community announces its sunset on import
        warnings.simplefilter("ignore", DeprecationWarning)
        from langchain_community.retrievers import BM25Retriever
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    started = time.perf_counter()
    overlap = 200 if chunk_size > 400 else chunk_size // 5  # the library default when it fits
    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=overlap)
    chunks = []
    for doc_id, text in texts:
        for n, doc in enumerate(splitter.create_documents([text], metadatas=[{"doc_id": doc_id}])):
            doc.metadata["chunk_id"] = f"{doc_id}#lc-{n}"
            chunks.append(doc)
    retriever = BM25Retriever.from_documents(
        chunks, k=DEPTH, preprocess_func=preprocess_func(preprocess))
    seconds = time.perf_counter() - started
    return Baseline(retriever, chunks,
                    FlatTexts([flatten(d.page_content) for d in retriever.docs]), seconds)


def evaluate_item(item: QAItem, baseline: Baseline, top_k: int) -> ItemResult:
    t0 = time.perf_counter()
    docs = baseline.search(item.question)
    latency = (time.perf_counter() - t0) * 1000
    answer = docs[0].page_content if docs else ""
    result = ItemResult(
        id=item.id, type=item.type, question=item.question, docs=item.doc_ids,
        answerable=item.answerable, form=item.form, asks=item.asks, answer=answer,
        answerer="top-1 passage", abstained=False, latency_ms=round(latency, 2),
        citations=1 if docs else 0, first_quote=answer,  # its one "quote": the whole passage
    )
    if not item.answerable:
        result.top = [Hit(chunk_id=d.metadata["chunk_id"], doc_id=d.metadata["doc_id"],
                          relevant=False) for d in docs[:SHOWN]]
        return result
    judge = Judge(e.quote for e in item.evidence)
    covered = [judge.covered_flat(baseline.flat_text(d)) for d in docs]
    result.relevant = [bool(c) for c in covered]
    result.n_relevant = judge.count_in(baseline.flat)
    result.quotes_total = len(judge.quotes)
    result.quotes_found = len(set().union(*covered[:top_k]))
    result.top = [Hit(chunk_id=d.metadata["chunk_id"], doc_id=d.metadata["doc_id"], relevant=r)
                  for d, r in zip(docs[:SHOWN], result.relevant, strict=False)]
    result.keyword_recall, result.missing_keywords = keyword_recall(answer, item.answer_keywords)
    result.citations_relevant = 1 if docs and result.relevant[0] else 0
    result.first_quote_answers = bool(docs) and result.relevant[0]
    return result
