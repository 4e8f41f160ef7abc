"""Which of a fixed set of keys occur in a text, found without testing every key.

Data files map words to other words (data/lay_legal.yaml: 464 everyday words; synonyms;
document titles), and a question is checked against all of them. `key in text` for each key
costs a substring search per key, ~0.2 ms a question for the lay vocabulary alone. Keys are
grouped here by their first two characters: only the keys whose first two characters occur
in the text are tested, and the answer is the same as testing them all.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class KeywordIndex:
    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = list(keys)
        self._by_head: dict[str, list[int]] = {}
        self._short: list[int] = []  # keys under two characters: tested directly
        for i, key in enumerate(self.keys):
            if len(key) < 2:
                self._short.append(i)
            else:
                self._by_head.setdefault(key[:2], []).append(i)

    def positions(self, text: str) -> list[int]:
        """Positions (in the keys' order) of the keys that occur in `text`."""
        hits = [i for i in self._short if self.keys[i] in text]
        by_head = self._by_head
        for head in {text[i:i + 2] for i in range(len(text) - 1)}:
            for i in by_head.get(head, ()):
                if self.keys[i] in text:
                    hits.append(i)
        return sorted(hits)

    def found(self, text: str) -> list[str]:
        """The keys that occur in `text`, in the keys' order."""
        return [self.keys[i] for i in self.positions(text)]


class JoinedTexts:
    """The other way round: which of a fixed list of texts hold a word (documents' regions
    and titles, for the places a question names), found by searching the texts joined once
    instead of testing each text in Python (3,475 tests per new place set on the law
    library)."""

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts
        self._text = "\n".join(texts)
        self._starts = np.cumsum([0, *(len(t) + 1 for t in texts)])[:-1]
        self._count = len(texts)
        self._by_word: dict[str, np.ndarray] = {}

    def any_of(self, words) -> np.ndarray:
        """Per text, in order: does it hold any of the words (`word in text`)?"""
        found = np.zeros(self._count, dtype=bool)
        for word in words:
            if word not in self._by_word:
                self._by_word[word] = self._holding(word)
            found |= self._by_word[word]
        return found

    def _holding(self, word: str) -> np.ndarray:
        if not word or "\n" in word:  # "" is in every text; a newline could match across two
            return np.fromiter((word in t for t in self._texts), dtype=bool, count=self._count)
        holds = np.zeros(self._count, dtype=bool)
        at = self._text.find(word)
        while at >= 0:
            i = int(np.searchsorted(self._starts, at, side="right")) - 1
            holds[i] = True
            if i + 1 == self._count:
                break
            at = self._text.find(word, int(self._starts[i + 1]))  # the next text on
        return holds
