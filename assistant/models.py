"""Typed records that cross module boundaries: documents, chunks, passages, answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.limits import Date, Line, Notes, OptionalLine


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


DocKind = Literal[
    "law", "regulation", "plan", "notice",
    # the kinds of the national law library (assistant/lawlib.py)
    "administrative_regulation", "local_regulation", "judicial_interpretation",
    "departmental_rule", "case", "other",
]
Mode = Literal["lexical", "hybrid"]


class DocumentMeta(Strict):
    """One entry of corpus/manifest.yaml. Its text fields are shown in terminals and pages:
    control characters and blank titles are refused, the date must be a real one
    (assistant.limits)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Line
    short_title: Line
    issuer: Line
    doc_number: OptionalLine = None
    region: Line
    date: Date = None
    kind: DocKind
    file: str
    aliases: list[Line] = []
    articles: int | None = None
    encoding: str | None = None
    notes: Notes = None


class Chunk(Strict):
    id: str  # "doc_id#chunk-N"
    doc_id: str
    text: str
    section: str = ""  # "二、工作任务 > （七）重点行业推进强制性清洁生产审核"
    article: str | None = None  # "第二十七条" for laws
    page: int | None = None  # first page, for paginated sources
    page_end: int | None = None
    start: int  # offsets into the document's text (assistant.document.Document.text)
    end: int

    def span(self, piece: str) -> tuple[int, int] | None:
        """Offsets in the document's text of a verbatim piece of this chunk, else None."""
        at = self.text.find(piece) if piece else -1
        return None if at < 0 else (self.start + at, self.start + at + len(piece))


class PassageLocation(Strict):
    """Where a corpus passage is: its chunk, document, section path, article and page.

    Optional because a finding's basis may name a document the index does not hold, or an
    article whose chunk was not found; a retrieved passage or an answer's citation has them.
    """

    chunk_id: str | None = None  # "doc_id#chunk-N"
    doc_id: str | None = None
    title: str | None = None  # the document's title
    section: str | None = None  # "二、工作任务 > （七）…"
    article: str | None = None  # "第二十七条"
    page: int | None = None


class Passage(PassageLocation):
    """A retrieved chunk with its document's metadata and a score."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    text: str  # the whole chunk
    score: float


class QuotedPassage(PassageLocation):
    """A passage quoted verbatim: an answer's or a reviewer note's [n], a finding's basis.

    `quote` is what is shown: verbatim pieces of the corpus, "……" where text was left out (a
    long sentence trimmed to its answering clauses, non-adjacent sentences of one article).
    `start`/`end` span everything the quote covers in the document's text — the whole
    sentences it was cut from, without the article number a law quote does not repeat — so
    a viewer marks the full passage while the answer shows the clause that answers
    (assistant.present)."""

    quote: str | None = None
    # Offsets in the document's text (assistant.document.Document.text) of the whole text the
    # quote covers (its pieces lie inside), where its chunk is known; else None.
    start: int | None = None
    end: int | None = None
    source: str | None = None  # a named source the corpus does not hold


class Citation(QuotedPassage):
    """[n] of an answer or of a review."""

    n: int


class Answer(Strict):
    question: str
    resolved_question: str | None = None  # the follow-up rewritten against history
    answer: str
    abstained: bool
    citations: list[Citation]
    # A refusal's nearest passages, shown as context ("相关内容（仅供参考，不是答案）"), never
    # as the answer: not citations, not counted by the evaluation, abstained stays true.
    context: list[Citation] = []
    passages: list[Passage]
    # Chunks a citation quotes that retrieval did not rank (sentence recall,
    # assistant/sentence_recall.py): the quote's context in the web UI, not counted as retrieved.
    recalled: list[Passage] = []
    mode: Mode
    answerer: Literal["extractive", "llm", "extractive-fallback"] = "extractive"
    notes: list[str] = []  # why lexical mode, why the LLM was not used, flagged sentences
    timings: dict[str, float] = {}
    # What was retrieved with (folded, translated, resolved): the evaluation's ranking follows
    # the same path. Internal: not part of the API's answer body.
    retrieval_query: str | None = Field(None, exclude=True)

    @property
    def quoted(self) -> str:
        """What the answer quoted, one quote a line: what a client sends as the next turn's
        `previous_answer`, so that a follow-up is not answered with the same quote again."""
        return "\n".join(c.quote for c in self.citations if c.quote)


class Filters(Strict):
    region: str | None = None
    doc_id: str | None = None
    kind: DocKind | None = None
