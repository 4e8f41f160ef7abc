"""Places a question can name, from the national gazetteer (GB/T 2260 via the GB2260
package), not from the corpus: "那广西呢？" must be understood whether or not Guangxi has a
document. Each place knows its parents, so a district question (顺德区) can be answered from
its city's (佛山市) and province's (广东省) documents and national law.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Official suffixes, longest first: 广西壮族自治区 → 广西, 佛山市 → 佛山, 延边朝鲜族自治州 → 延边.
_SUFFIX = re.compile(
    r"(?:(?:壮族|回族|维吾尔|朝鲜族|藏族|彝族|土家族苗族|苗族侗族|布依族苗族|哈尼族彝族|傣族|白族|"
    r"蒙古族藏族|哈萨克|蒙古|羌族|黎族苗族)?自治(?:区|州|县|旗)|特别行政区|省|市|地区|盟)$")
_PLAIN_SUFFIX = re.compile(r"(?:自治区|自治州|省|市)$")  # 内蒙古自治区: 蒙古 is not its people's name
_MIN_SHORT = 2
_NOT_NAMES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
NATIONAL = "全国"


@dataclass(frozen=True)
class Place:
    code: int
    name: str  # official: 广西壮族自治区, 顺德区
    short: str  # as people say it: 广西, 佛山; a county's own name keeps its suffix (顺德区)
    level: int  # 1 province, 2 prefecture, 3 county/district

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.name, self.short)))


@lru_cache(maxsize=1)
def gazetteer() -> dict[int, Place]:
    from gb2260.data import data  # the current division list (key None)

    places = {}
    for code, name in data[None].items():
        level = 1 if code % 10000 == 0 else 2 if code % 100 == 0 else 3
        short = name
        if level < 3 or name.endswith("自治县"):
            cut = _SUFFIX.sub("", name)
            if len(cut) < _MIN_SHORT:
                cut = _PLAIN_SUFFIX.sub("", name)
            short = cut if len(cut) >= _MIN_SHORT else name
        places[code] = Place(code, name, short, level)
    return places


@lru_cache(maxsize=2)
def _names(county_short: bool) -> tuple[dict[str, list[Place]], dict[str, tuple[int, ...]]]:
    """Every name → its places, and for each first two characters the lengths of the names
    that start with them, longest first (every name has two characters at least)."""
    by_name: dict[str, list[Place]] = {}
    for place in gazetteer().values():
        if place.name in _NOT_NAMES:
            continue
        names = list(place.names)
        if county_short and place.level == 3 and len(place.name) > _MIN_SHORT:
            names.append(place.name[:-1])  # 顺德区 → 顺德, only where a bare name is expected
        for name in names:
            by_name.setdefault(name, []).append(place)
    lengths: dict[str, set[int]] = {}
    for name in by_name:
        lengths.setdefault(name[:2], set()).add(len(name))
    return by_name, {head: tuple(sorted(n, reverse=True)) for head, n in lengths.items()}


def find_places(text: str, *, county_short: bool = False) -> list[Place]:
    """The places named in `text`, in order, longest name first at each position; a name
    shared by several places (朝阳区) gives the highest-level one. `county_short` also reads a
    district without its 区/县 (顺德) — for a bare follow-up ("顺德呢？") only: in running text
    such names are ordinary words (和平, 长安)."""
    # A scan with lookups by the names' first two characters: what an alternation of all
    # 6,000 names, longest first, matches, without compiling that regex in every process
    # (a tenth of a second).
    by_name, lengths = _names(county_short)
    found, i = [], 0
    while i < len(text) - 1:
        n = next((n for n in lengths.get(text[i:i + 2], ())
                  if i + n <= len(text) and text[i:i + n] in by_name), 0)
        if n:
            found.append(min(by_name[text[i:i + n]], key=lambda p: (p.level, p.code)))
        i += n or 1
    return found


def parents(place: Place) -> list[Place]:
    """Its prefecture and province (GB/T 2260 codes: 440606 → 440600 → 440000)."""
    table = gazetteer()
    codes = [place.code // 100 * 100, place.code // 10000 * 10000]
    return [table[c] for c in dict.fromkeys(codes)
            if c != place.code and c in table and table[c].name not in _NOT_NAMES]


def region_names(place: Place) -> set[str]:
    """The regions whose documents apply to a place: itself, its parents, and the nation."""
    return {NATIONAL} | {n for p in [place, *parents(place)] for n in p.names}
