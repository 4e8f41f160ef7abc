"""The evaluation's history: one summary line per run in <data dir>/eval/history.jsonl, so the
HTML report can chart the headline metrics across runs.

Only runs over the same questions are comparable (a `--limit 40` run is not a dip of the full
set): each line carries a digest of its item ids, and the trend keeps the runs with the
current run's digest.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path

from pydantic import ValidationError

from assistant.models import Strict
from eval.models import EvalRun, Summary

log = logging.getLogger(__name__)
FILE_NAME = "history.jsonl"
TREND_METRICS = ("hit@5", "mrr@10", "ndcg@10", "keyword_recall", "citation_precision",
                 "abstention_recall")


class RunSummary(Strict):
    started_at: str
    qa_path: str
    items: int
    items_digest: str
    llm_answers: bool = False
    configs: dict[str, Summary]  # configuration label → headline metrics


def items_digest(ids: list[str]) -> str:
    return hashlib.sha1("\n".join(sorted(ids)).encode("utf-8")).hexdigest()[:16]


def summarize_run(run: EvalRun) -> RunSummary:
    from eval.metrics import HEADLINE

    ok = [c for c in run.configs if c.status == "ok"]
    ids = [r.id for r in ok[0].items] if ok else []
    return RunSummary(
        started_at=run.started_at, qa_path=run.qa_path, items=run.items,
        items_digest=items_digest(ids), llm_answers=run.llm_answers,
        configs={c.spec.label: {m: c.summary.get(m) for m in HEADLINE} for c in ok})


def append_run(run: EvalRun, path: Path) -> RunSummary:
    """Add the run's summary to the history file atomically: under a lock, the whole new file
    is written beside the old one and swapped in, so a reader or a crash never sees half a
    line and two runs finishing together both land."""
    summary = summarize_run(run)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        old = path.read_bytes() if path.is_file() else b""
        if old and not old.endswith(b"\n"):
            old += b"\n"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as out:
            out.write(old + summary.model_dump_json().encode("utf-8") + b"\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    return summary


def load_history(path: Path) -> list[RunSummary]:
    """Every readable line, oldest first; a damaged line is skipped with a warning."""
    if not path.is_file():
        return []
    runs = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            runs.append(RunSummary.model_validate_json(line))
        except ValidationError:
            log.warning("%s line %d is not a run summary; skipped", path, number)
    return runs


def comparable(history: list[RunSummary], current: RunSummary) -> list[RunSummary]:
    """The runs over the same questions as `current` that evaluated its first
    configuration, oldest first."""
    label = next(iter(current.configs), None)
    return [r for r in history if r.items_digest == current.items_digest
            and r.qa_path == current.qa_path and label in r.configs]
