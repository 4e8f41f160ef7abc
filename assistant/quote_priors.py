"""Which of the quotes that pass the answer's checks comes first (issue 11: the first quote
answers). Coverage — how much of the question a sentence names — ranks them; these priors say
what coverage cannot see, each a general reading of a question and a document:

- a question naming a document (《环境保护法》, 环保法, 广西方案) is answered from that
  document first: another law's sentence naming the same words is about that other law;
- a question naming a place that local documents cover is answered by the place's own
  documents first: national law applies there too, but the place's plan says what it does;
- a permission question (能…吗, 可以吗) is answered by the norm ("不得…", "可以查封…"), not by
  the penalty provision for breaking it ("…的，由…责令…，处…罚款"), which restates the norm's
  words and so covers as much of the question; so is a question asking no checkable kind
  (管什么, 有什么要求, "what must the authority do"), unless it speaks of a breach or of how
  one is handled (违反, 怎么处理, 要是…呢: `patterns.breach`);
- a form's row of field names ("项目数(个) | 投资额(万元)") names what a question asks about
  without saying anything of it: it answers only a question asking which items or a number.

Each is a factor on a candidate's ranking score (data/answering.yaml, `quote_priors`); they
order the candidates and never decide whether the answer abstains.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.asks import Ask
from assistant.models import Passage
from assistant.place_scope import place_scope
from assistant.retrieve import SearchIndex
from assistant.tuning import tuning

# the asks a form's row can answer: which items, or a number (a form's unit, a value)
_ROW_ASKS = frozenset({"list", "quantity", "date", "time", "frequency"})


@dataclass(frozen=True)
class Priors:
    """What the question says about where its answer lies, worked out once per question."""

    named: frozenset[str]  # the documents the question names
    local: bool  # it names a place that some local document covers
    # it asks whether one may or must, or asks no checkable kind, and not what happens if
    # one does not
    permission: bool
    rows_answer: bool  # it asks a list or a number: a form's row may answer it


def question_priors(index: SearchIndex, query: str, ask: Ask, *,
                    local: bool | None = None) -> Priors:
    """`local`: whether the question names a covered place, when the caller has its place scope."""
    return Priors(
        named=frozenset(index.named_documents(query)),
        local=place_scope(index, query) is not None if local is None else local,
        permission=("permission" in ask.prefers or not ask.kinds)
        and "consequence" not in ask.kinds and not tuning().compiled["breach"].search(query),
        rows_answer=bool(_ROW_ASKS & set(ask.kinds)),
    )


def prior(priors: Priors, index: SearchIndex, passage: Passage, text: str) -> float:
    """The factor on one candidate's ranking score (1.0: nothing against it)."""
    weights = tuning().quote_priors
    factor = 1.0
    if priors.named and passage.doc_id not in priors.named:
        factor *= weights.other_document
    if priors.local and index.docs[passage.doc_id].region not in index.local_regions:
        factor *= weights.national
    if priors.permission and tuning().compiled["sanction"].search(text):
        factor *= weights.sanction
    if not priors.rows_answer and text.count(" | ") >= 2:
        factor *= weights.form_row
    return factor
