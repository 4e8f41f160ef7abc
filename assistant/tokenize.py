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
from pathlib import Path
from typing import Literal

from assistant.lazy_pattern import LazyPattern
from assistant.textfold import fold

TokenMode = Literal["jieba", "bigram", "both"]
TOKENIZER_VERSION = "3"  # bump when tokenize() changes, so the index re-tokenizes
BIGRAM_PREFIX = "§"
# The package's data files, read as plain files (importlib.resources costs more than reading)
DATA_DIR = Path(__file__).resolve().parent / "data"

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_lock = threading.Lock()
_full_lock = threading.Lock()  # the full dictionary is built once


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = (DATA_DIR / "stopwords.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


class _Segmenter:
    """jieba's segmentation, through rjieba (jieba-rs, the same dictionary) when it is
    installed and through jieba itself otherwise. Both get data/userdict.txt.

    rjieba first runs over a sub-dictionary (`_SubDictionary`): the few texts a command
    tokenizes never pay for building the whole dictionary (a fifth of a second). Past
    `_SUB_DICTIONARY_CHARS` characters — an index build, a server that has answered a while —
    the full dictionary is built once and used from then on; the tokens are the same either
    way (tests/assistant/test_tokenizer_parity.py).

    jieba-rs keeps a run like 2010-2020 or 5-8 whole where jieba's HMM step splits it into
    2010 / - / 2020; `_as_jieba` splits such tokens the way jieba does, so both give the same
    tokens (tests/assistant/test_tokenizer_parity.py checks it on a corpus sample)."""

    def __init__(self) -> None:
        self._sub: _SubDictionary | None = None
        self._full = None
        self.compact = None  # assistant.jieba_dict's file, kept for word_tag after a switch
        jieba_class = _rjieba_class()
        if jieba_class is None:
            self.backend = "jieba (rjieba not importable)"
            self._py = _python_jieba()
            self.has_word = lambda w: bool(self._py.FREQ.get(w))
            return
        self.backend = "rjieba"
        compact = _compact_dictionary() if hasattr(jieba_class, "empty") else None
        if compact is not None:
            self.compact = compact
            self._sub = _SubDictionary(jieba_class, compact)
            self.has_word = self._sub.has_word
        else:
            self._full_rjieba()

    def _full_rjieba(self):
        """rjieba's default segmenter (the whole dictionary, built on import) with our words."""
        with _full_lock:
            if self._full is None:
                import rjieba

                # rjieba builds its default segmenter on import; a second `rjieba.Jieba()`
                # would build the dictionary again, so the user words go into that one.
                for word, freq, tag in user_words():
                    rjieba.add_word(word, freq, tag)
                self._full = rjieba
                self.has_word = rjieba.has_word
                self._sub = None
        return self._full

    def _rust_cut(self, text: str, *, search: bool) -> list[str]:
        sub = self._sub
        if sub is not None and sub.chars + len(text) <= _SUB_DICTIONARY_CHARS:
            return sub.cut(text, search=search)
        rs = self._full_rjieba()
        return rs.cut_for_search(text) if search else rs.cut(text)

    def cut(self, text: str) -> list[str]:
        if self.backend != "rjieba":
            return list(self._py.cut(text))
        return self._as_jieba(self._rust_cut(text, search=False), text, search=False)

    def cut_for_search(self, text: str) -> list[str]:
        if self.backend != "rjieba":
            return list(self._py.cut_for_search(text))
        return self._as_jieba(self._rust_cut(text, search=True), text, search=True)

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


class _SubDictionary:
    """An empty rjieba segmenter given, before each text, the dictionary words that occur in
    it (assistant.jieba_dict), and a filler entry that keeps its total frequency the full
    dictionary's: every DAG edge, route score, HMM test and search gram of the text is then
    what the full dictionary gives. Words only accumulate, and a word that is not in a text
    changes nothing of its segmentation. The filler holds characters no jieba block contains
    (blocks are CJK, letters, digits and +#&._%-), so it is never part of a text's DAG."""

    _FILLER = "\x00\x00"

    def __init__(self, jieba_class, compact) -> None:
        self._jieba = jieba_class.empty()
        self._compact = compact
        self._words: dict[str, int] = {}
        self._pieces: dict[str, None] = {}  # whitespace-free pieces whose words are in
        self._sum = 0
        self.chars = 0
        self._guard = threading.Lock()  # add_word must never run during another thread's cut

    def has_word(self, word: str) -> bool:
        return word in self._words  # asked of substrings of texts already prepared

    def cut(self, text: str, *, search: bool) -> list[str]:
        # No dictionary word holds whitespace, and no jieba block either: the words of a text
        # are those of its whitespace-separated pieces, and a piece seen before adds nothing
        # (titles and chapter names recur from text to text).
        new: dict[str, int] = {}
        for piece in text.split():
            if piece not in self._pieces:
                new.update((w, f) for w, f in self._compact.words_in(piece).items()
                           if w not in self._words)
        with self._guard:
            self._pieces.update(dict.fromkeys(text.split()))
            new = {w: f for w, f in new.items() if w not in self._words}  # another thread's
            if new:
                for word, freq in new.items():
                    self._jieba.add_word(word, freq, None)
                self._words.update(new)
                self._sum += sum(new.values())
                self._jieba.add_word(self._FILLER, self._compact.total - self._sum, None)
            self.chars += len(text)
            return self._jieba.cut_for_search(text) if search else self._jieba.cut(text)


# Past this many characters through the sub-dictionary (a few hundred short texts), building
# the full dictionary once costs less than looking up every further text's words.
_SUB_DICTIONARY_CHARS = 20_000


def user_words() -> list[tuple[str, int | None, str | None]]:
    """data/userdict.txt as (word, frequency, part of speech), jieba's user-dictionary format."""
    out = []
    for line in _user_text().decode("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, *rest = line.split()
            out.append((word, int(rest[0]) if rest else None, rest[1] if len(rest) > 1 else None))
    return out


def _user_text() -> bytes:
    return (DATA_DIR / "userdict.txt").read_bytes()


def _rjieba_class():
    """rjieba's segmenter class, without running its package `__init__`, which builds the
    default dictionary (0.2 s) on import: the extension module is loaded on its own, under
    its own name, so a later `import rjieba` finds it already loaded."""
    import importlib.machinery
    import importlib.util
    import sys

    if "rjieba.rjieba" in sys.modules:
        return sys.modules["rjieba.rjieba"].Jieba
    spec = importlib.util.find_spec("rjieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = Path(folder) / f"rjieba{suffix}"
            if path.is_file():
                name = "rjieba.rjieba"
                loader = importlib.machinery.ExtensionFileLoader(name, str(path))
                module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
                loader.exec_module(module)
                sys.modules[name] = module
                return module.Jieba
    return None


def prepare() -> bool:
    """Derive the compact dictionary now (the install's step, assistant.prepare); False when
    it cannot be (no jieba dict.txt, or a user word without its frequency)."""
    return _compact_dictionary() is not None


def _compact_dictionary():
    """The memory-mapped dictionary of assistant.jieba_dict in the cache directory, or None
    (no user word may lack its frequency: jieba-rs would suggest one from the dictionary)."""
    from assistant.derived import cache_dir
    from assistant.jieba_dict import open_dictionary

    words = user_words()
    if any(freq is None for _, freq, _ in words):
        return None
    return open_dictionary(cache_dir(), words, _user_text())


# A letter or digit, one other character, a digit: where jieba-rs and jieba part ways.
_JOINED = re.compile(r"[a-zA-Z0-9][^\sa-zA-Z0-9\u4e00-\u9fd5.%][0-9]")
_FINALSEG_SKIP = LazyPattern(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


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
    tokenizer.load_userdict(str(DATA_DIR / "userdict.txt"))
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """Parts of speech as jieba's dictionary lists them (jieba.posseg reads them on import),
    and our user words'. jieba-rs tags differently (罚 zg for v), so the tags stay jieba's.
    Only where the compact dictionary is not available: it holds the same tags."""
    import jieba.posseg

    tags = dict(jieba.posseg.dt.word_tag_tab)
    tags.update((word, tag) for word, _, tag in user_words() if tag)
    return tags


def word_tag(word: str) -> str:
    """jieba's part of speech of a dictionary word; "x" for a word the dictionary lacks."""
    compact = _segmenter().compact
    if compact is not None:
        return compact.tag(word) or "x"
    return _word_tags().get(word, "x")


def _segmenter() -> _Segmenter:
    global _SEGMENTER
    if _SEGMENTER is None:
        with _lock:  # built once, even when the first questions arrive on several threads
            if _SEGMENTER is None:
                _SEGMENTER = _Segmenter()
    return _SEGMENTER


_SEGMENTER: _Segmenter | None = None


def expect_texts(chars: int) -> None:
    """A caller about to tokenize `chars` characters (a document being indexed): when that
    takes the sub-dictionary past its limit anyway, the full dictionary is built now rather
    than after the words of the first texts were looked up one by one (same tokens)."""
    segmenter = _segmenter()
    sub = segmenter._sub
    if sub is not None and sub.chars + chars > _SUB_DICTIONARY_CHARS:
        segmenter._full_rjieba()


def build_full_dictionary() -> None:
    """For a process that will tokenize without end (the server, at start-up): the full
    dictionary now, so that no request pays for the switch from the sub-dictionary (0.2–0.8 s
    of one request, past `_SUB_DICTIONARY_CHARS`) nor for the sub-dictionary's per-text word
    look-ups before it (a third of the law library's first asks). Same tokens either way."""
    segmenter = _segmenter()
    if segmenter._sub is not None:
        segmenter._full_rjieba()


def backend() -> str:
    """Which segmenter runs: "rjieba", or jieba with the reason."""
    return _segmenter().backend


def tokenizer_fingerprint() -> str:
    """Changes whenever tokens would: the code version, our word lists, and jieba's own
    dict.txt — the words and frequencies every segmentation scores with (the compact
    dictionary is derived from it), which a jieba upgrade changes. dict.txt (5 MB) is known
    by its size and modification time, as the derived files know their sources."""
    import hashlib

    from assistant.jieba_dict import jieba_dict_path

    h = hashlib.sha256(TOKENIZER_VERSION.encode())
    for name in ("userdict.txt", "stopwords.txt"):
        h.update((DATA_DIR / name).read_bytes())
    source = jieba_dict_path()
    if source is not None:
        st = source.stat()
        h.update(f"dict.txt:{st.st_size}:{st.st_mtime_ns}".encode())
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
    stop = stopwords()
    return [word for word in precise_words(text)
            if ((tag := word_tag(word)).startswith("n") or tag == "vn") and tag != "ns"
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


# Compiled when a text first holds a slash (two CJK ranges: ~1 ms of every cold `ask`, whose
# questions seldom have one).
_SLASH_BETWEEN_HANZI = LazyPattern(r"(?<=[\u4e00-\u9fff])[/／](?=[\u4e00-\u9fff])")


def tokenize(text: str, mode: TokenMode = "both") -> list[str]:
    if "/" in text or "／" in text:  # 无/低费方案 → 无低费方案, as the dictionary has it
        text = _SLASH_BETWEEN_HANZI.sub("", text)
    if mode == "jieba":
        return words(text)
    if mode == "bigram":
        return bigrams(text)
    return words(text) + bigrams(text)
