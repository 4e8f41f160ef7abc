"""Work handed to a forked process on the second core, its result sent back pickled.

Used where a command has two independent halves of pure-Python work (a long PDF's pages,
`cpaudit eval`'s LangChain baselines beside our own configurations): one runs in a forked copy
of this process while this process does the other. Only where it is safe and pays: on Linux,
from a process running a single thread (a fork copies one thread; a lock another thread held
stays held forever in the copy — never inside the threaded API server), with two usable cores
and a 1-minute load average below their number (under load the second core is taken, and
the fork and the pickles only add CPU). The forked process leaves with `os._exit` and sends
nothing when its work fails, so the caller does the work itself and raises what it raises.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
import sys
import threading
from collections.abc import Callable

from assistant.budget import checkpoint

_POLL_SECONDS = 0.05  # how often a wait for the other half looks for a cancelled request


def usable() -> bool:
    """A fork may run beside this process now (see the module's docstring)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and only_thread() \
        and spare_core()


def only_thread() -> bool:
    return threading.active_count() == 1


def spare_core() -> bool:
    """Two usable cores, and the machine not so busy that the second is taken: on a loaded
    machine the forked half waits for a core, and the fork and the pickles only add CPU."""
    cores = len(os.sched_getaffinity(0))
    return cores >= 2 and os.getloadavg()[0] < cores


def fork_pipe() -> tuple[int, int, int] | None:
    """(pid, reader, writer) of a fork with a pipe from it; None when the system refuses one
    (too many processes, no memory): the caller then does the work itself."""
    try:
        reader, writer = os.pipe()
    except OSError:
        return None
    try:
        return os.fork(), reader, writer
    except OSError:
        os.close(reader)
        os.close(writer)
        return None


def send_and_exit(work: Callable[[], object], writer: int) -> None:
    """In the forked process: `work()`, pickled to `writer`, then leave at once — no clean-up
    of the parent's objects, no buffers flushed twice. A failure sends nothing."""
    try:
        payload = pickle.dumps(work(), pickle.HIGHEST_PROTOCOL)
        view = memoryview(payload)
        while view:
            view = view[os.write(writer, view):]
    finally:
        os._exit(0)


def receive(reader: int) -> object | None:
    """What the forked process sent, or None when it sent nothing (it failed). The wait looks
    for a cancelled request every `_POLL_SECONDS` (assistant.budget.checkpoint)."""
    parts = []
    while True:
        ready, _, _ = select.select([reader], [], [], _POLL_SECONDS)
        if not ready:
            checkpoint()
            continue
        part = os.read(reader, 1 << 20)
        if not part:
            break
        parts.append(part)
    collecting = gc.isenabled()
    gc.disable()  # thousands of new objects, none of them garbage: half the unpickling time
    try:
        return pickle.loads(b"".join(parts)) if parts else None
    except Exception:  # a truncated payload: the forked process died while writing
        return None
    finally:
        if collecting:
            gc.enable()


class Forked:
    """`work()` running in a forked process; `result()` waits for what it returns (None when
    it failed or sent nothing), `stop()` kills it. Start with `Forked.start`."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid, self._reader = pid, reader

    @classmethod
    def start(cls, work: Callable[[], object]) -> Forked | None:
        """None when no fork was made (the system refused one): do the work here."""
        forked = fork_pipe()
        if forked is None:
            return None
        pid, reader, writer = forked
        if pid == 0:
            os.close(reader)
            send_and_exit(work, writer)
        os.close(writer)
        return cls(pid, reader)

    def result(self) -> object | None:
        try:
            return receive(self._reader)
        except BaseException:
            self.stop()
            raise
        finally:
            self._close()

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._close()

    def _close(self) -> None:
        if self._reader < 0:
            return
        os.close(self._reader)
        self._reader = -1
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
