"""Question understanding shared by retrieval and answering: expansion with domain synonyms."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    text = resources.files("assistant.data").joinpath("synonyms.yaml").read_text("utf-8")
    return {str(k): [str(v) for v in vs] for k, vs in (yaml.safe_load(text) or {}).items()}


def expand(question: str) -> str:
    """The question plus the document wording of the colloquial terms it uses."""
    extra = [term for key, terms in synonyms().items() if key in question for term in terms]
    return question if not extra else question + " " + " ".join(extra)


def alternatives(term: str) -> list[str]:
    """Document wordings that count as the question term `term` when judging evidence."""
    alts = [term]
    for key, terms in synonyms().items():
        if key in term or (len(term) >= 2 and term in key):
            alts.extend(w for t in terms for w in t.split())
    return alts


@lru_cache(maxsize=1)
def scope_terms() -> list[str]:
    """Places and bodies a question can be scoped to (data/scope.yaml)."""
    text = resources.files("assistant.data").joinpath("scope.yaml").read_text("utf-8")
    return list(yaml.safe_load(text)["regions"])


def places(question: str) -> list[str]:
    return [p for p in scope_terms() if p in question]
