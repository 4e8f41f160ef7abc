"""jieba's dictionary (with data/userdict.txt) as one compact file, memory-mapped, so that a
command tokenizing a few short texts never builds the whole 349,000-word dictionary.

What a segmentation reads of the dictionary is only the words that occur in the text — the
DAG's edges, the HMM's "is this run a word" test and search mode's 2- and 3-grams are all
substrings of it — and the dictionary's total frequency (every route score is log(freq) −
log(total)). `CompactDictionary.words_in(text)` finds those words by binary search over the
sorted words; assistant.tokenize gives them, with the total, to an empty rjieba segmenter
and gets the tokens the full one gives (tests/assistant/test_tokenizer_parity.py). Each
word's part of speech is kept too (`tag`), as jieba.posseg reads it from the same dict.txt,
so telling a question's nouns does not import jieba.posseg (a second read of the dictionary).

The file is built from jieba's dict.txt — the dictionary jieba-rs embeds — and our user
words, with jieba-rs's rules (a later entry replaces a word's frequency; the total is the sum
over distinct words). It is kept under the fingerprint of its sources (assistant.derived):
derived once by the install, else in the cache directory, and rebuilt when they change. A
file that is not whole (its header, or its length against the header's counts, is wrong) is
never read: it is built again.

Layout (native byte order, recorded in the fingerprint): header, the distinct first
characters (code points, sorted) and where each one's words start, every word's byte offset
and frequency, every word's tag number (one byte), the tags (space-separated), then the
words' UTF-8 bytes in byte order (which is code-point order).
"""

from __future__ import annotations

import array
import importlib.util
import logging
import mmap
import struct
import sys
from bisect import bisect_left
from itertools import accumulate
from pathlib import Path

from assistant.derived import fingerprint, kept_paths, write_atomically

log = logging.getLogger(__name__)
_MAGIC = b"cpjdict2"
# magic, words, first characters, total, bytes of the tag list, fingerprint
_HEADER = struct.Struct("=8sIIQI32s")


def jieba_dict_path() -> Path | None:
    """jieba's dict.txt, found without importing jieba (which would read it)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    return path if path.is_file() else None


def entries(source: Path, user_words: list[tuple[str, int, str | None]],
            ) -> dict[str, tuple[int, str]]:
    """Every word's frequency as jieba-rs ends up with it and its part of speech as
    jieba.posseg does: dict.txt (a repeated word keeps its last line), then each user word's
    frequency replacing the dictionary's, and its tag where it gives one."""
    out: dict[str, tuple[int, str]] = {}
    for line in source.read_text("utf-8").splitlines():
        parts = line.split()
        if parts:
            out[parts[0]] = (int(parts[1]) if len(parts) > 1 else 0,
                             parts[2] if len(parts) > 2 else "x")
    for word, freq, tag in user_words:
        out[word] = (freq, tag or out.get(word, (0, "x"))[1])
    return out


def write(path: Path, entry: dict[str, tuple[int, str]], fp: str) -> None:
    """Write the compact file (atomically: a reader sees the old file or the new one)."""
    words = sorted(entry)  # code-point order, which is the UTF-8 bytes' order
    encoded = [w.encode("utf-8") for w in words]
    offsets = array.array("I", accumulate(map(len, encoded), initial=0))
    heads, starts, previous = array.array("I"), array.array("I"), ""
    for i, word in enumerate(words):
        if word[0] != previous:
            previous = word[0]
            heads.append(ord(previous))
            starts.append(i)
    starts.append(len(words))
    counts = array.array("I", (entry[w][0] for w in words))
    tag_names = sorted({tag for _, tag in entry.values()})
    number = {tag: i for i, tag in enumerate(tag_names)}
    tag_ids = bytes(number[entry[w][1]] for w in words)  # jieba has < 100 tags
    tag_list = " ".join(tag_names).encode()
    header = _HEADER.pack(_MAGIC, len(words), len(heads), sum(f for f, _ in entry.values()),
                          len(tag_list), fp.encode())
    write_atomically(path, [header, *(a.tobytes() for a in (heads, starts, offsets, counts)),
                            tag_ids, tag_list, b"".join(encoded)])


