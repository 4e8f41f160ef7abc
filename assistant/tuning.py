"""The answerer's thresholds, weights and question patterns, read from data/answering.yaml
(or the file the settings' `tuning_file` names) when first used, then cached per file: read
through `tuning()` at call time, never frozen at import, so a test can point it elsewhere."""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import ConfigDict, Field

from assistant import datafile
from assistant import settings as app_settings
from assistant.models import DocKind, Strict

ANSWERING_FILE = Path(__file__).resolve().parent / "data" / "answering.yaml"


_Clauses = Annotated[int, Field(ge=0, le=20)]  # a sentence's clauses: a negative reach sliced wrongly


class AskPattern(Strict):
    """One kind of thing a question can ask for (an amount, a time, a department, a penalty):
    the wording that marks the question, the wording a quote must have to state that kind of
    thing, and what a refusal says is missing."""

    kind: str
    question: str
    answer: str
    missing: str
    # assistant/slots.py: how many clauses (before, after) a statement of this kind may lie
    # from the asked subject; unset → the answerer's `slot_back`, `slot_reach`
    reach: tuple[_Clauses, _Clauses] | None = None
    # False: stating it does not decide whether a quote answers, only which answers first (a
    # permission is often stated without a modal: "逐步实行按照用热量收费" answers "要按用热量
    # 收费吗"), when it is stated about the subject (slots.py, within `reach`)
    gate: bool = True
    # the asking words themselves, as the segmenter cuts them (一次 and 几年 of "几年一次"): never
    # what the clause asks about (assistant/slots.py)
    asking: str = "(?!)"


class Patterns(Strict):
    asked_unit: str
    # a measure word as a question says it → as a quote counts it (多少钱 asks a number of 元)
    unit_words: dict[str, str] = {}
    enterprise: str
    # a penalty provision ("…的，由…责令…，处…罚款"): assistant/quote_priors.py
    sanction: str = "(?!)"
    # a question about a breach or its handling (违反, 怎么处理, 要是…呢): a penalty provision
    # may answer it, though it asks no consequence in the consequence kind's words
    breach: str = "(?!)"
    # in order: the first kind whose question pattern matches is what a clause asks
    asks: list[AskPattern]


class QuotePriors(Strict):
    """Factors on a candidate quote's ranking score (assistant/quote_priors.py; 1 = off)."""

    other_document: float = Field(1.0, gt=0, le=1)  # the question names another document
    national: float = Field(1.0, gt=0, le=1)  # the question names a place local documents cover
    # a penalty provision, for a permission question or one asking no checkable kind
    sanction: float = Field(1.0, gt=0, le=1)
    form_row: float = Field(1.0, gt=0, le=1)  # a form's row, for a question asking no list or number


