"""Shared by the state reliability tests (tests/reliability/test_state_*.py): a small corpus
with its index built once and copied per test, an upload whose answer is unmistakable, and the
consistency check run after every crash and restart."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections import Counter
from pathlib import Path

from assistant.corpus_admin import NewDocument
from assistant.corpus_layers import load_view, user_dir
from assistant.generations import index_root
from assistant.journal import pending
from assistant.live_index import live_generation
from assistant.retrieve import load_index, retrieve
from assistant.settings import Settings
from support.corpora import corpus_subset

SMALL = ["cleaner-production-law", "gz-action-plan", "gx-plan-2021"]
NOTICE = ("某市生态环境局关于开展清洁生产审核评估验收的通知\n\n一、评估验收范围\n"
          "列入年度名单的重点企业，应当在审核报告完成后六个月内申请评估验收，逾期未申请的予以通报。\n")
NOTICE_META = NewDocument(title="某市评估验收通知", issuer="某市生态环境局", region="某市",
                          kind="notice", id="acceptance-notice")
ASK_NOTICE = "重点企业应当在审核报告完成后多久内申请评估验收？"
ASK_LAW = "使用有毒、有害原料进行生产的企业应当实施强制性清洁生产审核吗？"


def small_corpus(dest: Path) -> Settings:
    """Three bundled documents of the repository's corpus and a data dir, not yet indexed."""
    corpus_subset(dest / "corpus", SMALL)
    return settings_of(dest)


def settings_of(root: Path) -> Settings:
    return Settings(corpus_dir=root / "corpus", data_dir=root / "data", embedding_model="")


def copy_state(template: Settings, dest: Path) -> Settings:
    shutil.copytree(template.corpus_dir, dest / "corpus")
    shutil.copytree(template.data_dir, dest / "data", ignore=shutil.ignore_patterns("*.lock"))
    return settings_of(dest)


def files_of(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def check_consistent(settings: Settings, bundled: dict[str, bytes]) -> set[str]:
    """Everything agrees after a restart: nothing half-done is left, the bundled corpus is
    untouched, the live index is intact and holds exactly the listed documents, each with
    chunks, and the user's files are exactly those the manifest lists. Returns the ids."""
    assert pending(settings) is None, "a corpus journal was left behind"
    root = index_root(settings)
    assert not list(root.glob(".building-*")) and not list(root.glob(".CURRENT.tmp"))
    assert files_of(settings.corpus_dir) == bundled, "the bundled corpus changed"
    view = load_view(settings)
    ids = {d.id for d in view.documents}
    live = live_generation(settings)
    assert live.state == "ok", live.damage
    index = load_index(settings)
    assert set(index.docs) == ids, (set(index.docs), ids)
    counts = Counter(c.doc_id for c in index.chunks)
    assert all(counts[i] > 0 for i in ids), counts
    layer = user_dir(settings)
    stored = {p.relative_to(layer).as_posix() for p in (layer / "docs").glob("*")} \
        if (layer / "docs").is_dir() else set()
    assert stored == {d.file for d in view.layer.documents}, "orphan or missing uploaded files"
    assert not list(layer.glob(".*.tmp")) and not list((layer / "docs").glob(".*.tmp"))
    cited = {p.doc_id for p in retrieve(index, ASK_NOTICE, k=5).passages}
    assert ("acceptance-notice" in cited) == ("acceptance-notice" in ids)
    assert retrieve(index, ASK_LAW, k=3).passages[0].doc_id == "cleaner-production-law"
    return ids


def crash_at(step: str, work, *args, timeout: float = 60.0) -> None:
    """Run work(*args) in a forked child with CPAUDIT_CRASH_AT=step: the child SIGKILLs itself
    at that step (assistant.faults). Fails if it finished, failed or hung instead."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.environ["CPAUDIT_CRASH_AT"] = step
        code = 0
        try:
            work(*args)
        except BaseException:
            code = 3
        os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError(f"the child hung before {step}")
        time.sleep(0.01)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
        f"the child never reached {step} (exit status {status})")
