"""Records of the evaluation: the Q&A item, configurations, and per-item / per-config results."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from assistant.articles import article_heading
from assistant.models import Strict
from assistant.textfold import HANZI

QAType = Literal["fact", "number", "list", "comparison", "multi_turn", "paraphrase", "unanswerable"]
QA_TYPES: tuple[str, ...] = (
    "fact", "number", "list", "comparison", "multi_turn", "paraphrase", "unanswerable",
)

# What a question asks for and the form it is written in (qa_dev / qa_test / qa_val items; the
# in-sample qa.jsonl items leave both empty). eval/data/README.md defines each value.
Asks = Literal["amount", "deadline", "duration", "who", "where", "list", "yes_no",
               "consequence", "procedure", "definition"]
ASKS: tuple[str, ...] = ("amount", "deadline", "duration", "who", "where", "list", "yes_no",
                         "consequence", "procedure", "definition")
Form = Literal["colloquial", "situation", "multi_part", "follow_up", "typo", "traditional",
               "english", "mixed", "unanswerable_close", "plain"]
FORMS: tuple[str, ...] = ("colloquial", "situation", "multi_part", "follow_up", "typo",
                          "traditional", "english", "mixed", "unanswerable_close", "plain")



# --------------------------------------------------------------------------- the Q&A set


class Turn(Strict):
    role: Literal["user", "assistant"]
    content: str = Field(min_length=1)


class Evidence(Strict):
    doc_id: str = Field(min_length=1)
    quote: str = Field(min_length=1)


class QAItem(Strict):
    """One question of the evaluation set (one line of eval/data/qa.jsonl)."""

    id: str = Field(pattern=r"^(qa|dev|test|test2|test3|test4|test5|val|val2)-\d{3,}$")
    question: str = Field(min_length=2)
    history: list[Turn] = Field(default_factory=list)
    reference_answer: str = Field(min_length=2)
    evidence: list[Evidence] = Field(default_factory=list, max_length=3)
    answer_keywords: list[str] = Field(default_factory=list, max_length=5)
    type: QAType
    tags: list[str] = Field(min_length=1)
    article: str | None = None
    section: str | None = None
    asks: Asks | None = None
    form: Form | None = None
    place: str | None = None  # the place the (resolved) question is scoped to
    resolved_question: str | None = None  # follow-ups: the question once history is applied
    # Unanswerable items: what the documents DO say near the question (verbatim, checked like
    # evidence) — context an honest refusal may show, never the answer.
    nearby: list[Evidence] = Field(default_factory=list, max_length=3)
    nearby_note: str | None = None

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    @property
    def user_history(self) -> list[str]:
        """The earlier user turns, oldest first: what `ask(history=...)` takes."""
        return [t.content for t in self.history if t.role == "user"]

    @property
    def previous_answer(self) -> str | None:
        """The answer the last earlier question got: what `ask(previous_answer=...)` takes."""
        return next((t.content for t in reversed(self.history) if t.role == "assistant"), None)

    @property
    def doc_ids(self) -> list[str]:
        return sorted({e.doc_id for e in self.evidence})

    @model_validator(mode="after")
    def _check_shape(self) -> QAItem:
        if self.form == "english":
            if HANZI.search(self.question):
                raise ValueError("english items take an English question")
        elif self.form is None and not HANZI.search(self.question):
            raise ValueError("question must be Chinese")
        if self.form == "follow_up" and not self.history:
            raise ValueError("follow_up items need a history")
        if self.form == "unanswerable_close" and self.type != "unanswerable":
            raise ValueError("unanswerable_close items are of type 'unanswerable'")
        if self.type != "unanswerable" and (self.nearby or self.nearby_note):
            raise ValueError("nearby / nearby_note are for unanswerable items")
        if self.type == "unanswerable":
            if self.evidence or self.answer_keywords:
                raise ValueError("unanswerable items take evidence=[] and answer_keywords=[]")
            if self.article or self.section:
                raise ValueError("unanswerable items take no article/section")
        else:
            if not self.evidence:
                raise ValueError(f"type {self.type!r} needs 1-3 evidence items")
            if not 2 <= len(self.answer_keywords) <= 5:
                raise ValueError(f"type {self.type!r} needs 2-5 answer_keywords")
        if any(not kw.strip() for kw in self.answer_keywords):
            raise ValueError("answer_keywords must be non-empty strings")
        if self.type == "comparison" and len({e.doc_id for e in self.evidence}) < 2:
            raise ValueError("comparison items need evidence from 2+ documents")
        if self.type == "multi_turn" and not self.history:
            raise ValueError("multi_turn items need a history")
        for i, turn in enumerate(self.history):
            expected = "user" if i % 2 == 0 else "assistant"
            if turn.role != expected:
                raise ValueError(f"history turn {i} should be {expected!r} (turns alternate)")
        if self.history and self.history[-1].role != "assistant":
            raise ValueError("history must end with an assistant turn")
        if self.article is not None and article_heading(self.article) != self.article:
            raise ValueError(f"article {self.article!r} is not of the form 第X条")
        return self


# --------------------------------------------------------------------------- configurations


class ConfigSpec(Strict):
    """One configuration to evaluate; `label` is the spec string as the user wrote it."""

    label: str
    system: Literal["ours", "langchain"] = "ours"
    token_mode: Literal["jieba", "bigram", "both"] = "both"
    dense: Literal["auto", "on", "off"] = "auto"  # auto: hybrid when a model is available
    embedding_model: str | None = None  # None: the settings' model
    chunk_max_chars: int | None = Field(None, ge=50)  # None: the settings' value
    top_k: int | None = Field(None, ge=1, le=50)
    preprocess: Literal["whitespace", "jieba"] = "whitespace"  # langchain baseline only


# --------------------------------------------------------------------------- results


class Hit(Strict):
    """One retrieved passage, as the report shows it."""

    chunk_id: str
    doc_id: str
    relevant: bool


class ItemResult(Strict):
    id: str
    type: QAType
    question: str
    docs: list[str]  # the documents the evidence cites
    answerable: bool
    form: str | None = None
    asks: str | None = None
    # retrieval (answerable items): relevance of each of the top-10 passages, best first
    relevant: list[bool] = []
    n_relevant: int = 0  # relevant passages in the whole index: the ideal ranking for nDCG
    quotes_total: int = 0
    quotes_found: int = 0  # evidence quotes held by the top-k passages (k = the config's top_k)
    top: list[Hit] = []
    # answer
    answer: str = ""
    answerer: str = ""
    abstained: bool = False
    keyword_recall: float | None = None
    missing_keywords: list[str] = []
    citations: int = 0
    citations_relevant: int = 0
    first_quote: str = ""  # the first cited quote: what a reader takes as the answer
    first_quote_answers: bool | None = None  # answerable items: it states an evidence quote
    latency_ms: float = 0.0
    # LLM-judged (only with --judge)
    faithfulness: float | None = None
    correctness: float | None = None
    judge_note: str = ""

    @property
    def first_relevant(self) -> int | None:
        return next((i + 1 for i, r in enumerate(self.relevant) if r), None)


Summary = dict[str, float | int | None]


class ConfigResult(Strict):
    spec: ConfigSpec
    status: Literal["ok", "skipped"] = "ok"
    note: str = ""  # why skipped; what the index is
    mode: str = ""  # lexical | hybrid | langchain-bm25
    chunks: int = 0
    build_seconds: float = 0.0
    summary: Summary = {}
    by_type: dict[str, Summary] = {}
    by_doc: dict[str, Summary] = {}
    by_form: dict[str, Summary] = {}
    by_asks: dict[str, Summary] = {}
    items: list[ItemResult] = []


class CategoryScore(Strict):
    category: str
    expected: int
    found: int
    matched: int
    precision: float | None
    recall: float | None


class CheckerEval(Strict):
    status: Literal["ok", "unavailable"]
    note: str = ""
    reports: int = 0
    categories: list[CategoryScore] = []
    overall: CategoryScore | None = None
    misses: list[str] = []  # "report: category/subject" expected but not found
    extras: list[str] = []  # found but not expected


class EvalRun(Strict):
    started_at: str
    qa_path: str
    set_name: str = ""  # dev | test | "" (a --qa file)
    corpus_dir: str
    items: int
    types: dict[str, int]
    llm_answers: bool = False
    llm_judge: bool = False
    seconds: float = 0.0
    configs: list[ConfigResult]
    checkers: CheckerEval | None = None
    gate: list[str] = []  # failed --min thresholds
