"""Resolving a follow-up question ("那广西呢？") against the conversation so far."""

from __future__ import annotations

import re

from assistant.places import Place, find_places

_FOLLOWUP_START = re.compile(r"^(那么?|那个|还有|另外|如果是|如果|要是|换成|对于)")
_FOLLOWUP_END = re.compile(r"(呢|怎么样|如何)[？?。]*$")
_PRONOUN = re.compile(r"(它|这个|该规定|这些|上述|那个|那里)")
_HANZI = re.compile(r"[\u4e00-\u9fff]")
# Thanks and acknowledgements ("好的，谢谢！", "明白了") close a question, they do not continue it.
_ACKNOWLEDGEMENT = re.compile(
    r"^(?:(?:好的?|好吧|谢谢|多谢|感谢|明白了?|知道了|收到|了解了?|懂了|嗯+|行|可以了?|没问题|辛苦了?)"
    r"[你您啦了啊呀哈]?[，,。.！!~～\s]*){1,4}$")
_SHORT = 8  # characters: "牵头单位是哪个？" is a follow-up even without a marker
_PLACE_ONLY_TAIL = 4  # "那广西呢？", "南海区的呢": a place and a few characters ask the same again


def is_followup(question: str) -> bool:
    """Whether a turn continues the previous question. A turn without Chinese ("hello", an
    English question) starts afresh: it cannot be an ellipsis of a Chinese question."""
    q = question.strip()
    if not _HANZI.search(q) or is_acknowledgement(q):
        return False
    return bool(_FOLLOWUP_START.search(q) or _FOLLOWUP_END.search(q) or _PRONOUN.search(q)) \
        or len(q) <= _SHORT


def is_acknowledgement(turn: str) -> bool:
    return bool(_ACKNOWLEDGEMENT.match(turn.strip()))


def merge_followup(question: str, previous: str) -> str:
    """Without an LLM: substitute a new place into the previous question, or join the two."""
    core = _FOLLOWUP_END.sub("", _FOLLOWUP_START.sub("", question.strip())).strip("？?。 的")
    now = find_places(core, county_short=len(core) <= _PLACE_ONLY_TAIL)
    if now and len(core) <= len(_said(core, now[0])) + _PLACE_ONLY_TAIL:
        before = find_places(previous)
        if before:
            replaced = _same_level(before, now[0])
            return previous.replace(_said(previous, replaced), _said(core, now[0]), 1)
        return f"{_said(core, now[0])}{previous}"
    return f"{previous.rstrip('？?。')} {core}".strip()


def _same_level(before: list[Place], new: Place) -> Place:
    """The place the follow-up swaps out: one of the same level (禅城区 for 南海区, 广东 for
    广西), else the first named."""
    return next((p for p in before if p.level == new.level), before[0])


def _said(text: str, place: Place) -> str:
    """How the text names the place (广西 or 广西壮族自治区, 顺德 or 顺德区)."""
    names = sorted({*place.names, place.name[:-1]}, key=len, reverse=True)
    return next((n for n in names if n in text), place.short)
