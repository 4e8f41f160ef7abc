"""English and mixed questions, read through the field's English → Chinese glossary
(data/glossary.yaml): the documents are Chinese, so an English question retrieves and is
answered through the Chinese terms its words stand for; the quotes stay the documents' own."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import RootModel

from assistant import datafile

GLOSSARY_FILE = Path(__file__).resolve().parent / "data" / "glossary.yaml"
_LATIN = re.compile(r"[A-Za-z]")
_HANZI = re.compile(r"[\u3400-\u9fff]")
_ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z\-'’]*(?:[\s,]+[A-Za-z][A-Za-z\-'’]*)*")


class Glossary(RootModel[dict[str, list[str]]]):
    """English term (lower case) → the Chinese terms it stands for."""


@lru_cache(maxsize=1)
def _glossary() -> tuple[re.Pattern, dict[str, list[str]]]:
    terms = datafile.load(GLOSSARY_FILE, Glossary).root
    keys = sorted(terms, key=len, reverse=True)  # "cleaner production audit" before "audit"
    pattern = re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, keys)) + r")(?![a-z])")
    return pattern, terms


def chinese_terms(text: str) -> list[str]:
    pattern, terms = _glossary()
    found = [t for m in pattern.finditer(text.lower().replace("’", "'")) for t in terms[m.group(0)]]
    return list(dict.fromkeys(found))


def chinese_reading(question: str) -> str | None:
    """How a question with English words reads in the documents' language, or None when it has
    none the glossary knows. An English question becomes its Chinese terms (with any Chinese
    and numbers it had); a Chinese question with a few English words keeps its text and gains
    their Chinese terms (VOCs, COD stay: the documents use them too)."""
    if not _LATIN.search(question):
        return None
    terms = chinese_terms(question)
    if not terms:
        return None
    latin, hanzi = len(_LATIN.findall(question)), len(_HANZI.findall(question))
    if latin > hanzi:
        rest = " ".join(_ENGLISH_RUN.sub(" ", question).split())
        return " ".join([*terms, rest]).strip()
    return f"{question} {' '.join(t for t in terms if t not in question)}".strip()
