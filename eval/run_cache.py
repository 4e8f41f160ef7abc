"""What `cpaudit eval` keeps on disk between evaluations: the LangChain baselines' per-question
results and the checker evaluation, each under a key of everything it was computed from.

- A baseline's results depend on the corpus text, the questions, the baseline's
  configuration, its code and the libraries it runs — nothing a change to our own pipeline
  touches — yet building and querying them (jieba and rank_bm25 in pure Python) was a quarter
  of every `cpaudit eval`. Key: every document's extracted text (what the baseline indexes;
  reading it costs a fraction of a second), every item as JSON, the configuration, the source
  of the modules that build and score a baseline item, the libraries' versions.
- The checker evaluation depends on the labelled reports, the checks and everything they read
  with: key: the labels and report sources, every file of `checkers/` and `assistant/` (code,
  rule and data files), the index's files (their sha256), the settings.

A change in any input is a new key, so the result is computed again and the old key's entry
removed. Like eval-stard's baseline cache, under the data dir.
"""

from __future__ import annotations

import hashlib
import json
import logging
from importlib import metadata
from pathlib import Path

from assistant.derived import replace_file
from eval.models import ItemResult, QAItem

log = logging.getLogger(__name__)
VERSION = 1
_CODE = ("baseline.py", "relevance.py", "metrics.py", "models.py")
_LIBRARIES = ("langchain-community", "langchain-text-splitters", "langchain-core", "rank-bm25",
              "jieba")


class _Key:
    def __init__(self) -> None:
        self._digest = hashlib.sha256(f"v{VERSION}".encode())

    def __call__(self, part: str | bytes) -> None:
        self._digest.update(part if isinstance(part, bytes)
                            else part.encode("utf-8", "surrogatepass"))
        self._digest.update(b"\0")

    def hex(self) -> str:
        return self._digest.hexdigest()[:20]


def key(texts: list[tuple[str, str]], items: list[QAItem], config: list) -> str:
    """The key of a baseline's results."""
    add = _Key()
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
    return add.hex()


def checker_key(fixtures: Path, index_meta, settings) -> str:
    """The key of the checker evaluation on the labelled reports in `fixtures`."""
    add = _Key()
    root = Path(__file__).resolve().parents[1]
    sources = [fixtures / "expected.yaml", *sorted((fixtures / "src").glob("*.md")),
               *sorted((root / "checkers").rglob("*.*")), *sorted((root / "assistant").rglob("*.*")),
               root / "eval" / "checker_eval.py"]
    for path in sources:
        if path.is_file() and "__pycache__" not in path.parts:
            add(str(path.relative_to(root) if path.is_relative_to(root) else path))
            add(path.read_bytes())
    add(json.dumps({name: record.sha256 for name, record in sorted(index_meta.files.items())}))
    add(settings.model_dump_json(exclude={"data_dir"}))
    return add.hex()


def _path(folder: Path, label: str, digest: str) -> Path:
    """One folder per configuration (its label, made a safe file name), one file per key."""
    name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in label)
    return folder / name / f"{digest}.json"


def load_json(folder: Path, label: str, digest: str) -> dict | None:
    path = _path(folder, label, digest)
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # a damaged entry: recompute
        log.warning("eval cache entry %s unreadable (%s): recomputing", path, exc)
        return None


def store_json(folder: Path, label: str, digest: str, data: dict) -> None:
    """Keep this key's entry; entries of this label under other keys go."""
    try:
        path = _path(folder, label, digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("*.json"):
            old.unlink(missing_ok=True)
        replace_file(path, [json.dumps(data, ensure_ascii=False).encode("utf-8")])
    except OSError as exc:  # a read-only data dir costs the cache, not the run
        log.warning("could not store an evaluation result in %s: %s", folder, exc)


def load(folder: Path, label: str, digest: str) -> tuple[int, float, list[ItemResult]] | None:
    """A baseline's (chunks, build seconds, item results) stored under this key, or None."""
    data = load_json(folder, label, digest)
    if data is None:
        return None
    try:
        return (data["chunks"], data["build_seconds"],
                [ItemResult.model_validate(i) for i in data["items"]])
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("baseline cache entry of %s unreadable (%s): recomputing", label, exc)
        return None


def store(folder: Path, label: str, digest: str, chunks: int, build_seconds: float,
          items: list[ItemResult]) -> None:
    store_json(folder, label, digest, {"chunks": chunks, "build_seconds": build_seconds,
                                       "items": [i.model_dump(mode="json") for i in items]})
