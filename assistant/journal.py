"""Corpus changes as transactions: the lock that serializes them, a write-ahead record of the
change in progress, and the recovery that finishes or undoes it after a crash.

An upload or a delete goes (the names are the fault-injection steps, assistant.faults):

    1. journal.json written: the intent (add document X with its file / remove document X)
                                                                    add:journal / remove:journal
    2. add: the file written into the user's layer                  add:file
    3. the index built from the changed corpus and swapped in       build:* , add:index / remove:index
       ── the commit point: the one atomic rename of index/CURRENT ──
    4. the user's manifest rewritten                                add:manifest / remove:manifest
    5. remove: the uploaded file deleted                            remove:file
    6. journal.json removed

Recovery (at start-up of the server and the CLI, and before every change, under the lock) reads
a left-over journal and asks the live index whether step 3 happened: if it did, steps 4–5 are
redone (roll forward: the new corpus), else step 2 is undone (roll back: the old corpus). Every
step is idempotent, so a crash during recovery is recovered the same way. After either, the
manifest, the files and the index agree: no listed document without chunks, no deleted
document still cited.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from assistant.corpus_layers import load_view, save_layer, user_dir
from assistant.durable import remove_durably, write_durably
from assistant.faults import crash_point
from assistant.generations import doc_ids
from assistant.live_index import live_generation
from assistant.models import DocumentMeta, Strict
from assistant.settings import Settings

log = logging.getLogger(__name__)
JOURNAL = "journal.json"


class Intent(Strict):
    op: Literal["add", "remove"]
    document: DocumentMeta
    user_file: bool  # the document's file lives in the user's layer (always so for "add")
    base: str | None  # the generation that was live when the change began


@contextmanager
def corpus_lock(settings: Settings, *, wait: bool = True) -> Iterator[bool]:
    """Serializes corpus changes and recovery across processes (API workers, the CLI). Yields
    False, holding nothing, when wait is False and another live process holds it. The lock
    lives in the data dir: the corpus dir may be a read-only checkout."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / "corpus-admin.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pending(settings: Settings) -> Intent | None:
    path = user_dir(settings) / JOURNAL
    try:
        return Intent.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except ValueError:  # torn or foreign: written durably, so nothing depends on it
        log.warning("unreadable corpus journal %s: ignored", path)
        return None


def live_name(settings: Settings) -> str | None:
    live = live_generation(settings)
    return live.gen.name if live.gen is not None else None


@contextmanager
def transaction(settings: Settings, intent: Intent) -> Iterator[None]:
    """Run the body of a change with its intent journaled; an exception (a full disk) settles
    it at once, which rolls back unless the index swap already happened. Hold corpus_lock."""
    write_durably(user_dir(settings) / JOURNAL, intent.model_dump_json().encode())
    crash_point(f"{intent.op}:journal")
    try:
        yield
    except BaseException:
        settle(settings, intent)
        raise
    _finish(settings)


def recover(settings: Settings) -> str | None:
    """Finish or undo a change a crash interrupted; call with corpus_lock held. Returns what
    was done, for the log."""
    intent = pending(settings)
    if intent is None:
        return None
    outcome = settle(settings, intent)
    log.warning("recovered an interrupted corpus change (%s %s): %s", intent.op,
                intent.document.id, outcome)
    return outcome


def settle(settings: Settings, intent: Intent) -> str:
    doc = intent.document
    view = load_view(settings)
    live = live_generation(settings)
    in_index = live.gen is not None and doc.id in doc_ids(live.gen)
    swapped = live.gen is not None and live.gen.name != intent.base
    staged = view.user_dir / doc.file
    if intent.op == "add":
        if swapped and in_index and staged.is_file():
            save_layer(settings, view.with_document(doc).layer)
            outcome = "rolled forward: the document is in the corpus"
        else:
            if not view.is_user(doc.id):  # never a file the manifest lists
                remove_durably(staged)
            outcome = "rolled back: the corpus is as before the upload"
    elif swapped and not in_index:
        save_layer(settings, view.without(doc.id).layer)
        if intent.user_file:
            remove_durably(staged)
        outcome = "rolled forward: the document is removed"
    else:
        outcome = "rolled back: the document is still in the corpus"
    _finish(settings)
    return outcome


def _finish(settings: Settings) -> None:
    remove_durably(user_dir(settings) / JOURNAL)