class CompactDictionary:
    """The memory-mapped file: nothing is read until a text is looked up."""

    def __init__(self, path: Path, fp: str) -> None:
        self.path = path
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)  # empty: ValueError
        if len(self._map) < _HEADER.size:
            raise ValueError(f"{path} is cut short")
        magic, n, n_heads, self.total, tag_bytes, stored = _HEADER.unpack_from(self._map, 0)
        if magic != _MAGIC or stored != fp.encode():
            raise ValueError(f"{path} is not the dictionary of fingerprint {fp}")
        view, at = memoryview(self._map), _HEADER.size
        last_offset_at = at + 4 * (2 * n_heads + 1) + 4 * n  # offsets[n]: the words' length
        words_at = last_offset_at + 4 + 4 * n + n + tag_bytes
        if len(self._map) < words_at or \
                len(self._map) != words_at + struct.unpack_from("=I", self._map, last_offset_at)[0]:
            raise ValueError(f"{path} is not whole")  # cut short or with bytes after its words

        def take(count: int) -> memoryview:
            nonlocal at
            part = view[at:at + 4 * count].cast("I")
            at += 4 * count
            return part

        self._heads, self._starts = take(n_heads), take(n_heads + 1)
        self._offsets, self._freq = take(n + 1), take(n)
        self._tag_ids = view[at:at + n]
        self._tag_names = bytes(view[at + n:at + n + tag_bytes]).decode().split(" ")
        self._words = _Words(self._map, at + n + tag_bytes, self._offsets, n)

    def tag(self, word: str) -> str | None:
        """The word's part of speech (jieba's tag), None if the dictionary does not hold it."""
        if not word:
            return None
        h = bisect_left(self._heads, ord(word[0]))
        if h == len(self._heads) or self._heads[h] != ord(word[0]):
            return None
        key = word.encode("utf-8")
        k = bisect_left(self._words, key, self._starts[h], self._starts[h + 1])
        if k == self._starts[h + 1] or self._words[k] != key:
            return None
        return self._tag_names[self._tag_ids[k]]

    def words_in(self, text: str) -> dict[str, int]:
        """Every dictionary word that is a substring of `text`, with its frequency."""
        found: dict[str, int] = {}
        heads, starts, words, freq = self._heads, self._starts, self._words, self._freq
        end = len(text)
        for i, char in enumerate(text):
            h = bisect_left(heads, ord(char))
            if h == len(heads) or heads[h] != ord(char):
                continue  # no word starts with this character
            lo, hi = starts[h], starts[h + 1]
            for j in range(i + 1, end + 1):
                prefix = text[i:j].encode("utf-8")
                lo = bisect_left(words, prefix, lo, hi)
                if lo == hi:
                    break
                word = words[lo]
                if word == prefix:
                    found[text[i:j]] = freq[lo]
                elif not word.startswith(prefix):
                    break  # no longer word starts with this prefix either
        return found


class _Words:
    """The sorted words as a sequence of bytes, for bisect."""

    def __init__(self, data: mmap.mmap, base: int, offsets: memoryview, n: int) -> None:
        self._data, self._base, self._offsets, self._n = data, base, offsets, n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, k: int) -> bytes:
        return self._data[self._base + self._offsets[k]:self._base + self._offsets[k + 1]]


def open_dictionary(directory: Path, user_words: list[tuple[str, int, str | None]],
                    user_text: bytes) -> CompactDictionary | None:
    """The compact dictionary: the install's copy when it is this fingerprint's and whole
    (assistant.derived.kept_paths), else the one in `directory`, built there first if missing,
    stale or damaged (older fingerprints beyond the newest few are then removed); None if
    jieba's dict.txt is not installed or the directory cannot be written."""
    source = jieba_dict_path()
    if source is None:
        return None
    fp = fingerprint([source], __file__, sys.byteorder.encode(), user_text)
    where = kept_paths(f"jieba-{fp}.dict", directory)
    for path in where:
        try:
            return CompactDictionary(path, fp)
        except (OSError, ValueError):
            continue
    try:
        write(where[-1], entries(source, user_words), fp)
        return CompactDictionary(where[-1], fp)
    except (OSError, ValueError) as exc:
        log.debug("compact jieba dictionary unavailable (%s): the full one is loaded", exc)
        return None
