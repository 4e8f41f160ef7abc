"""Question understanding shared by retrieval and answering: expansion with domain synonyms."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import RootModel

from assistant import datafile
from assistant.models import Strict

DATA = Path(__file__).resolve().parent / "data"


class Synonyms(RootModel[dict[str, list[str]]]):
    """data/synonyms.yaml: a question's wording → the documents' wordings added to the search."""


class Scope(Strict):
    """data/scope.yaml: places and bodies a question can be scoped to."""

    regions: list[str]


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    return datafile.load(DATA / "synonyms.yaml", Synonyms).root


def expand(question: str) -> str:
    """The question plus the document wording of the colloquial terms it uses."""
    extra = [term for key, terms in synonyms().items() if key in question for term in terms]
    return question if not extra else question + " " + " ".join(extra)


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
    return [p for p in scope_terms() if p in question]
