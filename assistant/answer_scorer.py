"""A learned answer/abstain scorer over the signals the quote-choosing rules already compute
(data/answer_scorer.yaml, trained on dev only by scripts/train_answer_scorer.py).

Each candidate quote that the rules let through (it states the asked kind, names the asked
subject, is about the asked place, …) gets a feature vector: the rules' own score and verdicts,
its passage's retrieval rank and score, how much of the question it names, its length and
place in the passage, and a few facts about the question. A logistic regression (plain numpy,
L2) gives each candidate the probability that it quotes the evidence; the most probable one
becomes the first quote, and when even that one is below the file's threshold the answer
abstains — with the "documents mention X but do not state Y" context the rules would show.
The scorer decides among and on top of the rules: it never cites a quote they refused.

Off unless data/answering.yaml says `answer_scorer: true` (or a tuning override does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.lazy_pattern import LazyPattern
from assistant.learned_model import LearnedModel
from assistant.models import Strict

SCORER_FILE = Path(__file__).resolve().parent / "data" / "answer_scorer.yaml"
_NUMBER = LazyPattern(r"\d|[零一二两三四五六七八九十百千万亿]+\s*(?:个|家|年|月|日|天|项|次|元|%)")

# The feature vector, in order (the data file lists the same names: a mismatch is refused).
FEATURES = (
    "rule_score", "rule_share", "rule_first", "rule_chosen",
    "own_coverage", "rarest_named", "retrieval_rank", "first_passage", "passage_score",
    "log_length", "short", "position", "first_in_passage", "titled", "has_number",
    "authority", "enumerates", "wants_list", "asks_kind", "asks_quantity", "asks_time",
    "focused", "follow_up", "place_asked", "names_place", "log_candidates", "best_coverage",
    "asks_who", "asks_consequence", "asks_definition", "unseen_share",
    *(f"states_{kind}" for kind in ("quantity", "time", "who", "consequence", "definition")),
    "slot_share", "asking_novelty",
)
STATED_KINDS = ("quantity", "time", "who", "consequence", "definition")


class ScorerProvenance(Strict):
    trained_on: list[str]  # the sets' files, all dev
    items: int
    # which of those files' items it was trained on: "" all of them, else how they were chosen
    # (the dev split's tuning part: its check part measures it)
    part: str = ""
    groups: int  # items with at least one candidate
    candidates: int
    positives: int
    l2: float
    threshold_rule: str  # how the abstain threshold was chosen
    fingerprint: str  # sha256 of the training rows (ids, features, labels)
    script: str


class AnswerScorer(Strict):
    provenance: ScorerProvenance
    features: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float
    threshold: float  # abstain when the best candidate's probability is below this
    # answer what the rules' coverage thresholds refuse only from this probability up
    rescue: float = 1.01

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        z = (rows - np.asarray(self.mean)) / np.asarray(self.scale)
        return 1.0 / (1.0 + np.exp(-(z @ np.asarray(self.weights) + self.bias)))


@dataclass
class Candidate:
    """What the rules worked out about one quote, kept until every candidate is known."""

    score: float
    rank: int
    passage_score: float
    length: int
    position: float
    first_in_passage: bool
    titled: bool
    has_number: bool
    own_coverage: float
    rarest_named: bool
    authority: float
    enumerates: bool
    names_place: bool
    states: tuple[float, ...]  # which kinds of thing it states (STATED_KINDS, the asks' data)
    # how much of the asking clause's words it names around its statement of the asked kind
    # (assistant/slots.py; 1.0 when nothing is asked or there is no subject to look for)
    slot_share: float = 1.0


@dataclass(frozen=True)
class Question:
    """The facts of the question every candidate shares."""

    kinds: tuple[str, ...]
    wants_list: bool
    focused: bool
    follow_up: bool
    place_asked: bool
    best_coverage: float  # the best of the top passages' coverage, as the answer gate sees it
    unseen_share: float  # the share of the question's weight on words no document uses
    # the asking clause's share on dictionary nouns and verbs no document uses (slots.novelty)
    asking_novelty: float = 0.0


def has_number(text: str) -> bool:
    return _NUMBER.search(text) is not None


def stated_kinds(text: str, compiled: dict) -> tuple[float, ...]:
    """Which of STATED_KINDS the text states, by the asks' answer wording (tuning.compiled)."""
    return tuple(float(compiled[f"{kind}.answer"].search(text) is not None)
                 for kind in STATED_KINDS)


def feature_rows(question: Question, candidates: list[Candidate], top_score: float) -> np.ndarray:
    best = max((c.score for c in candidates), default=0.0) or 1.0
    first = max(range(len(candidates)), key=lambda i: candidates[i].score) if candidates else -1
    top = top_score or 1.0
    kinds = question.kinds
    shared = [float(bool(kinds)), float("quantity" in kinds),
              float("time" in kinds or "date" in kinds), float(question.focused),
              float(question.follow_up), float(question.place_asked)]
    rows = []
    for i, c in enumerate(candidates):
        rows.append([
            c.score, c.score / best, float(i == first), float(c.score >= 0.85 * best),
            c.own_coverage, float(c.rarest_named), 1.0 / (1 + c.rank), float(c.rank == 0),
            c.passage_score / top, math.log1p(c.length), float(c.length < 40), c.position,
            float(c.first_in_passage), float(c.titled), float(c.has_number), c.authority,
            float(c.enumerates), float(question.wants_list), *shared, float(c.names_place),
            math.log1p(len(candidates)), question.best_coverage,
            float("who" in kinds), float("consequence" in kinds), float("definition" in kinds),
            question.unseen_share, *c.states, c.slot_share, question.asking_novelty,
        ])
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


# ------------------------------------------------------------------ the scorer in use


_slot = LearnedModel(SCORER_FILE, AnswerScorer, FEATURES, "scripts/train_answer_scorer.py")


def _shipped() -> AnswerScorer | None:
    return _slot.shipped


def active(enabled: bool) -> AnswerScorer | None:
    """The scorer to use: the one `overridden` put in place, else the shipped file when the
    tuning turns it on."""
    return _slot.active(enabled)


def overridden(model: AnswerScorer | None):
    """Another scorer (None: the rules alone) while the block runs: how cross-validation asks
    each fold with a scorer trained on the other folds only."""
    return _slot.overridden(model)


def collecting():
    """Record every question's candidates (quote texts and feature rows) while the block runs:
    the training script's view of what the rules saw."""
    return _slot.collecting()


def collecting_now() -> bool:
    return _slot.collecting_now()


def in_use(tune) -> bool:
    """Whether answering consults the scorer (or records for it)."""
    return active(tune.answer_scorer) is not None or _slot.collecting_now()


def record(texts: list[str], rows: np.ndarray, low: bool) -> None:
    """One question's candidates; `low`: the rules' coverage thresholds refuse them."""
    _slot.record((texts, rows, low))


# ------------------------------------------------------------------ training (numpy only)


def fit(rows: np.ndarray, labels: np.ndarray, l2: float = 1.0,
        iterations: int = 50) -> tuple[list[float], list[float], list[float], float]:
    """L2-regularised logistic regression by Newton's method on standardised features:
    (mean, scale, weights, bias). Deterministic; the bias is not regularised."""
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale < 1e-9] = 1.0
    x = np.hstack([(rows - mean) / scale, np.ones((len(rows), 1))])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - labels) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean.tolist(), scale.tolist(), w[:-1].tolist(), float(w[-1])
