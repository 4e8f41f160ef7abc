"""Which index generation is served: the one CURRENT names if it is intact, else the newest
earlier complete one that is, else none (with the reason).

Integrity is checked by assistant.integrity (sizes on look-up, at most once a second per
generation; checksums and counts once per generation and process, and again when a file
changes). A fallback generation is only served when it holds no document
the corpus has since lost: answering from an older index must never cite a deleted document.
The damage is logged once per generation and process, and reported by `cpaudit status` and
GET /v1/status; start-up and `cpaudit index` repair it by building a new generation.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import IndexDamagedError, IndexMissingError
from assistant.generations import IndexMeta, doc_ids, generations, index_root, read_meta
from assistant.integrity import Damage, check
from assistant.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Live:
    gen: Path | None  # the generation to serve, None when there is none
    meta: IndexMeta | None
    current: str | None  # the name CURRENT holds, None before the first build
    damage: Damage | None = None  # why the current generation is not served

    @property
    def state(self) -> str:
        """ok · degraded (serving an earlier generation) · damaged (nothing to serve) · missing"""
        if self.damage is None:
            return "ok" if self.gen is not None else "missing"
        return "degraded" if self.gen is not None else "damaged"


_metas: dict[str, tuple[tuple, IndexMeta]] = {}
_fallbacks: dict[tuple, tuple[Path | None]] = {}
RECHECK_SECONDS = 1.0
_recent: dict[str, tuple[float, tuple]] = {}
_gen_paths: dict[tuple[str, str], Path] = {}
_reported: set[tuple[str, str]] = set()
_lock = threading.Lock()


def _meta(gen: Path) -> IndexMeta | Damage:
    """The parsed meta.json, cached by its size and mtime (this runs on every request)."""
    try:
        st = os.stat(os.path.join(gen, "meta.json"))
        key = (st.st_size, st.st_mtime_ns)
        with _lock:
            cached = _metas.get(str(gen))
        if cached and cached[0] == key:
            return cached[1]
        meta = read_meta(gen)
    except FileNotFoundError:
        return Damage("缺少 meta.json（该版本不完整）", "meta.json is missing (incomplete generation)")
    except (OSError, ValueError) as exc:
        return Damage("meta.json 无法读取", f"meta.json cannot be read: {exc}")
    with _lock:
        _metas[str(gen)] = (key, meta)
    return meta


def _intact(gen: Path) -> tuple[IndexMeta | None, Damage | None]:
    """The verdict on one generation, re-checked at most every RECHECK_SECONDS: the look-up
    runs on every request, and a dozen stat calls cost more than answering on a busy host."""
    now = time.monotonic()
    with _lock:
        cached = _recent.get(str(gen))
    if cached is not None and now - cached[0] < RECHECK_SECONDS:
        return cached[1]
    meta = _meta(gen)
    if isinstance(meta, Damage):
        verdict = None, meta
    else:
        damage = check(gen, meta)
        verdict = (None, damage) if damage else (meta, None)
    with _lock:
        _recent[str(gen)] = (now, verdict)
    return verdict


def live_generation(settings: Settings) -> Live:
    try:
        current = _read_current(os.path.join(settings.data_dir, "index", "CURRENT"))
    except FileNotFoundError:
        return Live(None, None, None)
    if current:
        gen = _gen_path(settings, current)
        meta, damage = _intact(gen)
        if damage is None:
            return Live(gen, meta, current)
    else:
        damage = Damage("CURRENT 文件为空", "the CURRENT file is empty")
    fallback = _fallback(settings, index_root(settings), current)
    _report(current, damage, fallback)
    if fallback is None:
        return Live(None, None, current, damage)
    return Live(fallback[0], fallback[1], current, damage)


def _read_current(path: str) -> str:
    """CURRENT's text, read with plain system calls: every request reads it, and a text-mode
    open() (a buffered reader and a decoder set up per call) cost several times the read."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = b""
        while block := os.read(fd, 65536):
            data += block
    finally:
        os.close(fd)
    return data.decode("utf-8").strip()


def _gen_path(settings: Settings, name: str) -> Path:
    """index_root / name, built once: pathlib's joins cost more than the rest of a look-up."""
    key = (str(settings.data_dir), name)
    path = _gen_paths.get(key)
    if path is None:
        path = _gen_paths[key] = index_root(settings) / name
    return path


def _fallback(settings: Settings, root: Path, current: str) -> tuple[Path, IndexMeta] | None:
    """Chosen once per set of generations on disk (every build adds one), then only
    re-checked (cheaply) on each look-up."""
    complete = generations(root)
    key = (str(root), current, tuple(g.name for g in complete))
    with _lock:
        cached = _fallbacks.get(key)
    if cached is not None:
        if cached[0] is None:
            return None
        meta, damage = _intact(cached[0])
        if damage is None:
            return cached[0], meta
    choice = _choose_fallback(settings, complete, current)
    with _lock:
        _fallbacks[key] = (choice[0] if choice else None,)
    return choice


def _choose_fallback(settings: Settings, complete: list[Path], current: str):
    from assistant.corpus_layers import load_view

    try:
        known = {d.id for d in load_view(settings).documents}
    except Exception as exc:  # without the corpus we cannot tell what was deleted since
        log.warning("cannot read the corpus to choose a fallback index: %s", exc)
        return None
    names = [g.name for g in complete]
    older = complete[:names.index(current)] if current in names else complete
    for gen in reversed(older):  # never one an interrupted build left behind, newer than CURRENT
        meta, damage = _intact(gen)
        if damage is None and doc_ids(gen) <= known:
            return gen, meta
    return None


def _report(current: str, damage: Damage, fallback) -> None:
    key = (current, str(damage))
    with _lock:
        if key in _reported:
            return
        _reported.add(key)
    if fallback is None:
        log.error("index generation %s is damaged (%s) and no earlier one is usable; "
                  "run: cpaudit index", current, damage)
    else:
        log.error("index generation %s is damaged (%s); serving %s instead until the next "
                  "build (cpaudit index, or a restart)", current, damage, fallback[0].name)


def open_generation(settings: Settings) -> Path:
    """The generation to serve, or an error that names the fix."""
    live = live_generation(settings)
    if live.gen is not None:
        return live.gen
    root = index_root(settings)
    if live.damage is not None:
        raise IndexDamagedError(
            f"索引已损坏（{live.damage.zh}），且没有可用的旧版本（{root}）。",
            f"The index at {root} is damaged ({live.damage.en}) and no earlier version is usable.",
            hint_zh="请运行：cpaudit index（或重启服务，启动时会自动重建）。",
            hint_en="Run: cpaudit index (or restart the service: it rebuilds at start-up).",
        )
    raise IndexMissingError(
        f"尚未建立索引（{root}）。", f"No index found at {root}.",
        hint_zh="请先运行：cpaudit index（或重启服务，启动时会自动建立）。",
        hint_en="Run: cpaudit index (or restart the service: it builds one at start-up).",
    )
