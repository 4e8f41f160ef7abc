"""One learned model's place in the running code: the shipped data file (loaded once, its
feature names checked against the code's), another model put in its place while a block runs
(cross-validation asks each fold with a model learned without it), and a recorder of the
feature rows it is given (what its learning script learns from).

Used by assistant/answer_scorer.py and assistant/rerank.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


class LearnedModel(Generic[M]):
    def __init__(self, path: Path, model: type[M], features: tuple[str, ...],
                 script: str) -> None:
        self.path, self.model, self.features, self.script = path, model, features, script
        self._override: list[M | None] = []
        self._collector: list[list] = []

    @cached_property
    def shipped(self) -> M | None:
        from assistant import datafile

        if not self.path.is_file():
            return None
        loaded = datafile.load(self.path, self.model)
        if tuple(loaded.features) != self.features:
            raise ValueError(f"{self.path.name}: features differ from the code's; learn it "
                             f"again with {self.script}")
        return loaded

    def active(self, enabled: bool) -> M | None:
        """The model to use: the one `overridden` put in place, else the shipped file when the
        tuning turns it on."""
        if self._override:
            return self._override[-1]
        return self.shipped if enabled else None

    @contextmanager
    def overridden(self, model: M | None) -> Iterator[None]:
        """Another model (None: none) while the block runs."""
        self._override.append(model)
        try:
            yield
        finally:
            self._override.pop()

    @contextmanager
    def collecting(self) -> Iterator[list]:
        """Record what `record` is given while the block runs, whether or not a model is in
        use (the learning script's view)."""
        found: list = []
        self._collector.append(found)
        try:
            yield found
        finally:
            self._collector.pop()

    def collecting_now(self) -> bool:
        return bool(self._collector)

    def record(self, item) -> None:
        if self._collector:
            self._collector[-1].append(item)
