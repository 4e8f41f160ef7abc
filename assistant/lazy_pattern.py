"""Regular expressions compiled when first used.

A pattern compiled at import is compiled in every process that imports its module, used or
not, and `cpaudit ask` is a new process each time: a pattern with a CJK range costs 1–3 ms to
compile (Python's compiler walks the range character by character). The patterns a plain
question never reaches — follow-ups, English questions, townships, British spellings — wait
for their first use instead (4 % of a cold `ask`'s instructions).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """`re.compile(pattern, flags)`, done at the first call of one of its methods; from then on
    its methods are the compiled pattern's own (no indirection left)."""

    def __init__(self, pattern: str, flags: int | re.RegexFlag = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags)

    def __getattr__(self, name: str) -> Callable[..., Any]:  # only before the first use
        if name not in _METHODS:
            raise AttributeError(name)
        compiled = self.compiled()
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"
