"""Places a question can name, from the national gazetteer (GB/T 2260 via the GB2260
package), not from the corpus: "那广西呢？" must be understood whether or not Guangxi has a
document. Each place knows its parents, so a district question (顺德区) can be answered from
its city's (佛山市) and province's (广东省) documents and national law.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from assistant.lazy_pattern import LazyPattern

# Official suffixes, longest first: 广西壮族自治区 → 广西, 佛山市 → 佛山, 延边朝鲜族自治州 → 延边.
_SUFFIX = LazyPattern(
    r"(?:(?:壮族|回族|维吾尔|朝鲜族|藏族|彝族|土家族苗族|苗族侗族|布依族苗族|哈尼族彝族|傣族|白族|"
    r"蒙古族藏族|哈萨克|蒙古|羌族|黎族苗族)?自治(?:区|州|县|旗)|特别行政区|省|市|地区|盟)$")
_PLAIN_SUFFIX = LazyPattern(r"(?:自治区|自治州|省|市)$")  # 内蒙古自治区: 蒙古 is not its people's name
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


def gazetteer() -> dict[int, Place]:
    """Every place of the current division list, by code."""
    return {int(code): place(int(code)) for code in _tables()["places"]}


@cache
def place(code: int) -> Place:
    name, short, level = _tables()["places"][str(code)]
    return Place(code, name, short, level)


def prepare() -> None:
    """Derive the gazetteer's tables now (the install's step, assistant.prepare)."""
    _tables.cache_clear()
    _tables()


@lru_cache(maxsize=1)
def _tables() -> dict:
    """The places (by code as text) and the name look-ups find_places uses, derived from the gazetteer once and
    kept in the cache directory (assistant.derived): importing GB2260's data and deriving the
    tables cost a tenth of a second of every command that reads a question."""
    import importlib.util

    from assistant.derived import cached_value, fingerprint

    spec = importlib.util.find_spec("gb2260")
    source = Path(next(iter(spec.submodule_search_locations))) / "data.py"
    return cached_value("gazetteer", fingerprint([source], __file__), _derive_tables)


def _derive_tables() -> dict:
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
        places[code] = (name, short, level)
    return {"places": places, "names": _names(places, county_short=False),
            "names_county_short": _names(places, county_short=True)}


def _names(places: dict[int, tuple[str, str, int]], *, county_short: bool) -> dict:
    """Every name → the code of the place it means (the highest-level one of a shared name,
    朝阳区), and for each first two characters the lengths of the names that start with them,
    longest first (every name has two characters at least)."""
    by_name: dict[str, list[tuple[int, int]]] = {}
    for code, (name, short, level) in places.items():
        if name in _NOT_NAMES:
            continue
        names = list(dict.fromkeys((name, short)))
        if county_short and level == 3 and len(name) > _MIN_SHORT:
            names.append(name[:-1])  # 顺德区 → 顺德, only where a bare name is expected
        for one in names:
            by_name.setdefault(one, []).append((level, code))
    lengths: dict[str, set[int]] = {}
    for name in by_name:
        lengths.setdefault(name[:2], set()).add(len(name))
    return {"code": {name: min(levels)[1] for name, levels in by_name.items()},
            "lengths": {head: sorted(n, reverse=True) for head, n in lengths.items()}}


def find_places(text: str, *, county_short: bool = False) -> list[Place]:
    """The places named in `text`, in order, longest name first at each position; a name
    shared by several places (朝阳区) gives the highest-level one. `county_short` also reads a
    district without its 区/县 (顺德) — for a bare follow-up ("顺德呢？") only: in running text
    such names are ordinary words (和平, 长安)."""
    return [p for _, _, p in _places_in(text, county_short)]


def located_places(text: str) -> list[tuple[int, int, Place]]:
    """The places the text names with where it names them (start, end offsets): a word that
    crosses one of these names is part of two names, not a name (山西 in 佛山西樵镇)."""
    return list(_places_in(text, False))


# Answering asks this of the same quotes and sections question after question (whether a quote
# is about a sibling place): a quarter of a warm ask's time before it was kept per text.
@lru_cache(maxsize=8192)
def _places_in(text: str, county_short: bool) -> tuple[tuple[int, int, Place], ...]:
    # A scan with lookups by the names' first two characters: what an alternation of all
    # 6,000 names, longest first, matches, without compiling that regex in every process
    # (a tenth of a second).
    # Most positions start no name: they cost one dict look-up, no generator.
    tables = _tables()["names_county_short" if county_short else "names"]
    by_name, heads = tables["code"], tables["lengths"].get
    found, i, end = [], 0, len(text)
    while i < end - 1:
        for n in heads(text[i:i + 2], ()):
            if i + n <= end and text[i:i + n] in by_name:
                found.append((i, i + n, place(by_name[text[i:i + n]])))
                i += n
                break
        else:
            i += 1
    return tuple(found)


def parents(of: Place) -> list[Place]:
    """Its prefecture and province (GB/T 2260 codes: 440606 → 440600 → 440000)."""
    table = _tables()["places"]  # by code as text (JSON keys)
    codes = [of.code // 100 * 100, of.code // 10000 * 10000]
    return [place(c) for c in dict.fromkeys(codes)
            if c != of.code and str(c) in table and table[str(c)][0] not in _NOT_NAMES]


def region_names(of: Place) -> set[str]:
    """The regions whose documents apply to a place: itself, its parents, and the nation."""
    return {NATIONAL} | {n for p in [of, *parents(of)] for n in p.names}
