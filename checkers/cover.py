"""A report's title and cover fields. The cover's "key：value" lines (企业名称, 行业, 编制单位 …)
feed industry detection and the consultant check; the cover keys are data: rules/report.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

_TITLE_END = re.compile(r"报告(?:[（(][^）)]{0,12}[）)])?")
_COVER_LINE = re.compile(r"^([\u4e00-\u9fff]{2,8})[：:\s]\s*(.+)$")


def split_title(text: str) -> tuple[str, str]:
    """"…审核报告企业名称：…" → ("…审核报告", "企业名称：…"): a wrapped PDF title line runs
    into the next line of the cover."""
    m = _TITLE_END.search(text)
    if m is None:
        return text.strip(), ""
    return text[: m.end()].strip(), text[m.end():].strip()


@lru_cache(maxsize=8)
def _cover_keys(keys: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(map(re.escape, sorted(keys, key=len, reverse=True)))
    return re.compile(rf"(?:{words})[：:\s]")


def cover_fields(text: str, keys: Collection[str]) -> dict[str, str]:
    """"key：value" fields of a cover line, cut before each of `keys` a wrapped line runs on to."""
    pattern = _cover_keys(tuple(keys))
    cuts = [0] + [m.start() for m in pattern.finditer(text) if m.start()] + [len(text)]
    fields: dict[str, str] = {}
    for a, b in zip(cuts, cuts[1:], strict=False):
        if m := _COVER_LINE.match(text[a:b].strip()):
            fields.setdefault(m.group(1), m.group(2).strip())
    return fields
