"""A question about a place is answered from that place's documents, its city's and
province's, and national law — never from another place's ("那广西呢？" must not quote
Guangdong's target). When those documents do not state it, the answer says so."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.models import Passage
from assistant.places import Place, find_places, parents, region_names
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
    return PlaceScope("、".join(dict.fromkeys(_label(p, named) for p in named
                                             if not _holds_another(p, named))), regions)


def _holds_another(place: Place, named: list[Place]) -> bool:
    return any(place in parents(other) for other in named)


def _label(place: Place, named: list[Place]) -> str:
    """A place as one name, with the named place that holds it: 广州黄埔区, not 广州、黄埔区."""
    holders = [p for p in parents(place) if p in named]
    return "".join(p.short for p in [*holders[::-1], place])


def within(index: SearchIndex, scope: PlaceScope | None, passages: list[Passage]) -> list[Passage]:
    return passages if scope is None else [p for p in passages if scope.allows(index, p)]
