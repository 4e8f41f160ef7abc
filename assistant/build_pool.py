"""Loading, chunking and tokenizing documents in worker processes, for large builds.

Within one document these steps depend on no other document (72 % of the law library's
build CPU), so above `POOL_MIN_DOCUMENTS` documents to (re)load they run in a process pool
over the machine's cores. Small builds (the default corpus, the tests, a corpus change of a
few documents) stay in-process: starting workers costs more than it saves there.

Workers are started with "spawn", not "fork": a corpus change through the API builds in a
thread beside the server's other threads, and forking a process with running threads can copy
a lock held by one of them. Spawned workers are also direct children of the builder, so their
peak memory and CPU show in its RUSAGE_CHILDREN once they are joined ("forkserver" workers are
children of the fork server and would not).

Vocabulary ids must be assigned in document order for the index files to be byte for byte
those of an in-process build. A worker therefore numbers the tokens of its document locally,
in order of first occurrence, and the parent maps each document's distinct tokens to the
global vocabulary in that same order (`global_ids`): a token new to the vocabulary gets the
id it would have got from the in-process loop.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.models import Chunk, DocumentMeta
from assistant.tokenize import TokenMode

POOL_MIN_DOCUMENTS = 200  # documents to (re)load; the default corpus has 11


@dataclass
class Task:
    path: Path
    meta: DocumentMeta
    digest: str
    max_chars: int
    min_chars: int
    token_mode: TokenMode


@dataclass
class Prepared:
    """One document loaded, chunked and tokenized; token ids local to the document."""
    chunks: list[Chunk]
    record: object  # generations.DocRecord
    words: list[str]  # the document's distinct tokens, in order of first occurrence
    local_ids: np.ndarray  # every chunk's tokens as indexes into `words`, concatenated
    lengths: np.ndarray  # tokens per chunk


def workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def use_pool(documents: int, threshold: int | None = None) -> bool:
    limit = POOL_MIN_DOCUMENTS if threshold is None else threshold
    return documents >= max(limit, 1) and (workers() > 1 or threshold is not None)


def prepare_all(tasks: list[Task]):
    """Yield a `Prepared` per task, in task order, computed in a spawned process pool."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    count = max(1, min(workers(), len(tasks)))
    token_mode = tasks[0].token_mode if tasks else "both"
    pool = context.Pool(count, initializer=_start_worker, initargs=(token_mode,))
    try:
        yield from pool.imap(prepare, tasks, chunksize=4)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _start_worker(token_mode: TokenMode) -> None:
    # A worker tokenizes many documents: the full dictionary at once (same tokens either way).
    if token_mode != "bigram":
        from assistant.tokenize import build_full_dictionary

        build_full_dictionary()


def prepare(task: Task) -> Prepared:
    """One document loaded, chunked and tokenized — in a pool worker, or in-process for a
    small build (the one way a document becomes index tokens)."""
    from assistant.index import load_and_chunk
    from assistant.lexical import indexed_text
    from assistant.tokenize import expect_texts, tokenize

    chunks, record = load_and_chunk(task.path, task.meta, task.digest,
                                    task.max_chars, task.min_chars)
    texts = [indexed_text(task.meta, c) for c in chunks]
    if task.token_mode != "bigram":  # bigrams alone need no dictionary
        expect_texts(sum(map(len, texts)))
    local: dict[str, int] = {}
    ids: list[int] = []
    lengths: list[int] = []
    for text in texts:
        tokens = tokenize(text, task.token_mode)
        ids.extend(local.setdefault(t, len(local)) for t in tokens)
        lengths.append(len(tokens))
    return Prepared(chunks, record, list(local), np.asarray(ids, dtype=np.int32),
                    np.asarray(lengths, dtype=np.int64))


def global_ids(prepared: Prepared, vocab: dict[str, int]) -> list[np.ndarray]:
    """The document's token ids in `vocab`, extended in first-occurrence order, split per
    chunk. The vocabulary only grows, so token ids of unchanged documents stay valid."""
    mapping = np.fromiter((vocab.setdefault(w, len(vocab)) for w in prepared.words),
                          dtype=np.int32, count=len(prepared.words))
    ids = mapping[prepared.local_ids] if len(prepared.local_ids) else prepared.local_ids
    return np.split(ids, np.cumsum(prepared.lengths)[:-1]) if len(prepared.lengths) else []
