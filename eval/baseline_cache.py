"""The LangChain baselines' per-question results, kept on disk between evaluations.

A baseline's results depend on the corpus text, the questions, the baseline's configuration,
its code and the libraries it runs — nothing a change to our own pipeline touches — yet
building and querying them (jieba and rank_bm25 in pure Python) was a quarter of every
`cpaudit eval`. The key covers all of those inputs:

- every document's extracted text (what the baseline indexes; reading it costs a fraction of
  a second, and keys on what the loader really gives, not on the files);
- every item as JSON (question, history, evidence, keywords …);
- the configuration (chunk size, tokens, k);
- the source of the modules that build and score a baseline item, and the versions of the
  libraries they call.

A change in any of them is a new key, so the baseline is built and run again; the entry of
the old key is removed. Like eval-stard's baseline cache, under the data dir.
"""

from __future__ import annotations

import hashlib
import json
import logging
from importlib import metadata
from pathlib import Path

from eval.models import ItemResult, QAItem

log = logging.getLogger(__name__)
VERSION = 1
_CODE = ("baseline.py", "relevance.py", "metrics.py", "models.py")
_LIBRARIES = ("langchain-community", "langchain-text-splitters", "langchain-core", "rank-bm25",
              "jieba")


def key(texts: list[tuple[str, str]], items: list[QAItem], config: tuple) -> str:
    digest = hashlib.sha256()

    def add(part: str) -> None:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")

    add(f"v{VERSION}")
    add(json.dumps(config))
    for doc_id, text in texts:
        add(doc_id)
        add(text)
    for item in items:
        add(item.model_dump_json())
    here = Path(__file__).resolve().parent
    for name in _CODE:
        add((here / name).read_text("utf-8"))
    for library in _LIBRARIES:
        try:
            add(f"{library}=={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            add(f"{library} missing")
    return digest.hexdigest()[:20]


def _path(folder: Path, label: str, digest: str) -> Path:
    """One folder per configuration (its label, made a safe file name), one file per key."""
    name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in label)
    return folder / name / f"{digest}.json"


def load(folder: Path, label: str, digest: str) -> tuple[int, float, list[ItemResult]] | None:
    """(chunks, build seconds, item results) stored under this key, or None."""
    path = _path(folder, label, digest)
    try:
        data = json.loads(path.read_text("utf-8"))
        return (data["chunks"], data["build_seconds"],
                [ItemResult.model_validate(i) for i in data["items"]])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:  # a damaged entry: recompute
        log.warning("baseline cache entry %s unreadable (%s): recomputing", path, exc)
        return None


def store(folder: Path, label: str, digest: str, chunks: int, build_seconds: float,
          items: list[ItemResult]) -> None:
    """Keep this key's results; entries of this configuration under other keys go."""
    try:
        path = _path(folder, label, digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("*.json"):
            old.unlink(missing_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"chunks": chunks, "build_seconds": build_seconds,
                                   "items": [i.model_dump(mode="json") for i in items]},
                                  ensure_ascii=False), "utf-8")
        tmp.replace(path)
    except OSError as exc:  # a read-only data dir costs the cache, not the run
        log.warning("could not store the baseline results in %s: %s", folder, exc)