class Tuning(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_coverage: float = Field(ge=0, le=1)
    max_quotes: int = Field(ge=1, le=10)
    quote_context_credit: float = Field(ge=0, le=1)
    partial_credit: float = Field(ge=0, le=1)
    rank_penalty: float = Field(ge=0, lt=0.2)
    followup_focus: float = Field(1.0, ge=1, le=5)
    unseen_weight: float = Field(1.0, ge=0, le=1)
    focused_asks: list[str] = ["quantity"]
    # measure words whose number is a region's total (assistant/place_scope.py)
    regional_counts: list[str] = []
    subject_share: float = Field(1.0, ge=0, le=1)  # asked_subject: nouns weighing this share
    # assistant/slots.py: a quote states the asked kind about the asking clause's words (this
    # share of their weight within `slot_reach` clauses of the statement; 0 = off) …
    slot_asks: list[str] = []
    slot_share: float = Field(0.0, ge=0, le=1)
    slot_back: int = Field(1, ge=0, le=5)
    slot_reach: int = Field(1, ge=0, le=5)
    # a quote stating a ranking-only kind (`gate: false`) about the subject: its score × this
    prefer_boost: float = Field(1.0, ge=1, le=2)
    quote_priors: QuotePriors = QuotePriors()
    # … and a focused question whose asking clause puts this share of its weight on words no
    # document uses is refused (1 = off)
    novelty_refusal: float = Field(1.0, gt=0, le=1)
    authority: dict[DocKind, float]
    other_region_weight: float = Field(gt=0, le=1)
    other_document_weight: float = Field(gt=0, le=1)
    llm_support_threshold: float = Field(ge=0, le=1)
    # Lexical retrieval beyond plain BM25 (assistant/lexical.py); each measured on STARD dev.
    title_field_weight: int = Field(0, ge=0, le=5)
    section_field_weight: int = Field(0, ge=0, le=5)
    local_regulation_weight: float = Field(1.0, gt=0, le=1)
    subordinate_weight: float = Field(1.0, gt=0, le=1)
    superseded_weight: float = Field(1.0, gt=0, le=1)  # earlier versions of a revised law
    document_weight: float = Field(0.0, ge=0, le=2)
    neighbour_weight: float = Field(0.0, ge=0, le=1)
    chapter_weight: float = Field(0.0, ge=0, le=1)  # the chapter's best article lifting others
    prf_docs: int = Field(10, ge=1, le=50)
    prf_terms: int = Field(0, ge=0, le=50)
    prf_weight: float = Field(0.3, ge=0, le=1)
    lay_vocabulary: bool = False  # data/lay_legal.yaml in question expansion (full weight)
    lay_weight: float = Field(0.0, ge=0, le=1)  # … or as soft terms of this weight
    field_weight: float = Field(0.0, ge=0, le=2)  # article fields: law title, chapter path
    dedupe_copies: bool = False  # one passage per law title and article in the ranking
    coverage_weight: float = Field(0.0, ge=0, le=5)  # candidates × (1 + w × question coverage)
    # data/learned_legal.yaml (assistant/learned_terms.py): learned from labelled questions
    learned_weight: float = Field(0.0, ge=0, le=5)  # translated words as soft terms
    expansion_weight: float = Field(0.0, ge=0, le=5)  # articles' learned question words
    expansion_matched_only: bool = True  # … added only to articles matching on their own text
    # a top ten (assistant/top_ten.py): the first places kept, the rest from the wide ranking;
    # then co-cited articles and neighbours in its last places
    wide_keep: int = Field(0, ge=0, le=10)
    cocited_slots: int = Field(0, ge=0, le=3)
    neighbour_slots: int = Field(0, ge=0, le=3)
    # the laws of the most similar labelled questions lifting their articles after the first
    # places (assistant/similar_questions.py)
    law_prior_weight: float = Field(0.0, ge=0, le=10)
    law_prior_keep: int = Field(3, ge=0, le=10)
    # a top ten's places after the first `rerank_keep` sorted by the learned re-ranker
    # (assistant/rerank.py, data/rerank.yaml)
    rerank: bool = False
    rerank_keep: int = Field(3, ge=0, le=10)
    # data/answer_scorer.yaml (assistant/answer_scorer.py): the learned first-quote ranker and
    # abstain threshold over the rules' candidates, trained on dev only
    answer_scorer: bool = False
    # assistant/sentence_recall.py: the chunks of the first `sentence_recall_docs` passages'
    # documents whose best sentence covers `min_coverage` of the question join the
    # answer's candidates, the `sentence_recall_chunks` best (0 = off)
    sentence_recall_chunks: int = Field(0, ge=0, le=10)
    sentence_recall_docs: int = Field(1, ge=1, le=10)
    sentence_recall_weight: float = Field(1.0, ge=0, le=1)  # their sentences' scores × this
    sentence_recall_alone: bool = True  # … and they answer when no retrieved sentence may
    sentence_recall_more: bool = True  # … and they are quoted after the first quote too
    patterns: Patterns

    @cached_property
    def compiled(self) -> dict[str, re.Pattern[str]]:
        """Every pattern compiled once, when first used: the plain ones by name, the asks as
        `KIND.question` and `KIND.answer` (a question needs only some of the answer ones)."""
        plain = {name: getattr(self.patterns, name)
                 for name in ("asked_unit", "enterprise", "sanction", "breach")}
        for ask in self.patterns.asks:
            plain[f"{ask.kind}.question"] = ask.question
            plain[f"{ask.kind}.answer"] = ask.answer
            plain[f"{ask.kind}.asking"] = ask.asking
        return _Compiled(plain)

    def slot_reach_of(self, kind: str) -> tuple[int, int]:
        """(before, after): the clauses around a statement of `kind` its subject may be in."""
        own = next((a.reach for a in self.patterns.asks if a.kind == kind), None)
        return own or (self.slot_back, self.slot_reach)


class _Compiled(dict):
    """Patterns by name, each compiled at its first look-up."""

    def __init__(self, sources: dict[str, str]) -> None:
        super().__init__()
        self._sources = sources

    def __missing__(self, name: str) -> re.Pattern[str]:
        pattern = self[name] = re.compile(self._sources[name])
        return pattern


_overrides: dict[str, object] = {}


def tuning(path: Path | None = None) -> Tuning:
    """The tuning of `path`, else of the settings' `tuning_file`, else data/answering.yaml."""
    global _default
    if path is None:
        # The module's function, looked up at call time (tests clear or replace it); an import
        # statement here cost more than the rest of this call, dozens of times per question.
        settings = app_settings.get_settings()
        # Answering asks for the tuning dozens of times per question: the settings object
        # (a new one whenever get_settings is cleared) keeps the tuning it resolved to.
        owner, loaded = _default
        if owner is not settings:
            loaded = _load(_as_path(settings.tuning_file or ANSWERING_FILE))
            _default = (settings, loaded)
    else:
        loaded = _load(_as_path(path))
    if not _overrides:
        return loaded
    copied = loaded.model_copy(update=_overrides)
    if "patterns" in _overrides:  # the copy keeps the compiled patterns of the one copied
        copied.__dict__.pop("compiled", None)
    return copied


_default: tuple[object, Tuning | None] = (None, None)  # (a settings object, its tuning)


def _as_path(path: Path | str) -> Path:
    return path if isinstance(path, Path) else Path(path)


@contextmanager
def overridden(**fields: object):
    """Some fields replaced while the block runs: how the evaluation ablates one weight."""
    unknown = set(fields) - set(Tuning.model_fields)
    if unknown:
        raise KeyError(f"unknown tuning fields: {', '.join(sorted(unknown))}")
    saved = dict(_overrides)
    _overrides.update(fields)
    try:
        yield
    finally:
        _overrides.clear()
        _overrides.update(saved)


@lru_cache(maxsize=8)
def _load(path: Path) -> Tuning:
    return datafile.load(path, Tuning)
