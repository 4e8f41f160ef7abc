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
TOKENIZER_VERSION = "2"  # bump when tokenize() changes, so the index re-tokenizes
BIGRAM_PREFIX = "§"

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_lock = threading.Lock()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = resources.files("assistant.data").joinpath("stopwords.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with resources.as_file(resources.files("assistant.data").joinpath("userdict.txt")) as path:
        tokenizer.load_userdict(str(path))
    tokenizer.initialize()
    return tokenizer


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
    with _lock:  # jieba's lazy structures are not thread-safe during first use
        tokenizer = _jieba()
    return [
        w for w in tokenizer.cut_for_search(fold(text).lower())
        if w not in stop and _KEEP.search(w)
    ]


def precise_words(text: str) -> list[str]:
    """jieba's precise (non-overlapping) segmentation, without stopwords: one term per idea."""
    stop = stopwords()
    with _lock:
        tokenizer = _jieba()
    return [w for w in tokenizer.cut(fold(text).lower()) if w not in stop and _KEEP.search(w)]


@lru_cache(maxsize=1)
def _tagger():
    import jieba.posseg

    return jieba.posseg.POSTokenizer(_jieba())


def nouns(text: str) -> list[str]:
    """Common nouns of a (short) text, in order; place names (ns) excluded."""
    stop = stopwords()
    with _lock:
        tagged = list(_tagger().cut(fold(text).lower()))
    return [pair.word for pair in tagged
            if (pair.flag.startswith("n") or pair.flag == "vn") and pair.flag != "ns"
            and pair.word not in stop and len(pair.word) > 1]


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
