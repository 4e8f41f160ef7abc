"""Start-up reconciliation, for the server (before the workers start, and in each worker) and
for the CLI: finish or undo a corpus change a crash interrupted, remove what interrupted builds
left (.building-* directories), and make sure an intact index of the corpus is live — built on
a fresh machine, rebuilt when the current generation is damaged or does not hold the corpus's
documents. Requests never build: they are served what is live (assistant.service.open_index).
"""

from __future__ import annotations

import gc
import logging

from assistant.generations import build_lock, doc_ids, index_root, prune_generations, remove_leftovers
from assistant.journal import corpus_lock, recover
from assistant.live_index import Live, live_generation
from assistant.settings import Settings

log = logging.getLogger(__name__)


def prepare(settings: Settings, *, wait: bool = True, show_progress: bool = False) -> None:
    """Reconcile, then build if needed. With wait False, a change under way in another live
    process (it holds the corpus lock) is left alone as long as there is an index to serve."""
    with corpus_lock(settings, wait=wait) as held:
        if held:
            return _reconcile(settings, show_progress)
    if live_generation(settings).gen is None:  # nothing to serve: wait for the lock after all
        with corpus_lock(settings):
            _reconcile(settings, show_progress)


def _reconcile(settings: Settings, show_progress: bool) -> None:
    from assistant.corpus_layers import load_view

    recover(settings)
    root = index_root(settings)
    if root.is_dir():
        with build_lock(root):
            left = remove_leftovers(root)
            if left:
                log.warning("removed what interrupted index builds left: %s", ", ".join(left))
    view = load_view(settings)
    live = live_generation(settings)
    why = _why_build(live, {d.id for d in view.documents})
    if why is None:
        if live.current:
            with build_lock(root):
                prune_generations(root, live.current)
        return
    from assistant.index import build_index  # the loaders and chunker: only to build

    gc.enable()  # a one-question command runs without it (assistant.cli); a build is no quick run
    log.warning("%s: building the index (%s)", why, settings.data_dir)
    report = build_index(settings, view=view, show_progress=show_progress)
    log.warning("索引已建立 / index built: %d documents, %d chunks, mode %s, %.1f s",
                len(report.added) + len(report.updated) + len(report.unchanged), report.chunks,
                report.mode, report.seconds)


def _why_build(live: Live, corpus_ids: set[str]) -> str | None:
    if live.current is None:
        return "首次启动 / first start"
    if live.damage is not None:
        return f"索引已损坏 / the index is damaged ({live.damage})"
    indexed = doc_ids(live.gen)
    if indexed != corpus_ids:
        missing, extra = sorted(corpus_ids - indexed), sorted(indexed - corpus_ids)
        return (f"索引与语料不一致 / the index does not match the corpus (not indexed: "
                f"{', '.join(missing) or '–'}; no longer in the corpus: {', '.join(extra) or '–'})")
    return None
