"""The one decoding of text files (TXT, MD), in a fixed order:

1. a byte-order mark: UTF-32/UTF-16 (decoded as such or refused); a UTF-8 BOM is only a hint
   (files saved as GBK with a stray UTF-8 BOM are common), so it is dropped and we go on;
2. strict UTF-8;
3. GB18030 and Big5, each decoded strictly and kept only if plausible: at least PLAUSIBLE of its
   Chinese characters are common ones (data/common_hanzi.txt). GB18030 decodes almost any
   bytes, so Big5 text read as GB18030 "succeeds" — as a jumble of rare characters (measured
   on the corpus: 44–59 % common read wrongly, 95–100 % read rightly);
4. charset-normalizer for the rest (Latin-1, Shift-JIS …), under the same plausibility rule
   when the result holds Chinese characters; then a GB18030/Big5 reading without any Chinese
   characters (symbols only);
5. otherwise a clear error.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from assistant.errors import UnreadableFileError
from assistant.textfold import HANZI

COMMON_HANZI = Path(__file__).resolve().parents[1] / "data" / "common_hanzi.txt"
PLAUSIBLE = 0.8
_CANDIDATES = ("gb18030", "big5")  # mainland first: it wins a tie
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    lines = COMMON_HANZI.read_text("utf-8").splitlines()
    return frozenset("".join(line for line in lines if not line.startswith("#")))


def common_share(text: str) -> float | None:
    """The share of common characters among the Chinese characters of `text` (None: none)."""
    hanzi = HANZI.findall(text)
    if not hanzi:
        return None
    common = _common()
    return sum(ch in common for ch in hanzi) / len(hanzi)


def _plausible(text: str) -> float | None:
    """A score when `text` reads as Chinese (or holds no Chinese at all: 0.0), else None."""
    share = common_share(text)
    if share is None:
        return 0.0
    return share if share >= PLAUSIBLE else None


def decode_text(data: bytes, name: str = "text") -> tuple[str, str]:
    """(text, encoding) of a text file's bytes; see the module docstring for the order."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise UnreadableFileError(
                    f"文件以 {encoding.upper()} 标记开头，但内容不是有效的 {encoding.upper()} 文本：{name}",
                    f"{name} starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()} text.",
                    hint_zh="请另存为 UTF-8 编码后重试。", hint_en="Save it as UTF-8 and retry.",
                ) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings = []  # (score, order, encoding, text) of the plausible candidates
    for order, encoding in enumerate(_CANDIDATES):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausible(text)
        if score is not None:
            readings.append((-score, order, encoding, text))
    readings.sort()
    if readings and readings[0][0] < 0:  # reads as Chinese
        return readings[0][3], readings[0][2]
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is not None and guess.encoding not in _CANDIDATES and _plausible(str(guess)) is not None:
        return str(guess), guess.encoding
    if readings:  # no Chinese characters at all, only GB18030/Big5 symbols
        return readings[0][3], readings[0][2]
    raise UnreadableFileError(
        f"无法识别文件编码（不是 UTF-8，也不像 GB18030/GBK 或 Big5 中文文本）：{name}",
        f"Cannot tell the text encoding of {name} (not UTF-8, and it does not read as "
        "GB18030/GBK or Big5 Chinese).",
        hint_zh="请另存为 UTF-8 编码后重试。", hint_en="Save it as UTF-8 and retry.",
    )
