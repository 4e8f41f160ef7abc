"""Where each section and page of a document begins: what the chunker records and the index
keeps, so a quote at any offset is cited with its section path, article and page. Its own
module so that loading an index does not import the chunker's document model."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass
class SectionMap:
    """Where each section and page begins, to cite a quote at any offset exactly."""

    starts: list[int]
    paths: list[str]
    articles: list[str | None]
    page_starts: list[int] = field(default_factory=list)
    page_numbers: list[int | None] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.page_starts, offset) - 1
        return self.page_numbers[i] if i >= 0 else None

    def at(self, offset: int) -> tuple[str, str | None]:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return "", None
        return self.paths[i], self.articles[i]
