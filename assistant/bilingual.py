"""English and mixed questions, read through two English → Chinese layers: the field's
hand-checked glossary (data/glossary.yaml), which overrides the lexicon inverted from CC-CEDICT
(data/english_lexicon.yaml, written by scripts/make_english_lexicon.py). The documents are
Chinese, so an English question retrieves and is answered through the Chinese words its words
stand for; the quotes stay the documents' own.

Phrases match longest first ("cleaner production audit" before "audit"), as written or with
their head word in a base form (audits, auditing → audit; a verb form as the verb), so
inflected forms need no entries of their own; function words (data/english_stopwords.txt) are
dropped when no layer knows them. No stemmer: a stem shared by two words (production and
product, conservation and conserve) would read one as the other."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import RootModel

from assistant import datafile
from assistant.lazy_pattern import LazyPattern
from assistant.models import Strict
from assistant.textfold import HANZI, fold

DATA = Path(__file__).resolve().parent / "data"
GLOSSARY_FILE = DATA / "glossary.yaml"
LEXICON_FILE = DATA / "english_lexicon.yaml"
STOPWORDS_FILE = DATA / "english_stopwords.txt"
_LATIN = re.compile(r"[A-Za-z]")
# an English word: letters, with digits inside (5G, CO2, 14th); "China's" is read as "China"
_WORD = LazyPattern(r"[a-z0-9]*[a-z][a-z0-9]*(?:'[a-z]+)?")
# words of one phrase are separated by spaces or hyphens only, never by punctuation or Chinese
_RUN = LazyPattern(r"[a-z0-9]*[a-z][a-z0-9']*(?:[\s\-]+[a-z0-9]*[a-z][a-z0-9']*)*")
_MAX_PHRASE = 6  # words
_LETTERS_PER_HANZI = 2
_VERB_FORM = LazyPattern(r"..(?:ing|ed)$")


class Glossary(RootModel[dict[str, list[str]]]):
    """English term (lower case) → the Chinese terms it stands for."""


class Lexicon(Strict):
    """data/english_lexicon.yaml: English sense → the Chinese word the corpus uses for it."""

    source: str
    licence: str
    entries: dict[str, str]


@dataclass(frozen=True)
class Reading:
    """One English word or phrase of a question and what it stands for."""

    start: int  # offsets into the question
    end: int
    text: str  # lower case, without a possessive 's
    chinese: tuple[str, ...]  # empty: no layer knows it


@lru_cache(maxsize=1)
def english_stopwords() -> frozenset[str]:
    lines = STOPWORDS_FILE.read_text("utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def phrases() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The glossary and the lexicon, each by its phrases as written."""
    glossary = datafile.load(GLOSSARY_FILE, Glossary).root
    lexicon = datafile.load(LEXICON_FILE, Lexicon).entries
    return ({_written(k): tuple(v) for k, v in glossary.items()},
            {_written(k): (v,) for k, v in lexicon.items()})


def _written(phrase: str) -> str:
    return " ".join(_WORD.findall(fold(phrase).lower()))


# A question's words are read in every window of up to _MAX_PHRASE words that holds them:
# their forms and spellings are worked out once per word.
@lru_cache(maxsize=4096)
def base_forms(word: str) -> tuple[str, ...]:
    """The word and what it may be inflected from: plans → plan, policies → policy, taxes →
    tax, saving → save/sav, discharged → discharge/discharg, stopped → stop."""
    forms = [word]
    for suffix, replacements in _INFLECTIONS:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            root = word[:-len(suffix)]
            forms += [root + r for r in replacements]
            if suffix in ("ing", "ed") and len(root) > 2 and root[-1] == root[-2]:
                forms.append(root[:-1])  # stopped → stop
    return tuple(dict.fromkeys(forms))


