"""Tokens for BM25 over Chinese: jieba search-mode words plus character bigrams.

A regex word tokenizer turns a whole Chinese sentence into one token; jieba splits it into
words, and search mode adds the sub-words of long compounds (清洁生产审核 → 清洁, 生产, 审核,
清洁生产审核). Character bigrams, prefixed so they never collide with words, catch what the
segmenter splits differently in question and document. The domain dictionary in
data/userdict.txt keeps terms like 双超双有 and 强制性清洁生产审核 whole.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from importlib import resources
from typing import Literal

from assistant.textfold import fold

TokenMode = Literal["jieba", "bigram", "both"]
TOKENIZER_VERSION = "3"  # bump when tokenize() changes, so the index re-tokenizes
BIGRAM_PREFIX = "§"

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_lock = threading.Lock()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = resources.files("assistant.data").joinpath("stopwords.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


class _Segmenter:
    """jieba's segmentation, through rjieba (jieba-rs, the same dictionary) when it is
    installed and through jieba itself otherwise. Both get data/userdict.txt.

    jieba-rs keeps a run like 2010-2020 or 5-8 whole where jieba's HMM step splits it into
    2010 / - / 2020; `_as_jieba` splits such tokens the way jieba does, so both give the same
    tokens (tests/assistant/test_tokenizer_parity.py checks it on a corpus sample)."""

    def __init__(self) -> None:
        user_words = [line.split() for line in resources.files("assistant.data")
                      .joinpath("userdict.txt").read_text("utf-8").splitlines()
                      if line.strip() and not line.startswith("#")]
        try:
            import rjieba
        except ImportError:
            rjieba = None
        if rjieba is not None:
            # rjieba builds its default segmenter on import; a second `rjieba.Jieba()` would
            # build the dictionary again, so the user words go into that default one.
            self.backend = "rjieba"
            self._rs = rjieba
            for word, *rest in user_words:
                rjieba.add_word(word, int(rest[0]) if rest else None,
                                rest[1] if len(rest) > 1 else None)
            self.has_word = rjieba.has_word
        else:
            self.backend = "jieba (rjieba not importable)"
            self._py = _python_jieba()
            self.has_word = lambda w: bool(self._py.FREQ.get(w))

    def cut(self, text: str) -> list[str]:
        if self.backend != "rjieba":
            return list(self._py.cut(text))
        return self._as_jieba(self._rs.cut(text), text, search=False)

    def cut_for_search(self, text: str) -> list[str]:
        if self.backend != "rjieba":
            return list(self._py.cut_for_search(text))
        return self._as_jieba(self._rs.cut_for_search(text), text, search=True)

    def _as_jieba(self, tokens: list[str], text: str, *, search: bool) -> list[str]:
        if not _JOINED.search(text):
            return tokens  # the common case: nothing jieba-rs joins differently
        out: list[str] = []
        for token in tokens:
            if not _JOINED.search(token) or self.has_word(token):
                out.append(token)
                continue
            # jieba's finalseg: runs of letters/digits (a decimal, a %) and what lies between.
            for piece in _FINALSEG_SKIP.split(token):
                if piece:
                    out.extend(self._search_grams(piece) if search else ())
                    out.append(piece)
        return out

    def _search_grams(self, word: str) -> list[str]:
        """The dictionary 2- and 3-grams jieba's search mode puts before a long word."""
        grams = [word[i:i + 2] for i in range(len(word) - 1)] if len(word) > 2 else []
        grams += [word[i:i + 3] for i in range(len(word) - 2)] if len(word) > 3 else []
        return [g for g in grams if self.has_word(g)]


# A letter or digit, one other character, a digit: where jieba-rs and jieba part ways.
_JOINED = re.compile(r"[a-zA-Z0-9][^\sa-zA-Z0-9\u4e00-\u9fd5.%][0-9]")
_FINALSEG_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


@lru_cache(maxsize=1)
def _python_jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    if tokenizer.dictionary == jieba.dt.dictionary:
        # The same dictionary as jieba's default tokenizer, which the LangChain baseline
        # uses too: read once (half a second), copied, then our words added to the copy.
        jieba.dt.initialize()
        tokenizer.FREQ, tokenizer.total = dict(jieba.dt.FREQ), jieba.dt.total
        tokenizer.initialized = True
    with resources.as_file(resources.files("assistant.data").joinpath("userdict.txt")) as path:
        tokenizer.load_userdict(str(path))
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """Parts of speech as jieba's dictionary lists them (jieba.posseg reads them on import),
    and our user words'. jieba-rs tags differently (罚 zg for v), so the tags stay jieba's."""
    import jieba.posseg

    tags = dict(jieba.posseg.dt.word_tag_tab)
    for line in resources.files("assistant.data").joinpath("userdict.txt") \
            .read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3 and not line.startswith("#"):
            tags[parts[0]] = parts[2]
    return tags


def _segmenter() -> _Segmenter:
    global _SEGMENTER
    if _SEGMENTER is None:
        with _lock:  # built once, even when the first questions arrive on several threads
            if _SEGMENTER is None:
                _SEGMENTER = _Segmenter()
    return _SEGMENTER


_SEGMENTER: _Segmenter | None = None


def backend() -> str:
    """Which segmenter runs: "rjieba", or jieba with the reason."""
    return _segmenter().backend


def tokenizer_fingerprint() -> str:
    """Changes whenever tokens would: the code version and the dictionaries it reads."""
    import hashlib

    h = hashlib.sha256(TOKENIZER_VERSION.encode())
    for name in ("userdict.txt", "stopwords.txt"):
        h.update(resources.files("assistant.data").joinpath(name).read_bytes())
    return h.hexdigest()[:12]


def words(text: str) -> list[str]:
    """jieba search-mode words of folded, lower-cased text, without stopwords."""
    stop = stopwords()
    return [w for w in _segmenter().cut_for_search(fold(text).lower())
            if w not in stop and _KEEP.search(w)]


def precise_words(text: str) -> list[str]:
    """jieba's precise (non-overlapping) segmentation, without stopwords: one term per idea."""
    stop = stopwords()
    return [w for w in _segmenter().cut(fold(text).lower()) if w not in stop and _KEEP.search(w)]


def nouns(text: str) -> list[str]:
    """Common nouns of a (short) text, in order, by their dictionary tag; place names (ns)
    excluded. The words are the segmenter's: looking their tags up costs a tenth of a
    millisecond where running jieba's tagger cost several on every question. A word the
    dictionary does not hold (要建, 来定 joined by the segmenter's HMM) is no noun."""
    tags = _word_tags()
    stop = stopwords()
    return [word for word in precise_words(text)
            if ((tag := tags.get(word, "x")).startswith("n") or tag == "vn") and tag != "ns"
            and word not in stop and len(word) > 1]


def bigrams(text: str) -> list[str]:
    out = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            if run not in stopwords():
                out.append(BIGRAM_PREFIX + run)
            continue
        out.extend(BIGRAM_PREFIX + run[i:i + 2] for i in range(len(run) - 1))
    return out


_SLASH_BETWEEN_HANZI = re.compile(r"(?<=[\u4e00-\u9fff])[/／](?=[\u4e00-\u9fff])")


def tokenize(text: str, mode: TokenMode = "both") -> list[str]:
    text = _SLASH_BETWEEN_HANZI.sub("", text)  # 无/低费方案 → 无低费方案, as the dictionary has it
    if mode == "jieba":
        return words(text)
    if mode == "bigram":
        return bigrams(text)
    return words(text) + bigrams(text)
