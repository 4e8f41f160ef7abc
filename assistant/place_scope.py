"""A question about a place is answered from that place's documents, its city's and
province's, and national law — never from another place's ("那广西呢？" must not quote
Guangdong's target). When those documents do not state it, the answer says so."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.models import Passage
from assistant.places import find_places, region_names
from assistant.retrieve import SearchIndex


@dataclass(frozen=True)
class PlaceScope:
    place: str  # as the user says it: 广西
    regions: frozenset[str]  # the regions whose documents apply to it

    def allows(self, index: SearchIndex, passage: Passage) -> bool:
        doc = index.docs.get(passage.doc_id or "")
        return doc is None or not doc.region or doc.region in self.regions


def place_scope(index: SearchIndex, query: str) -> PlaceScope | None:
    """The scope of a question naming a place that some local document covers, or None (no
    place, or only places no document covers: out_of_scope speaks to those)."""
    named = [p for p in find_places(query) if region_names(p) & index.local_regions]
    if not named:
        return None
    regions = frozenset().union(*(region_names(p) for p in named))
    return PlaceScope("、".join(dict.fromkeys(p.short for p in named)), regions)


def within(index: SearchIndex, scope: PlaceScope | None, passages: list[Passage]) -> list[Passage]:
    return passages if scope is None else [p for p in passages if scope.allows(index, p)]
