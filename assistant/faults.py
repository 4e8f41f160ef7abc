"""A fault-injection hook for the reliability tests (tests/reliability/): with
CPAUDIT_CRASH_AT=<step> set, the process kills itself with SIGKILL, as a power cut or the OOM
killer would, when it reaches the named step of a corpus change or an index build. Off unless
the variable is set; the steps are listed where crash_point() is called (grep crash_point).
"""

from __future__ import annotations

import os
import signal

CRASH_ENV = "CPAUDIT_CRASH_AT"


def crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)
