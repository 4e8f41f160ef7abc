"""Which of a fixed set of keys occur in a text, found without testing every key.

Data files map words to other words (data/lay_legal.yaml: 464 everyday words; synonyms;
document titles), and a question is checked against all of them. `key in text` for each key
costs a substring search per key, ~0.2 ms a question for the lay vocabulary alone. Keys are
grouped here by their first two characters: only the keys whose first two characters occur
in the text are tested, and the answer is the same as testing them all.
"""

from __future__ import annotations

from collections.abc import Iterable


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
