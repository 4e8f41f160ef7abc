"""How an answer's quotes are shown: one citation per article (or per run of sentences),
the article number said once, long sentences trimmed to the clauses that answer, the nearest
real heading as the section, and — for a refusal — the nearest passage as context.

Which sentences answer is decided elsewhere (assistant.answer.select_citations); this module
only turns the chosen (quote, passage) pairs into citations a person can read:

- Quotes of one article merge into one citation: never [1][2][3] for one article. Pieces
  that follow each other in the text are joined as written; a gap between them is shown as
  "……". Elsewhere (plans, notices) sentences that follow each other in one passage merge;
  two statements apart in a section stay two citations.
- A law quote does not repeat its article number: 《…法》第三十八条：“…”, not “第三十八条 …”.
- A piece longer than TRIM_OVER characters is trimmed to one run of its clauses: from the
  start of the provision (the piece between "；") whose clause first names a question term or
  states what it asks (a number, a date, a penalty) — the answering provision first, not
  after others — to the clause stating what it asks, with "……" where text was cut. Nothing
  before the answer is dropped inside its provision: a condition ("情节严重的", "拒不改正的")
  stays with its consequence. A list (an
  introduction and its items) keeps the items that carry the question's terms, or all of them
  when none does or the question asks for a list: then the list itself is the answer.
- `Citation.start/end` span everything the citation covers (whole sentences, without the
  article number); `Citation.quote` is what is shown and lies within that span.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

from assistant.articles import article_heading
from assistant.asks import Ask, states
from assistant.evidence import Quote, Term, coverage, quotes
from assistant.lazy_pattern import LazyPattern
from assistant.models import Citation, Passage
from assistant.query import places
from assistant.retrieve import SearchIndex
from assistant.sentences import clauses
from assistant.structure import classify_heading
from assistant.textfold import fold
from assistant.tuning import tuning

TRIM_OVER = 120  # a piece longer than this is trimmed to its answering clauses
MIN_SAVING = 20  # a trim that saves fewer characters than this is not worth an ellipsis
CUT = "……"
_ITEM_LINE = LazyPattern(r"\n(?=\s*(?:[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.．、]))")
_SECTION_SEP = " > "
# numbered paragraphs that may be list items rather than headings
_ITEM_KINDS = ("cn-num", "cn-paren", "num", "num-dotted", "num-paren")
# asks answered by one value in one clause (a number, a date): a sentence can end after it; a
# body, a consequence or a definition is the whole provision
_POINT_KINDS = ("quantity", "time")
_SUBJECT_SHARE = 0.4  # a term names the subject when it weighs this share of the rarest one
_LOOKBACK = 50  # sections scanned back for the one that opened a path


@dataclass
class _Piece:
    start: int  # offsets in the document's text
    end: int
    text: str
    chunk_id: str


def present(index: SearchIndex, picks: list[tuple[Quote, Passage]], terms: list[Term],
            ask: Ask | None = None, first: int = 1, whole_lists: bool = False) -> list[Citation]:
    """The chosen quotes as numbered citations, in the order of their first pick: one per
    article, and one per run of adjacent sentences elsewhere. A question asking for a list
    ("哪些…", "分哪几种") gets its lists whole (`whole_lists`)."""
    groups: dict[tuple, list[tuple[int, _Piece, Passage]]] = {}
    for order, (quote, passage) in enumerate(picks):
        chunk = index.chunks[index.row_of[passage.chunk_id]]
        piece = _Piece(chunk.start + quote.start, chunk.start + quote.end, quote.text, chunk.id)
        section, article = index.sections[chunk.doc_id].at(piece.start)
        article = article or chunk.article
        key = (chunk.doc_id, "article", article) if article \
            else (chunk.id, "passage", section or chunk.section)
        groups.setdefault(key, []).append((order, piece, passage))
    units: list[list[tuple[int, _Piece, Passage]]] = []
    for key, members in groups.items():
        units.extend([members] if key[1] == "article" else _adjacent_runs(index, members))
    units.sort(key=lambda unit: min(order for order, _, _ in unit))
    return [_citation(index, n, [(piece, passage) for _, piece, passage in unit], terms,
                      ask or Ask(), whole_lists)
            for n, unit in enumerate(units, start=first)]


def _adjacent_runs(index: SearchIndex, members: list) -> list[list]:
    """Sentences of one passage grouped into runs that follow each other in the text."""
    members = sorted(members, key=lambda m: m[1].start)
    runs = [[members[0]]]
    for member in members[1:]:
        before = runs[-1][-1][1]
        if member[1].start < before.end or _between(index, before, member[1]) is not None:
            runs[-1].append(member)
        else:
            runs.append([member])
    return runs


def _citation(index: SearchIndex, n: int, members: list[tuple[_Piece, Passage]],
              terms: list[Term], ask: Ask, whole_lists: bool) -> Citation:
    members = sorted(members, key=lambda m: (m[0].start, -m[0].end))
    # a piece inside another (a sentence and the list it opens) is shown once
    members = [m for i, m in enumerate(members)
               if not any(o[0].start <= m[0].start and m[0].end <= o[0].end
                          for o in members[:i])]
    head, passage = members[0]
    chunk = index.chunks[index.row_of[head.chunk_id]]
    sections = index.sections[chunk.doc_id]
    section, article = sections.at(head.start)
    article = article or chunk.article
    pieces = [piece for piece, _ in members]
    if article:
        pieces[0] = _without_label(pieces[0], article)
    shown, glue = [], []
    for i, piece in enumerate(pieces):
        shown.append(trim(piece.text, terms, ask, whole_lists))
        if i:
            glue.append(_between(index, pieces[i - 1], piece))
    quote = shown[0]
    for text, gap in zip(shown[1:], glue, strict=True):
        quote = _join(quote, gap, text)
    page = sections.page_at(pieces[0].start)
    return Citation(
        n=n, chunk_id=chunk.id, doc_id=chunk.doc_id, title=passage.title,
        section=section_label(index, index.row_of[chunk.id], section or chunk.section,
                              head.start),
        article=article, page=page if page is not None else chunk.page, quote=quote,
        start=pieces[0].start, end=max(p.end for p in pieces),
    )


def _without_label(piece: _Piece, article: str) -> _Piece:
    """"第三十八条 违反本法…" → "违反本法…": the citation names the article already."""
    if article_heading(piece.text) != article:
        return piece
    rest = piece.text[len(article):]
    body = rest.lstrip(" \u3000\t\n")
    cut = len(piece.text) - len(body)
    return _Piece(piece.start + cut, piece.end, body, piece.chunk_id) if body else piece


def _between(index: SearchIndex, before: _Piece, after: _Piece) -> str | None:
    """The text between two pieces when it is only white space (they follow each other), else
    None (a gap, shown as an ellipsis)."""
    if before.chunk_id != after.chunk_id or after.start < before.end:
        return None
    chunk = index.chunks[index.row_of[before.chunk_id]]
    gap = chunk.text[before.end - chunk.start:after.start - chunk.start]
    return gap if not gap.strip() else None


def _join(left: str, gap: str | None, right: str) -> str:
    if gap is not None and not left.endswith(CUT) and not right.startswith(CUT):
        return left + ("\n" if "\n" in gap else "") + right
    return left.removesuffix(CUT) + CUT + right.removeprefix(CUT)


def trim(text: str, terms: list[Term], ask: Ask, whole_lists: bool = False) -> str:
    """A long piece narrowed to what answers; a short one, or one with nothing to narrow to,
    as it is."""
    if len(text) <= TRIM_OVER or not terms:
        return text
    lines = _ITEM_LINE.split(text)
    if len(lines) > 2 and whole_lists:
        return text
    if len(lines) > 2:
        parts, kept = lines, _answering_items(lines, terms, ask)
        sep = "\n"
    else:
        parts = [c for c in clauses(text) if c]
        if "".join(parts) != text:
            return text  # clauses that do not rebuild the text (stray punctuation): keep it
        kept = _answering_clauses(parts, terms, ask)
        sep = ""
    if not kept:
        return text
    out, last = "" if kept[0] == 0 else CUT, None
    for i in kept:
        if last is not None and i != last + 1:
            out = out.rstrip("，；、,;") + CUT
        elif last is not None:
            out += sep
        out += parts[i]
        last = i
    if last != len(parts) - 1:
        out = out.rstrip("，；、：,;:") + CUT
    return out if len(out) <= len(text) - MIN_SAVING else text


def _answering_clauses(parts: list[str], terms: list[Term], ask: Ask) -> list[int]:
    """One contiguous run of clauses. It starts with the provision (the piece between "；")
    whose clause first names a question term or states what the question asks, whole, so no
    condition is cut from its consequence ("情节严重的，…责令停业、关闭" keeps 情节严重的). It
    ends with the clause that states what is asked — the last one naming the question's
    distinctive terms, if any does ("到2025年，A下降14%，B达到90%，…" asked about B) — or,
    when the question asks no particular thing, with the sentence."""
    named = [coverage(terms, c) > 0 for c in parts]
    point = Ask(tuple(k for k in ask.kinds if k in _POINT_KINDS), ask.unit)
    stated = [bool(point.kinds) and states(point, c) for c in parts]
    relevant = [i for i in range(len(parts)) if named[i] or stated[i]]
    if not relevant:
        return []
    ends = [i for i, c in enumerate(parts) if c.endswith(("；", ";", "。"))] + [len(parts) - 1]
    first = max([0] + [e + 1 for e in ends if e < relevant[0]])
    answers = [i for i in range(first, len(parts)) if stated[i]]
    pointed = [i for i in answers if _holds_term(terms, parts[i])]
    last = (pointed or answers or [len(parts) - 1])[-1]
    if answers and not pointed:
        # the stated value's clause names nothing asked about ("到 2025 年，" of "到 2025 年，A
        # 基本建立"): the run reaches the first clause naming the question's distinctive terms
        named_after = [i for i in range(first, len(parts)) if _holds_term(terms, parts[i])] \
            or [i for i in range(last + 1, len(parts)) if named[i]]
        last = max(last, named_after[0]) if named_after else last
    return list(range(first, last + 1))


def _answering_items(lines: list[str], terms: list[Term], ask: Ask) -> list[int]:
    """A list keeps its introduction and the items that carry the question's terms; when no
    item does (or every one does), the whole list is the answer."""
    intro, items = lines[0], range(1, len(lines))
    own = [i for i in items if _holds_term(terms, lines[i]) or (
        bool(ask.kinds) and states(ask, lines[i]) and not states(ask, intro))]
    if not own or len(own) == len(items):
        return []
    return [0, *own]


def _holds_term(terms: list[Term], text: str) -> bool:
    """Does the text hold one of the question's distinctive terms (not its commonest word)?"""
    if not terms:
        return False
    folded = fold(text).lower()
    floor = 0.5 * max(t.weight for t in terms)
    return any(t.weight >= floor and t.text.lower() in folded for t in terms)