_INFLECTIONS = (("ies", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ing", ("", "e")),
                ("ied", ("y",)), ("ed", ("", "e")))


def derived_from(word: str) -> list[str]:
    """What a word may be derived from, when the lexicon has no sense for the word itself:
    ecological → ecology, environmental → environment, provincial → province, compensation →
    compensate, production → produce, jointly → joint, development → develop."""
    forms = []
    for suffix, replacements in _DERIVATIONS:
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            forms += [word[:-len(suffix)] + r for r in replacements]
    return list(dict.fromkeys(forms))


_DERIVATIONS = (("ical", ("y", "ic")), ("ial", ("e", "")), ("al", ("", "e")),
                ("uction", ("uce",)), ("ation", ("ate", "e", "")), ("ion", ("", "e")),
                ("ity", ("", "e")), ("ly", ("",)), ("ment", ("",)))


def _variants(words: list[str]) -> list[str]:
    """A phrase as written, then with its last word (the head noun: "production audits") or
    its first (a verb: "discharging wastewater") in a base form; then all that in American
    spelling, which the lexicon (CC-CEDICT) uses: organisations → organizations, publicise
    → publicize, labour → labor, centre → center."""
    out = _written_variants(words)
    american = [american_spelling(w) for w in words]
    if american != words:
        out += [v for v in _written_variants(american) if v not in out]
    return out


def _written_variants(words: list[str]) -> list[str]:
    out = [" ".join(words)]
    out += [" ".join([*words[:-1], f]) for f in base_forms(words[-1])[1:]]
    if len(words) > 1:
        out += [" ".join([f, *words[1:]]) for f in base_forms(words[0])[1:]]
    return out


@lru_cache(maxsize=4096)
def american_spelling(word: str) -> str:
    """A British spelling in American form (tried only after the word as written): -ise/-isation
    → -ize/-ization, -yse → -yze, -our → -or, -tre → -ter, -ogue → -og, -ence → -ense
    (licence), -mme → -m (programme), a doubled l before -ed/-ing (labelled)."""
    for pattern, american in _BRITISH:
        # Each pattern is anchored at the word's end, so it matches once at most: searched
        # first, expanded only when it matches (sub() expands its template on every call).
        found = pattern.search(word)
        if found is not None:
            spelled = word[:found.start()] + found.expand(american) + word[found.end():]
            if spelled != word:
                return spelled
    return word


_BRITISH = tuple((LazyPattern(p), a) for p, a in (
    (r"(?<=..)is(ation|ations|e|es|ed|ing|er|ers)$", r"iz\1"), (r"(?<=.)ys(e|es|ed|ing)$", r"yz\1"),
    (r"(?<=..)our(s|ed|ing|able)?$", r"or\1"), (r"(?<=..)tre(s)?$", r"ter\1"),
    (r"(?<=..)ogue(s)?$", r"og\1"), (r"(?<=..)ence$", "ense"), (r"(?<=..)mme(s)?$", r"m\1"),
    (r"(?<=..[aeiou])ll(ed|ing)$", r"l\1")))


def _lookup(words: list[str]) -> tuple[str, ...]:
    glossary, lexicon = phrases()
    variants = _variants(words)
    for phrase in variants:
        if phrase in glossary:
            return glossary[phrase]
    if len(words) == 1 and words[0] in english_stopwords():
        return ()  # a function word means something only where the glossary says so
    if _VERB_FORM.search(words[0]):  # read as the verb: 拒绝 for "refusing", not 垃圾 "refuse"
        for phrase in variants[1:]:
            if f"to {phrase}" in lexicon:
                return lexicon[f"to {phrase}"]
    for phrase in variants:
        if phrase in lexicon:
            return lexicon[phrase]
    if len(words) == 1:  # a single word the lexicon lacks: the word it is derived from
        spellings = dict.fromkeys((words[0], american_spelling(words[0])))
        for base in (b for w in spellings for b in derived_from(w)):
            for phrase in (base, f"to {base}"):
                if phrase in lexicon:
                    return lexicon[phrase]
    return ()


def english_runs(question: str) -> list[tuple[int, int, list[Reading]]]:
    """The question's runs of English words (words separated by spaces or hyphens only), each
    read left to right into phrases, each phrase matched longest first."""
    text = fold(question).lower()
    stop = english_stopwords()
    runs = []
    for run in _RUN.finditer(text):
        words = list(_WORD.finditer(run.group(0)))
        written = [w.group(0).removesuffix("'s") for w in words]
        found, i = [], 0
        while i < len(words):
            for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
                chinese = _lookup(written[i:i + n])
                if chinese:
                    break
            start, end = run.start() + words[i].start(), run.start() + words[i + n - 1].end()
            if chinese or written[i] not in stop:
                found.append(Reading(start, end, " ".join(written[i:i + n]), chinese))
            i += n
        runs.append((run.start(), run.end(), found))
    return runs


def readings(question: str) -> list[Reading]:
    return [r for _, _, found in english_runs(question) for r in found]


def chinese_terms(text: str) -> list[str]:
    return list(dict.fromkeys(t for r in readings(text) for t in r.chinese))


def chinese_reading(question: str, known: Callable[[str], bool] | None = None) -> str | None:
    """How a question with English words reads in the documents' language, or None when it
    reads as it is. An English question becomes its Chinese words (with any Chinese and numbers
    it had), or None when no layer knows any of its words; a Chinese question with a few
    English words has each replaced in place by its Chinese words. `known` tells which English
    words the index holds (VOCs, COD, LNG): those are kept, beside their Chinese if any; an
    English word that neither a layer nor the index knows is dropped rather than left to weigh
    the question down."""
    if not _LATIN.search(question):
        return None
    found = readings(question)
    known = known or (lambda word: False)

    def said(reading: Reading) -> list[str]:
        typed = question[reading.start:reading.end]
        return [*reading.chinese, *([typed] if known(reading.text) else [])]

    if is_english(question):
        if not any(r.chinese for r in found):
            return None
        terms = list(dict.fromkeys(w for r in found for w in said(r)))
        rest = " ".join(_RUN.sub(" ", fold(question).lower()).split())
        return " ".join([*terms, rest]).strip()
    out, at = [], 0
    for start, end, found_in_run in english_runs(question):
        words = [w for r in found_in_run for w in said(r) if w not in question or w.isascii()]
        joiner = "" if all(HANZI.match(w) for w in words) else " "
        out += [question[at:start], joiner.join(dict.fromkeys(words))]
        at = end
    out.append(question[at:])
    text = " ".join("".join(out).split())
    return None if text == question else text


def is_english(question: str) -> bool:
    """A question written mostly in English: a Chinese character says about as much as two
    or three letters, so "广东对VOCs和data center有什么要求？" is Chinese with English words."""
    return len(_LATIN.findall(question)) > _LETTERS_PER_HANZI * len(HANZI.findall(question))


def english_line(refused: bool) -> str:
    """The line an answer to an English question opens with: the quotes below stay Chinese."""
    if refused:
        return "The Chinese policy documents searched do not answer this question (details in Chinese):"
    return "Quoted from the Chinese policy documents, with their citations (the quotes are in Chinese):"


def english_note(reading: str, refused: bool) -> str:
    """The note an answer to an English or mixed question carries: how it was read."""
    searched = "was searched for" if refused else "was answered from"
    return (f"English words read in Chinese as: {reading} — that reading {searched} the Chinese "
            "documents; quotes are their own text.")
