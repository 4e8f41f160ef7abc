"""Write assistant/data/common_hanzi.txt: the characters most Chinese text is made of, in
simplified and traditional forms, for the loader's encoding plausibility check
(assistant.loader.decode_text).

Source: jieba's dictionary (word frequencies from a large general corpus) — each character's
frequency is the sum of the frequencies of the words it appears in; the TOP most frequent
characters are kept, with their traditional forms from OpenCC (s2t), one line each. Not tuned
on any test item: the list is general knowledge of the written language.

    .venv/bin/python scripts/make_common_hanzi.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jieba
import opencc

TOP = 3500  # the size of 通用规范汉字表's first-level (common) list
OUT = Path(__file__).resolve().parents[1] / "assistant" / "data" / "common_hanzi.txt"


def main() -> None:
    counts: Counter[str] = Counter()
    dictionary = Path(jieba.__file__).parent / "dict.txt"
    for line in dictionary.read_text("utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        for ch in word:
            if "\u4e00" <= ch <= "\u9fff":
                counts[ch] += int(freq)
    simplified = [ch for ch, _ in counts.most_common(TOP)]
    s2t = opencc.OpenCC("s2t")
    chars = dict.fromkeys(simplified + [s2t.convert(ch) for ch in simplified])
    header = ("# The most common Chinese characters, simplified and traditional "
              f"(scripts/make_common_hanzi.py: top {TOP} of jieba's dictionary + OpenCC s2t).\n")
    body = "".join(chars)
    OUT.write_text(header + "\n".join(body[i:i + 50] for i in range(0, len(body), 50)) + "\n",
                   "utf-8")
    print(f"{OUT}: {len(chars)} characters")


if __name__ == "__main__":
    main()
