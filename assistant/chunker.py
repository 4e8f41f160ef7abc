"""Structure-aware chunking of Chinese official documents.

Plans and notices are cut along their headings (一、 / （一） / 1. / 专栏N / 附件N); laws along
their articles (第X条), one article per chunk, never split unless it alone exceeds the size
limit. Small neighbouring sections of a plan are merged up to the target size; long ones are
split at sentence ends (。；！？). Every chunk keeps its section path, article, page and offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.document import Document, Numbering, TableBlock
from assistant.models import Chunk
from assistant.sections import SectionMap
from assistant.sentences import sentence_spans
from assistant.structure import ARTICLE_RANK, Heading

CHUNKER_VERSION = "2"  # bump when chunk boundaries change, so the index re-chunks everything
_PATH_SEP = " > "


@dataclass
class _Unit:
    start: int
    end: int
    path: list[str]
    article: str | None


def chunk_document(
    doc_id: str, doc: Document, *, max_chars: int = 600, min_chars: int = 200
) -> tuple[list[Chunk], SectionMap]:
    units, section_map = _units(doc)
    section_map.page_starts = [p.offset for p in doc.pages]
    section_map.page_numbers = [p.number for p in doc.pages]
    is_law = sum(1 for u in units if u.article) >= 3
    pieces: list[_Unit] = []
    for unit in units:
        pieces.extend(_split(doc.text, unit, max_chars))
    pieces = _merge(doc.text, pieces, min_chars, max_chars, is_law=is_law)
    chunks = []
    for n, piece in enumerate(p for p in pieces if doc.text[p.start:p.end].strip()):
        text = doc.text[piece.start:piece.end].strip("\n")
        start = piece.start + (len(doc.text[piece.start:piece.end]) -
                               len(doc.text[piece.start:piece.end].lstrip("\n")))
        end = start + len(text)
        page, page_end = doc.page_at(start), doc.page_at(max(end - 1, start))
        chunks.append(Chunk(
            id=f"{doc_id}#chunk-{n}", doc_id=doc_id, text=text,
            section=_PATH_SEP.join(piece.path), article=piece.article,
            page=page, page_end=page_end, start=start, end=end,
        ))
    return chunks, section_map


def _heading(numbering: Numbering | None) -> Heading | None:
    if numbering is None:
        return None
    return Heading(numbering.kind, numbering.rank, numbering.label, numbering.marker)


def _units(doc: Document) -> tuple[list[_Unit], SectionMap]:
    """Group blocks under their headings; each heading (or article, or numbered item) opens
    a unit."""
    stack: list[Heading] = []
    units: list[_Unit] = []
    section_map = SectionMap([], [], [])
    seen_numbered = False
    article: str | None = None
    for block in doc.blocks:
        heading = None if isinstance(block, TableBlock) else _heading(block.numbering)
        if heading and article and heading.rank > ARTICLE_RANK and heading.kind != "markdown":
            heading = None  # items （一）（二） inside a law article belong to the article
        if heading and heading.kind == "markdown" and not seen_numbered:
            heading = None  # Markdown/DOCX titles before the first numbered heading: masthead
        if heading and heading.kind != "markdown":
            seen_numbered = True
        if heading is None:
            if not units:
                units.append(_Unit(block.start, block.end, [], None))
            units[-1].end = block.end
            continue
        while stack and stack[-1].rank >= heading.rank:
            stack.pop()
        stack.append(heading)
        article = heading.label if heading.kind == "article" else None
        path = [h.label for h in stack if h.kind != "article"]
        units.append(_Unit(block.start, block.end, path, article))
        section_map.starts.append(block.start)
        section_map.paths.append(_PATH_SEP.join(path))
        section_map.articles.append(article)
    return units, section_map


def _split(text: str, unit: _Unit, max_chars: int) -> list[_Unit]:
    if unit.end - unit.start <= max_chars:
        return [unit]
    pieces, start, end = [], unit.start, unit.start
    for sentence_start, sentence_end in _sentences(text, unit.start, unit.end, max_chars):
        if sentence_end - start > max_chars and end > start:
            pieces.append(_Unit(start, end, unit.path, unit.article))
            start = end
        end = sentence_end
    if end > start:
        pieces.append(_Unit(start, end, unit.path, unit.article))
    return pieces


def _sentences(text: str, start: int, end: int, max_chars: int):
    """Sentence spans in text[start:end]; an over-long sentence is cut at commas or hard."""
    for s, e in sentence_spans(text, start, end, semicolons=True):
        while e - s > max_chars:
            window = text[s:s + max_chars]
            cut = max(window.rfind("，"), window.rfind(","), window.rfind("、"))
            cut = s + (cut + 1 if cut > max_chars // 3 else max_chars)
            yield s, cut
            s = cut
        yield s, e


def _merge(
    text: str, pieces: list[_Unit], min_chars: int, max_chars: int, *, is_law: bool
) -> list[_Unit]:
    merged: list[_Unit] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        fits = last is not None and piece.end - last.start <= max_chars
        adjacent = fits and not text[last.end:piece.start].strip()
        if adjacent and last.article is None and _is_heading_only(text, last):
            # A bare heading ("一、工作目标", "第二章 …") opens the chunk of its first child.
            merged[-1] = _Unit(last.start, piece.end, piece.path, piece.article)
        elif (
            adjacent and not is_law and last.article is None and piece.article is None
            and last.end - last.start < min_chars and not _is_heading_only(text, piece)
        ):
            # The merged chunk lives under the sections the two pieces share.
            common = []
            for a, b in zip(last.path, piece.path, strict=False):
                if a != b:
                    break
                common.append(a)
            merged[-1] = _Unit(last.start, piece.end, common or last.path, None)
        else:
            merged.append(piece)
    return merged


def _is_heading_only(text: str, unit: _Unit) -> bool:
    body = text[unit.start:unit.end].strip("\n")
    return "\n" not in body and len(body) <= 40