def section_label(index: SearchIndex, row: int, path: str, offset: int) -> str:
    """The section path without list items: a numbered paragraph that is a sentence of a list
    ("2、国家、省和市科技部门的…", "（三）使用有毒、有害原料…的；") is not a heading."""
    parts = [p for p in path.split(_SECTION_SEP) if p]
    while parts and _is_list_item(index, row, parts, offset):
        parts.pop()
    return _SECTION_SEP.join(parts)


def _is_list_item(index: SearchIndex, row: int, parts: list[str], offset: int) -> bool:
    label = parts[-1]
    heading = classify_heading(label)
    if heading is None or heading.kind not in _ITEM_KINDS:
        return False
    if label.endswith("…"):
        return True  # its paragraph runs past 40 characters without a full stop: a sentence
    paragraph = _opening_paragraph(index, row, _SECTION_SEP.join(parts), offset)
    if paragraph is None or not paragraph.startswith(label):
        return False
    after = paragraph[len(label):].strip()
    # an item is its whole paragraph, ending in "；" (or "的。"); a heading has its body after
    return after in ("；", ";") or (after == "。" and label.endswith("的"))


def _opening_paragraph(index: SearchIndex, row: int, path: str, offset: int) -> str | None:
    """The paragraph that opened the section `path` (the latest one before `offset`), looked
    up in the quote's chunk and the two before it: a heading is near what it heads."""
    chunk = index.chunks[row]
    sections = index.sections[chunk.doc_id]
    i = bisect.bisect_right(sections.starts, offset) - 1
    for j in range(i, max(i - _LOOKBACK, -1), -1):
        if sections.paths[j] == path:
            opened = sections.starts[j]
            break
    else:
        return None
    for r in range(row, max(row - 3, -1), -1):
        near = index.chunks[r]
        if near.doc_id == chunk.doc_id and near.start <= opened < near.end:
            text = near.text[opened - near.start:]
            return text.split("\n", 1)[0]
    return None


