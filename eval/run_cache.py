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
- Our configurations' per-question results (extractive answers: the LLM and the LLM judge are
  never kept) depend on the index, the questions and the code that answers and scores them:
  key: the configuration, every item, the index's files (their sha256) and mode, every file
  of `assistant/` and of the eval modules that score an item, the settings (but their data
  and cache dirs: the eval's index lives in a new temporary dir each run), the tokenizer in use
  and the libraries' versions. A kept item keeps the latency measured when it was computed,
  like a kept baseline; the configuration's note says the results were kept.
- The documents' extracted texts (the baselines' input and key): key: every file, every file
  of `assistant/`, the settings.

A change in any input is a new key, so the result is computed again. Every key is content
(no data dir in it), so the entries live in the settings' cache directory, beside the
prepared files of assistant.derived (`<cache dir>/eval/<label>/<key>.json`): an eval in a
new data dir (or the same set run from another data dir) reuses them. Each entry is written
atomically; per label the KEPT_PER_KIND most recently used keys are kept (a hit counts as a
use), so checkouts or data dirs sharing the cache directory do not evict each other's entry at
every run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from importlib import metadata
from pathlib import Path

from assistant.derived import write_atomically
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
    _add_versions(add, _LIBRARIES)
    return add.hex()


_ROOT = Path(__file__).resolve().parents[1]
# what scores one of our items, besides assistant/ (eval.ours and what it calls)
_OURS_CODE = ("ours.py", "relevance.py", "metrics.py", "models.py", "judge.py", "runner.py")
_OURS_LIBRARIES = ("rjieba", "jieba", "numpy", "bm25s", "pydantic", "pydantic-core", "GB2260",
                   "opencc", "PyYAML")


def _add_files(add: _Key, paths: list[Path]) -> None:
    for path in paths:
        if path.is_file() and "__pycache__" not in path.parts:
            add(str(path.relative_to(_ROOT) if path.is_relative_to(_ROOT) else path))
            add(path.read_bytes())


def _add_index(add: _Key, index_meta) -> None:
    add(json.dumps({name: record.sha256 for name, record in sorted(index_meta.files.items())}))


def checker_key(fixtures: Path, index_meta, settings) -> str:
    """The key of the checker evaluation on the labelled reports in `fixtures`."""
    add = _Key()
    _add_files(add, [fixtures / "expected.yaml", *sorted((fixtures / "src").glob("*.md")),
                     *sorted((_ROOT / "checkers").rglob("*.*")),
                     *sorted((_ROOT / "assistant").rglob("*.*")),
                     _ROOT / "eval" / "checker_eval.py"])
    _add_index(add, index_meta)
    add(settings.model_dump_json(exclude={"data_dir"}))
    return add.hex()


def texts_key(files: list[tuple[str, Path]], settings) -> str:
    """The key of the corpus documents' extracted texts: every file (its id, path and bytes),
    the code that reads them (every file of `assistant/`) and the settings they are read with."""
    add = _Key()
    for doc_id, path in files:
        add(doc_id)
        add(str(path))
        add(path.read_bytes())
    _add_files(add, sorted((_ROOT / "assistant").rglob("*.*")))
    add(settings.model_dump_json(exclude={"data_dir", "cache_dir"}))
    return add.hex()


def ours_key(spec, items: list[QAItem], index_meta, settings) -> str:
    """The key of one of our configurations' per-question results (extractive answers)."""
    from assistant.tokenize import backend

    add = _Key()
    add(spec.model_dump_json())
    for item in items:
        add(item.model_dump_json())
    _add_index(add, index_meta)
    add(index_meta.model_dump_json(include={"mode", "token_mode", "dense_model"}))
    _add_files(add, [*sorted((_ROOT / "assistant").rglob("*.*")),
                     *(_ROOT / "eval" / name for name in _OURS_CODE)])
    add(settings.model_dump_json(exclude={"data_dir", "cache_dir"}))
    if settings.tuning_file is not None:
        _add_files(add, [Path(settings.tuning_file)])
    add(backend())
    _add_versions(add, _OURS_LIBRARIES)
    return add.hex()


def _add_versions(add: _Key, libraries: tuple[str, ...]) -> None:
    for library in libraries:
        try:
            add(f"{library}=={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            add(f"{library} missing")


def _path(folder: Path, label: str, digest: str) -> Path:
    """One folder per configuration (its label, made a safe file name), one file per key."""
    name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in label)
    return folder / name / f"{digest}.json"


def kept_dir(settings) -> Path:
    """Where the kept results live: the settings' cache directory, shared by every data dir."""
    return settings.cache_dir / "eval"


def load_json(folder: Path, label: str, digest: str) -> dict | None:
    path = _path(folder, label, digest)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # a damaged entry: recompute
        log.warning("eval cache entry %s unreadable (%s): recomputing", path, exc)
        return None
    with contextlib.suppress(OSError):  # recently used: kept by store_json's pruning
        path.touch()
    return data


def store_json(folder: Path, label: str, digest: str, data: dict) -> None:
    """Keep this key's entry; of this label's other keys, the least recently used beyond
    KEPT_PER_KIND go."""
    try:
        path = _path(folder, label, digest)
        write_atomically(path, [json.dumps(data, ensure_ascii=False).encode("utf-8")],
                         same_kind="*.json")
    except OSError as exc:  # a read-only cache directory costs the cache, not the run
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


def load_items(folder: Path, label: str, digest: str) -> list[ItemResult] | None:
    """Our configuration's item results stored under this key, or None."""
    data = load_json(folder, label, digest)
    if data is None:
        return None
    try:
        return [ItemResult.model_validate(i) for i in data["items"]]
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("eval cache entry of %s unreadable (%s): recomputing", label, exc)
        return None


def store_items(folder: Path, label: str, digest: str, items: list[ItemResult]) -> None:
    store_json(folder, label, digest, {"items": [i.model_dump(mode="json") for i in items]})


def store(folder: Path, label: str, digest: str, chunks: int, build_seconds: float,
          items: list[ItemResult]) -> None:
    store_json(folder, label, digest, {"chunks": chunks, "build_seconds": build_seconds,
                                       "items": [i.model_dump(mode="json") for i in items]})
