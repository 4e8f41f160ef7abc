"""The one text fold: how two texts are made comparable, wherever the project matches text.

`fold` maps one character to one character, so offsets into folded text are offsets into the
original: full-width ASCII to half-width, the ideographic space to a space, curly quotes to
straight ones, sub- and superscript digits to digits, and traditional to simplified
characters (OpenCC's character table, so "審核機構" matches "审核机构"). Quotes are always
shown from the original, never from folded text. `simplified` is the traditional-to-simplified
part alone; `question_form` that and full-width letters and digits, how a question is read.

`squash` also drops whitespace (to find a quote in a document); `compare_key` further
normalises compatibility forms and case (to compare a table header, a heading or a title).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_FOLD.update({ord("“"): ord('"'), ord("”"): ord('"'), ord("‘"): ord("'"), ord("’"): ord("'")})
_FOLD.update({ord(c): ord(s) for c, s in zip("₀₁₂₃₄₅₆₇₈₉ₓ", "0123456789x", strict=True)})
_FOLD.update({ord(c): ord(s) for c, s in zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True)})


_HAN = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
# One Chinese character, wherever code asks "is there Chinese here?" (CJK unified ideographs with
# extension A, compatibility ideographs, the supplementary planes' extensions)
HANZI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


class _Folding(dict):
    """The fold table, filled in for each Chinese character the first time it is seen."""

    def __missing__(self, cp: int) -> int:
        target = _simplified().get(cp, cp)
        self[cp] = target
        return target


def prepare() -> None:
    """Derive the traditional-to-simplified table now (the install's step, assistant.prepare)."""
    _simplified.cache_clear()
    _simplified()


@lru_cache(maxsize=1)
def _simplified() -> dict[int, int]:
    """Chinese character → its simplified form, where OpenCC's t2s converter turns the
    character alone into one other character. Derived once and kept in the cache directory
    (assistant.derived): a start then reads ~5,000 pairs instead of importing OpenCC, loading
    its dictionaries and converting each new character (~2 % of a cold `ask`)."""
    import importlib.util

    from assistant.derived import cached_value, fingerprint

    spec = importlib.util.find_spec("opencc")
    root = Path(spec.origin).parent
    sources = [root / "__init__.py", *sorted((root / "clib").glob("*.so")),
               *sorted((root / "clib" / "share" / "opencc").glob("*"))]
    pairs = cached_value("t2s", fingerprint(sources, __file__), _derive_simplified)
    return dict(zip(map(ord, pairs["from"]), map(ord, pairs["to"]), strict=True))


def _derive_simplified() -> dict[str, str]:
    import opencc

    # One call for every character, each on its own line: no phrase spans a line, so each
    # converts as it would alone (tests/assistant/test_textfold.py compares them one by one).
    chars = [chr(cp) for low, high in _HAN for cp in range(low, high + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    pairs = [(c, s) for c, s in zip(chars, converted, strict=True) if len(s) == 1 and s != c]
    return {"from": "".join(c for c, _ in pairs), "to": "".join(s for _, s in pairs)}


_TABLE = _Folding(_FOLD)
_HAN_ONLY = _Folding()


_CACHED_CHARS = 4096  # a sentence or a chunk; whole documents are folded once, uncached


def fold(text: str) -> str:
    # Answering folds the same chunk and sentence texts for question after question, and
    # str.translate through a dict costs a lookup per character; a cache hit costs a hash.
    return _fold_cached(text) if len(text) <= _CACHED_CHARS else _folded(text)


@lru_cache(maxsize=4096)  # ~100 questions' texts; at most 4096 × 4096 characters held
def _fold_cached(text: str) -> str:
    return _folded(text)


_ARRAY_CHARS = 64  # below this, numpy's fixed cost per call outweighs the dict's per character


def _folded(text: str) -> str:
    """text.translate(_TABLE). A passage (retrieval's coverage order folds ~50 new ones per
    question) goes through a code-point array instead: ×2–3 faster than a dict look-up per
    character, the same characters (tests/assistant/test_textfold.py)."""
    if len(text) < _ARRAY_CHARS:
        return text.translate(_TABLE)
    import numpy as np

    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _fold_array()[points].tobytes().decode("utf-32-le", "surrogatepass")


def fold_all(texts: list[str]) -> list[str]:
    """fold() of each text, through one pass over them all: the fold maps one code point to
    one, so each text's fold is its own slice of the joined texts' fold. Retrieval's coverage
    order folds ~50 passages per question, each ~10 µs alone, mostly numpy's cost per call."""
    joined = _folded("".join(texts))
    out, at = [], 0
    for text in texts:
        out.append(joined[at:at + len(text)])
        at += len(text)
    return out


@lru_cache(maxsize=1)
def _fold_array():
    """The fold table as an array over every code point (4.4 MB): each character to its fold,
    the characters the table does not change to themselves."""
    import numpy as np

    table = np.arange(0x110000, dtype=np.uint32)
    for pairs in (_simplified(), _FOLD):  # _FOLD's last: the dict looks those up first
        table[np.fromiter(pairs.keys(), np.int64, len(pairs))] = np.fromiter(
            pairs.values(), np.uint32, len(pairs))
    return table


def simplified(text: str) -> str:
    """Only the fold's traditional-to-simplified part, one character to one: how the report
    checks read a report (their patterns spell out full- and half-width punctuation, and
    which one a report uses can matter to them)."""
    return text.translate(_HAN_ONLY)


_LETTERS_AND_DIGITS = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)
                       if chr(cp - 0xFEE0).isalnum()}


def question_form(text: str) -> str:
    """How a question is read before it is analysed: traditional characters simplified and
    full-width letters and digits made half-width (審核２０２５ → 审核2025), one character to
    one. Punctuation stays as typed: the question patterns spell out ？ and ? alike, and a
    follow-up shown back keeps the user's ？."""
    return simplified(text).translate(_LETTERS_AND_DIGITS)


def squash(text: str) -> str:
    """Fold and drop all whitespace: the form used to find a quote in a document."""
    return "".join(fold(text).split())


@lru_cache(maxsize=16384)
def compare_key(text: str) -> str:
    """Squashed, compatibility forms normalised (NFKC: ㎡ → m2, Ⅱ → II), upper case: the form in
    which a table header, heading, caption or document title is compared with the words a rule
    file lists."""
    return unicodedata.normalize("NFKC", squash(text)).upper()


def bigrams_of(text: str) -> set[str]:
    squashed = squash(text)
    return {squashed[i:i + 2] for i in range(len(squashed) - 1)}


def bigram_overlap(text: str, source: str) -> float:
    """Share (0..1) of the text's character bigrams that also occur in the source: how much of
    a claim a passage supports, or how much two quotes repeat each other."""
    grams = bigrams_of(text)
    return len(grams & bigrams_of(source)) / len(grams) if grams else 0.0