def refusal_context(index: SearchIndex, terms: list[Term], passages: list[Passage],
                    ask: Ask | None = None) -> list[Citation]:
    """The passage sentence nearest to the question, for a refusal to show as context (never
    as the answer): only when it discusses the question's subject, i.e. holds at least the
    share of the question's weight the answerer needs to consider answering at all."""
    tune = tuning()
    best: tuple[float, Quote, Passage] | None = None
    for rank, passage in enumerate(passages[:3]):
        for quote in quotes(passage.text):
            if is_bare_heading(quote.text):
                continue
            score = coverage(terms, quote.text) * (1.0 - tune.rank_penalty * rank)
            if best is None or score > best[0]:
                best = (score, quote, passage)
    if best is None or best[0] < tune.min_coverage:
        return []
    return present(index, [(best[1], best[2])], terms, ask)


def mentioned(terms: list[Term], context: list[Citation], limit: int = 3) -> list[str]:
    """The question's terms that the context quotes name, weightiest first: what the
    documents do discuss. A place is where, not what; the question's commonest words (企业,
    组织) say nothing about its subject."""
    said = fold(" ".join(c.quote or "" for c in context)).lower()
    floor = _SUBJECT_SHARE * max((t.weight for t in terms), default=0.0)
    found = sorted((t for t in terms if len(t.text) >= 2 and t.weight >= floor
                    and t.text.lower() in said and not places(t.text)),
                   key=lambda t: -t.weight)
    named: list[str] = []
    for term in found:
        if not any(term.text in other or other in term.text for other in named):
            named.append(term.text)  # 评估验收 named, 验收 says nothing more
    return named[:limit]


def refusal_reason(reason: str, terms: list[Term], context: list[Citation]) -> str:
    """"现有文件提到「…」，但未找到该问题所问的具体时间或期限": a refusal that shows context says
    what the documents do discuss before what they do not state."""
    if not context:
        return reason
    named = mentioned(terms, context)
    missing = reason.removeprefix("现有政策文件中").removeprefix("现有文件中")
    if not named:
        return f"现有文件中有相关内容（见下方“相关内容”），但{missing}"
    return f"现有文件提到{''.join(f'「{t}」' for t in named)}（见下方“相关内容”），但{missing}"


def is_bare_heading(text: str) -> bool:
    """A heading line with nothing to quote ("（七）重点行业推进…。"); a short law article
    ("第八十七条 本法自2008年4月1日起施行。") is content, however short."""
    if len(text) > 30:  # classify only what could be a bare heading: it is called per sentence
        return False
    return _bare_heading(text)


@lru_cache(maxsize=8192)
def _bare_heading(text: str) -> bool:
    """A chunk's short sentences come back question after question: classified once."""
    heading = classify_heading(text)
    return heading is not None and heading.kind != "article"
