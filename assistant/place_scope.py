"""A question about a place is answered from that place's documents, its city's and
province's, and national law — never from another place's ("那广西呢？" must not quote
Guangdong's target), and a count asked of it never from a wider region's total ("顺德区呢？"
is not answered by Guangdong's 5000 enterprises). When those documents do not state it, the
answer says so."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.asks import Ask
from assistant.models import Passage
from assistant.places import Place, find_places, parents, region_names
from assistant.retrieve import SearchIndex
from assistant.tuning import tuning


@dataclass(frozen=True)
class PlaceScope:
    place: str  # as the user says it: 广西
    regions: frozenset[str]  # the regions whose documents apply to it
    own: frozenset[str] = frozenset()  # the names of the places asked about themselves

    def allows(self, index: SearchIndex, passage: Passage) -> bool:
        doc = index.docs.get(passage.doc_id or "")
        return doc is None or not doc.region or doc.region in self.regions

    def wider_total(self, index: SearchIndex, passage: Passage, ask: Ask) -> bool:
        """Whether a passage's count is a wider region's total, not the place's: a count is
        asked (多少家), the passage's document is of a region holding the place, and the
        passage does not name the place (a plan's row for 顺德区 does state 顺德区's)."""
        if ask.unit not in tuning().regional_counts:
            return False
        doc = index.docs.get(passage.doc_id or "")
        return doc is not None and bool(doc.region) and doc.region not in self.own \
            and not any(name in passage.text for name in self.own)


def place_scope(index: SearchIndex, query: str) -> PlaceScope | None:
    """The scope of a question naming a place that some local document covers, or None (no
    place, or only places no document covers: out_of_scope speaks to those)."""
    named = [p for p in find_places(query) if region_names(p) & index.local_regions]
    if not named:
        return None
    regions = frozenset().union(*(region_names(p) for p in named))
    asked = [p for p in named if not _holds_another(p, named)]
    return PlaceScope("、".join(dict.fromkeys(_label(p, named) for p in asked)), regions,
                      frozenset(n for p in asked for n in (*p.names, p.short)))


def _holds_another(place: Place, named: list[Place]) -> bool:
    return any(place in parents(other) for other in named)


def _label(place: Place, named: list[Place]) -> str:
    """A place as one name, with the named place that holds it: 广州黄埔区, not 广州、黄埔区."""
    holders = [p for p in parents(place) if p in named]
    return "".join(p.short for p in [*holders[::-1], place])


def within(index: SearchIndex, scope: PlaceScope | None, passages: list[Passage]) -> list[Passage]:
    return passages if scope is None else [p for p in passages if scope.allows(index, p)]


def own_counts(index: SearchIndex, scope: PlaceScope | None, passages: list[Passage],
               ask: Ask) -> list[Passage]:
    """The passages that may state the place's own count (not a wider region's total)."""
    if scope is None:
        return passages
    return [p for p in passages if not scope.wider_total(index, p, ask)]
