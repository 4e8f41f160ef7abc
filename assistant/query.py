"""Question understanding shared by retrieval and answering: expansion with domain synonyms
and with the statutes' words for everyday ones (data/lay_legal.yaml)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import RootModel

from assistant import datafile
from assistant.cnnum import int_to_cn
from assistant.keywords import KeywordIndex
from assistant.models import Strict
from assistant.places import located_places
from assistant.tuning import tuning

DATA = Path(__file__).resolve().parent / "data"


class Synonyms(RootModel[dict[str, list[str]]]):
    """data/synonyms.yaml: a question's wording → the documents' wordings added to the search."""


class Homograph(Strict):
    means: list[str]
    unless: list[str] = []


class LayVocabulary(Strict):
    """data/lay_legal.yaml: everyday words → statutory ones; homographs replaced by their
    everyday sense."""

    terms: dict[str, list[str]]
    homographs: dict[str, Homograph] = {}


class Scope(Strict):
    """data/scope.yaml: places and bodies a question can be scoped to."""

    regions: list[str]


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    return datafile.load(DATA / "synonyms.yaml", Synonyms).root


@lru_cache(maxsize=1)
def lay_vocabulary() -> LayVocabulary:
    return datafile.load(DATA / "lay_legal.yaml", LayVocabulary)


@lru_cache(maxsize=1)
def _synonym_keys() -> KeywordIndex:
    return KeywordIndex(synonyms())


@lru_cache(maxsize=1)
def _lay_keys() -> KeywordIndex:
    return KeywordIndex(lay_vocabulary().terms)


def expand(question: str) -> str:
    """The question plus the document wording of the colloquial terms it uses."""
    table = synonyms()
    extra = [term for key in _synonym_keys().found(question) for term in table[key]]
    if tuning().lay_vocabulary:
        question, lay = lay_terms(question)
        extra += lay
    elif tuning().lay_weight > 0:  # the words are added by retrieval, softly
        question = without_homographs(question)
    return question if not extra else question + " " + " ".join(extra)


def without_homographs(question: str) -> str:
    """东西 (things) → 物品 财产 …, unless the question means east–west (东西方向)."""
    for word, sense in lay_vocabulary().homographs.items():
        if word in question and not any(phrase in question for phrase in sense.unless):
            question = question.replace(word, " " + " ".join(sense.means) + " ")
    return question


_AGE = re.compile(r"(\d{1,3})\s*(?:周岁|岁)")


def lay_terms(question: str) -> tuple[str, list[str]]:
    """The question with its homographs resolved, and the statutory words for its everyday
    ones ("18岁" is also "十八周岁", as statutes write ages)."""
    vocabulary = lay_vocabulary()
    question = without_homographs(question)
    extra = [term for key in _lay_keys().found(question) for term in vocabulary.terms[key]]
    extra += [f"{int_to_cn(int(m.group(1)))}周岁" for m in _AGE.finditer(question)]
    return question, extra


@lru_cache(maxsize=4096)
def alternatives(term: str) -> tuple[str, ...]:
    """Document wordings that count as the question term `term` when judging evidence.
    Cached: coverage asks it for every term of every candidate sentence."""
    alts = [term]
    for key, terms in synonyms().items():
        if key in term or (len(term) >= 2 and term in key):
            alts.extend(w for t in terms for w in t.split())
    return tuple(alts)


@lru_cache(maxsize=1)
def scope_terms() -> list[str]:
    """Places and bodies a question can be scoped to (data/scope.yaml)."""
    return datafile.load(DATA / "scope.yaml", Scope).regions


def places(question: str) -> list[str]:
    """The scope terms a question names — as words, not as pieces of other place names: 佛山
    西樵镇 does not name 山西, 浙江苏州 not 江苏."""
    return list(_places(question))


# One retrieval asks this of the same question five times (the place weights, the learned
# terms and expansion, the coverage order, the similar questions' prior): kept per text, as
# located_places is.
@lru_cache(maxsize=4096)
def _places(question: str) -> tuple[str, ...]:
    found = [p for p in scope_terms() if p in question]
    if not found:
        return ()
    spans = [(start, end) for start, end, _ in located_places(question)]
    return tuple(p for p in found if any(_alone(question, p, start, spans)
                                         for start in _occurrences(question, p)))


def _occurrences(text: str, word: str) -> list[int]:
    starts, at = [], text.find(word)
    while at >= 0:
        starts.append(at)
        at = text.find(word, at + 1)
    return starts


def _alone(text: str, word: str, start: int, spans: list[tuple[int, int]]) -> bool:
    end = start + len(word)
    return not any(s < end and start < e and not (s <= start and end <= e)
                   and not (start <= s and e <= end) for s, e in spans)
