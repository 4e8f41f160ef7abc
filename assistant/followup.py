"""Resolving a follow-up question ("那广西呢？") against the conversation so far."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.articles import article_heading
from assistant.bilingual import chinese_reading, is_english
from assistant.evidence import content_terms
from assistant.lazy_pattern import LazyPattern
from assistant.places import Place, find_places, located_places, parents
from assistant.sentences import clauses
from assistant.textfold import HANZI, bigram_overlap

_FOLLOWUP_START = LazyPattern(r"^(那么?|那个|还有|另外|如果是|如果|要是|换成|对于)")
_FOLLOWUP_END = LazyPattern(r"(呢|怎么样|如何)[？?。]*$")
# "那广西呢？培训哪些人", "顺德区呢？哪些园区可以做示范？": a clause ending in 呢 continues
_FOLLOWUP_CLAUSE = LazyPattern(r"呢[？?。，,！!]")
# "And in Guangxi?", "What about hotels in Guangdong?", "Is it the same in Jiangsu?"
_ENGLISH_FOLLOWUP = LazyPattern(
    r"^\s*(?:and|what about|how about|what if|is it the same|is that the same|same for|also|"
    r"then|so)\b", re.IGNORECASE)
# "另外，…", "还有，…", "另外问一下：…" open another question: what follows is judged on its own
_ANOTHER = LazyPattern(r"^(?:另外|还有|此外|再)(?:问(?:一下|下|个|一个)|请问)?[，,、：:]\s*")
# … and an ordinal of something listed before ("第二个阶段是什么时候？"): not 第二十七条
_PRONOUN = LazyPattern(r"(它|这个|该规定|这些|上述|那个|那里|其中|刚才|前面(?:说|提到?)的|"
                       r"第[一二三四五六七八九十两]{1,2}个)")
# Thanks and acknowledgements ("好的，谢谢！", "我明白了", "谢谢您的解答", "OK, thanks") close a
# question, they do not continue it.
_ACK_WORD = (r"(?:我们?)?(?:好的?|好滴|好吧|好嘞|太好了|(?:非常|十分|太)?(?:谢谢|多谢|感谢)|谢啦|明白了?"
             r"|知道了|清楚了|收到了?|了解了?|懂了|嗯{1,3}|行|可以了?|没问题了?|辛苦了?"
             r"|ok(?:ay)?|thanks?(?: you)?|thank you|got it)")
_ACKNOWLEDGEMENT = LazyPattern(
    rf"^(?:{_ACK_WORD}(?:你|您|啦|了|啊|呀|哈|的(?:解答|回答|帮助))*[，,。.！!~～\s]*){{1,4}}$",
    re.IGNORECASE)
# A turn that asks its own thing names what it asks ("…由谁定？", "…要多久？", "…吗？"); an
# ellipsis ("那广西呢？", "如果它拒不整改呢？") asks the previous question's thing again.
_OWN_ASK = LazyPattern(r"什么|啥|哪|吗|多少|几|怎|谁|是否|能否|可否|有没有|要不要|多久|多长")
_CLAUSE = LazyPattern(r"[？?，,。；;！!]+")
_SHORT = 10  # characters: "需要准备什么材料？" is a follow-up even without a marker
_PLACE_ONLY_TAIL = 4  # "那广西呢？", "南海区的呢": a place and a few characters ask the same again
_SAME_ASK = 0.5  # "那广西呢？培训哪些人": a clause mostly in the previous question re-asks it
_REPEATED = 0.8  # a quote this much inside the previous answer is that answer again


@dataclass(frozen=True)
class Resolved:
    """A turn as the conversation resolves it. Whether it continues an earlier question is
    decided once, by the resolver (assistant.service.resolve), and carried here: what is
    searched may differ from what was typed for other reasons (an English turn read in
    Chinese), and that does not make a first question a follow-up."""

    turn: str  # the user's turn, as read (question_form)
    query: str  # what is asked and searched: history applied, English read in Chinese
    follow_up: bool = False
    earlier: str = ""  # a follow-up's earlier question, as the conversation resolved it
    turn_read: str | None = None  # the turn's own Chinese reading, when it has English words
    # the previous answer, when the follow-up asks something new of it ("那审批机关要是照样批了
    # 呢？", "中小企业呢？"): what it quoted is not this turn's answer
    said_before: str = ""

    def repeats(self, quote: str) -> bool:
        """Whether a quote gives the previous answer again: some of its clauses are in that
        answer, and the others name nothing the turn newly asks about ("中小企业呢？" is not
        answered by the sentence that answered the previous question, with its tail; "那电力
        要占多少？" is, when that sentence goes on to state the share of 电力)."""
        if not self.said_before:
            return False
        label = article_heading(quote)  # "第三十四条 …": the number is no part of what it says
        quote = quote.strip()[len(label):] if label else quote
        parts = clauses(quote) or [quote]
        new = [c for c in parts if bigram_overlap(c, self.said_before) < _REPEATED]
        if len(new) == len(parts):
            return False
        asked = [w for w in content_terms(self.said) if len(w) >= 2
                 and w not in self.earlier and w not in self.said_before]
        return not any(w in c for c in new for w in asked) if asked else not new

    def reading(self, query: str | None, turn: str | None = None) -> Resolved:
        """The same turn searched as `query` (its Chinese reading), when there is one; `turn`
        is the turn's own reading."""
        return replace(self, query=query or self.query, turn_read=turn or self.turn_read)

    @property
    def said(self) -> str:
        """The turn in the documents' language: what a follow-up's own words are ("How often
        …exchange meeting?" says 多久 经验交流 会议)."""
        return self.turn_read or self.turn

    @property
    def shown(self) -> str | None:
        """What the answer shows as understood ("理解为：…"), when it is not what was typed."""
        return self.query if self.query != self.turn else None


def is_followup(question: str) -> bool:
    """Whether a turn continues the previous question. A turn without Chinese continues it
    only when the glossary reads it as a place ("And in Guangxi?"); "hello" starts afresh."""
    q = question.strip()
    while True:  # each opener off in turn ("另外，还有，…"): a loop, not a call per opener
        if not HANZI.search(q):
            reading = chinese_reading(q)
            return reading is not None and (bool(_ENGLISH_FOLLOWUP.search(q))
                                            or bool(_place_ellipsis(_core(reading))))
        if is_acknowledgement(q):
            return False
        another = _ANOTHER.match(q)
        if not (another and q[another.end():]):
            break
        q = q[another.end():].strip()
    return bool(_FOLLOWUP_START.search(q) or _FOLLOWUP_END.search(q) or _PRONOUN.search(q)
                or _FOLLOWUP_CLAUSE.search(q)) or len(q) <= _SHORT


def is_acknowledgement(turn: str) -> bool:
    return bool(_ACKNOWLEDGEMENT.match(turn.strip()))


def asks_its_own(turn: str) -> bool:
    """Whether a turn names what it asks, rather than asking the previous question's thing."""
    return bool(_OWN_ASK.search(turn))


def merge_followup(question: str, previous: str) -> str:
    """Without an LLM: substitute a new place into the previous question, or join the two."""
    turn = _ANOTHER.sub("", question.strip())
    if is_english(previous):
        # "How many … must Guangdong …?" then "那广西呢？": the place is swapped in the
        # question's Chinese reading — in the English, 广西 would be added beside Guangdong
        previous = chinese_reading(previous) or previous
    if not HANZI.search(turn):
        return _merge_english(chinese_reading(turn) or turn, previous)
    clauses = [c for c in _CLAUSE.split(turn) if c.strip()]
    first = _core(clauses[0]) if clauses else ""
    town = _township_swap(first, previous) if len(clauses) == 1 else None
    if town is not None:
        return town
    places = _place_ellipsis(first, previous)
    if not places:
        core = _added(turn)
        named = find_places(turn)
        if named and find_places(previous):
            # "佛山评先进企业的时候呢？" after a Guangzhou question: asked of 佛山 now
            previous = _with_places(previous, named, turn)
        return f"{previous.rstrip('？?。')} {core}".strip()
    merged = _with_places(previous, places, first)
    # what follows the place ("培训哪些人") is kept only when it asks something new
    rest = "，".join(_core(c) for c in clauses[1:])
    if rest and bigram_overlap(rest, previous) < _SAME_ASK:
        merged = f"{merged.rstrip('？?。')} {rest}"
    return merged


# Townships (镇, 乡, 街道) lie below the gazetteer's counties: a few characters (no particle:
# "对城镇" is no township) and their suffix ("西樵镇", "九江镇" — a name a city also has),
# recognised only where the earlier question names one right after its city or county
_TOWNSHIP = LazyPattern(r"(?:(?![的对在和与里中及等各])[\u4e00-\u9fff]){2,4}?(?:镇|乡|街道)")


def _township_swap(core: str, previous: str) -> str | None:
    """"西樵镇呢？" after "佛山禅城区南庄镇的…": the township swapped, and the county before it
    dropped — which county the new township lies in, the gazetteer does not say."""
    if not _TOWNSHIP.fullmatch(core):
        return None
    named = located_places(core)
    if named and named[0][0] == 0 and _TOWNSHIP.fullmatch(core[named[0][1]:]):
        return None  # "佛山九江镇": a place, then its township — a place follow-up
    for start, end, place in located_places(previous):
        old = _TOWNSHIP.match(previous, end) if place.level >= 2 else None
        if old:
            return previous[:start if place.level == 3 else end] + core + previous[old.end():]
    return None


def _merge_english(reading: str, previous: str) -> str:
    """An English turn, read through the glossary ("多久 佛山 交流会"): its places swap the
    previous question's, and its other words join it when they ask something new ("How often
    …exchange meeting?" after a training question asks about the meeting, not the training)."""
    places = find_places(reading)
    rest = reading
    for place in places:
        rest = rest.replace(_said(reading, place), " ")
    rest = " ".join(w for w in _CLAUSE.sub(" ", rest).split()
                    if w not in _FILLER and w not in previous)
    merged = _with_places(previous, places, reading) if places else previous
    return f"{merged.rstrip('？?。')} {rest}".strip() if rest else merged


# glossary readings of English words that carry no subject of their own ("What about …?")
_FILLER = frozenset({"什么", "省", "市", "区"})


def _core(text: str) -> str:
    return _FOLLOWUP_END.sub("", _FOLLOWUP_START.sub("", text.strip())).strip("？?。 的")


def _added(turn: str) -> str:
    """What a turn joined to the earlier question adds: its markers off, its asking words kept
    ("不做会怎么样" asks what happens; only a place ellipsis drops 怎么样: "那广西怎么样？")."""
    return _ELLIPSIS_END.sub("", _FOLLOWUP_START.sub("", turn.strip())).strip("？?。 的")


_ELLIPSIS_END = LazyPattern(r"呢[？?。]*$")


def _place_ellipsis(core: str, previous: str = "") -> list[Place]:
    """The places a clause swaps in, when the clause is places and a few characters ("广西",
    "广东的条例", "江门新会区") or places and words of the previous question ("广西是怎么公示的"
    after "广东…是怎么向社会公示的"). A district without its 区 ("顺德") counts only as the
    whole clause: "资源化" is not 资源县."""
    now = find_places(core)
    if now:
        named = sum(len(_said(core, p)) for p in now)
        tail = core
        for place in now:
            tail = tail.replace(_said(core, place), "")
        if len(core) <= named + _PLACE_ONLY_TAIL or bigram_overlap(tail, previous) >= _SAME_ASK:
            return now
        return []
    bare = find_places(core, county_short=True)
    return bare[:1] if bare and _said(core, bare[0]) == core else []


def _with_places(previous: str, places: list[Place], said_in: str) -> str:
    before = find_places(previous)
    if not before:
        return "".join(_said(said_in, p) for p in places) + previous
    merged = previous
    put: list[tuple[Place, str]] = []  # the turn's places as put into the question
    for place in places:
        same = [p for p in before if p.level == place.level]
        if not same and place is not places[0]:
            # 江门 of "江门新会区" swaps 佛山; 新会区 swaps the district, if any, else follows
            # the place it lies in (广东… then "那广州黄埔区呢？": 广东广州黄埔区…)
            holder = next((text for p, text in put if p in parents(place)), None)
            if holder is not None:
                merged = merged.replace(holder, holder + _said(said_in, place), 1)
            continue
        replaced = (same or before)[0]
        old = _said(previous, replaced)
        # the previous question's form of the name (三水区 → 顺德区, 广东 → 广西): documents
        # name a district with its 区
        new = place.name if old == replaced.name else _said(said_in, place)
        if not same and replaced in parents(place):
            new = old + new  # a place within the one asked about: 广州 → 广州黄埔区
        else:
            # "四川通知说…" asked of 广西: the old place's document goes with it (the answer is
            # scoped to the new place's documents, whatever their kind)
            at = merged.find(old)
            document = _DOCUMENT_AFTER.match(merged, at + len(old)) if at >= 0 else None
            if document:
                old += document.group(0)
        merged = merged.replace(old, new, 1)
        put.append((place, new))
    return merged


# a place's document named right after it: 四川通知, 广州方案里, 佛山的规划中
_DOCUMENT_AFTER = re.compile(r"的?(?:实施方案|行动方案|发展规划|方案|规划|通知|条例|办法|意见)(?:里|中)?")


def _said(text: str, place: Place) -> str:
    """How the text names the place (广西 or 广西壮族自治区, 顺德 or 顺德区)."""
    names = sorted({*place.names, place.name[:-1]}, key=len, reverse=True)
    return next((n for n in names if n in text), place.short)
