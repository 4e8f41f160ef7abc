"""Nested cross-validation of the law library's learned ranking on STARD dev: every selection
made inside each outer training fold only.

Plain k-fold CV (`eval-stard --folds 5`) learns each fold's vocabulary and re-ranker without
that fold, but the settings around them — the retrieval weights, the re-ranker's depth and
regularisation, its features — were chosen by looking at those CV figures over all of dev, so
the held-out fold took part in choosing them (dev CV recall@10 0.655, test 0.607). Here, for
each outer fold n (eval.stard_learn.folds, the same folds as the plain CV):

- the other folds are the training set; its own folds (the outer folds m ≠ n) are the inner
  folds. Each training question of fold m is asked with the vocabulary learned from the
  training set without fold m — i.e. from dev without folds {n, m} — and its first 50
  candidates recorded (eval.stard_rerank.collect_one), for every retrieval setting of the
  grid;
- every (retrieval setting, re-ranker setting) of the grid is scored by inner CV: the re-ranker
  fitted on the inner folds but one, the left-out one re-sorted and judged; the best pooled
  inner recall@10 is chosen (ties: the earlier choice, the shipped settings first);
- the outer fold is asked with the vocabulary learned from all of the training set under the
  chosen retrieval setting, and re-sorted by the chosen re-ranker fitted on all the training
  set's recorded candidates (whose features came from tables that never saw their own
  question, nor the outer fold).

The outer fold's labels reach nothing but its own figures. Re-sorting recorded candidates is
what the pipeline does with a model (assistant/rerank.reordered), so no second pass is asked.
The plain CV figure of the shipped settings is computed beside it from the same recordings.

Only dev questions: the frozen test ids are refused (eval.stard_learn.learn, stard_rerank.train
raise on them too).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.answer_scorer import fit
from assistant.rerank import FEATURES, Trees
from eval.stard import Question, Scored, judge, summarize
from eval.stard_boost import Boosting, fit_trees
from eval.stard_learn import folds, frozen_test_ids, learn
from eval.stard_rerank import Group, collect_one

SELECT_BY = "recall@10"


@dataclass(frozen=True)
class Retrieval:
    """Retrieval settings that need the questions asked again: tuning overrides
    (data/answering.yaml fields) and parameters of the vocabulary's learning."""

    name: str
    tune: tuple[tuple[str, float], ...] = ()
    learn: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Reranker:
    """Re-ranker settings, applied to recorded candidates: off, or the places after `keep`
    sorted by a model over `features` (a subset of rerank.FEATURES): a logistic regression of
    L2 `l2`, or with `boost` gradient-boosted trees (eval/stard_boost.py)."""

    name: str
    on: bool = True
    keep: int = 1
    l2: float = 1.0
    drop: tuple[str, ...] = ()
    boost: Boosting | None = None

    @property
    def columns(self) -> list[int]:
        return [n for n, f in enumerate(FEATURES) if f not in self.drop]


SHIPPED = Retrieval("shipped")
SHIPPED_RERANK = Reranker("keep 1, L2 1")

# The grid the selection chooses from: the shipped settings first (ties go to them), then the
# alternatives each earlier round measured by plain CV on all of dev.
RETRIEVAL_GRID: tuple[Retrieval, ...] = (
    SHIPPED,
    Retrieval("law prior off", tune=(("law_prior_weight", 0.0),)),
    Retrieval("co-cited place off", tune=(("cocited_slots", 0),)),
    Retrieval("wide after 4", tune=(("wide_keep", 4),)),
)
RERANK_GRID: tuple[Reranker, ...] = (
    SHIPPED_RERANK,
    Reranker("off", on=False),
    Reranker("keep 0", keep=0),
    Reranker("keep 3", keep=3),
    Reranker("L2 0.1", l2=0.1),
    Reranker("L2 10", l2=10.0),
)
# Gradient-boosted trees in place of the logistic regression (`eval-stard --nested K
# --nested-trees` adds them to the grid; each costs one fit of seconds per inner fold, so they
# are not in the default grid). Measured (issue 12, shipped retrieval only): hit@5 +0.005,
# recall@10 −0.011 pooled, recall@10 lower in all five outer folds — not shipped.
TREES = Boosting(trees=300, depth=2, rate=0.05, min_hessian=20.0)
TREE_GRID: tuple[Reranker, ...] = (
    Reranker("trees, keep 1", boost=TREES),
    Reranker("trees, keep 0", keep=0, boost=TREES),
    Reranker("trees, keep 3", keep=3, boost=TREES),
)


_TABLES: dict[tuple, object] = {}  # (learning parameters, ids learned from) → table


@dataclass
class Recorded:
    """One retrieval setting's recordings: per outer fold n, the training questions asked
    with tables learned without {n, their fold} (`inner[n]`), and fold n asked with the table
    learned without n (`outer[n]`)."""

    inner: list[list[Group]] = field(default_factory=list)
    outer: list[list[Group]] = field(default_factory=list)


def code_fingerprint() -> str:
    """sha256 of what a recording depends on besides the index and the questions: the code
    and data of assistant/ (but the re-ranker's data files: recordings are made with it off)
    and the evaluation modules that ask and judge — a changed file records again."""
    root = Path(__file__).resolve().parents[1]
    files = sorted(p for p in (root / "assistant").rglob("*") if p.is_file()
                   and p.suffix in {".py", ".yaml", ".toml", ".json", ".txt"}
                   and not (p.parent.name == "data" and p.name.startswith("rerank")))
    files += [root / "eval" / name for name in ("stard.py", "stard_learn.py", "stard_rerank.py")]
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def record(index, dev: list[Question], k: int, setting: Retrieval,
           cache: Path | None = None, progress: Callable[[str], None] | None = None) -> Recorded:
    """Every dev question asked k times under `setting`: once per outer fold it trains (with
    the vocabulary of the other k − 2 folds) and once as held out (the other k − 1)."""
    from assistant import tuning as tuning_module

    if frozen_test_ids() & {q.id for q in dev}:
        raise ValueError("frozen STARD test questions given to the nested cross-validation")
    path = None
    if cache is not None:
        key = hashlib.sha256(json.dumps([
            setting.tune, setting.learn, k, sorted(q.id for q in dev), list(FEATURES),
            str(index.gen), code_fingerprint()]).encode()).hexdigest()[:16]
        path = cache / f"nested-{key}.pkl"
        if path.is_file():
            return pickle.loads(path.read_bytes())
    parts = folds(dev, k)

    def table(left_out: frozenset[int]):
        learned_from = [q for m, part in enumerate(parts) if m not in left_out for q in part]
        key = (setting.learn, frozenset(q.id for q in learned_from))
        if key not in _TABLES:  # settings differing only in retrieval weights share tables
            _TABLES[key] = learn(learned_from, **dict(setting.learn))
        return _TABLES[key]

    out = Recorded()
    with tuning_module.overridden(**dict(setting.tune)):
        for n in range(k):
            inner = [collect_one(index, q, m, table(frozenset({n, m})))
                     for m in range(k) if m != n for q in parts[m]]
            outer = [collect_one(index, q, n, table(frozenset({n}))) for q in parts[n]]
            out.inner.append(inner)
            out.outer.append(outer)
            if progress:
                progress(f"{setting.name}: outer fold {n + 1}/{k} recorded")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(out))
    return out


def _model(groups: list[Group], choice: Reranker) -> Callable[[np.ndarray], np.ndarray]:
    """The setting's model fitted on the groups' candidates: feature rows → logits."""
    cols = choice.columns
    used = [g for g in groups if len(g.rows)]
    rows = np.vstack([g.rows[:, cols] for g in used])
    labels = np.concatenate([g.labels for g in used])
    if choice.boost is not None:
        trees = Trees(**fit_trees(rows, labels, choice.boost, [len(g.rows) for g in used]))
        return lambda x: trees.scores(x[:, cols])
    mean, scale, weights, bias = (np.asarray(v) for v in fit(rows, labels, choice.l2))
    return lambda x: ((x[:, cols] - mean) / scale) @ weights + bias


def resorted(group: Group, choice: Reranker, model) -> Scored:
    """The group judged as the pipeline ranks it with this re-ranker setting."""
    if not choice.on or model is None or not group.articles:
        return group.first
    logits = model(group.rows)
    keep = choice.keep
    order = list(range(min(keep, len(group.articles)))) + sorted(
        range(keep, len(group.articles)), key=lambda i: -logits[i])
    return judge(group.question, [group.articles[i] for i in order])


# Models fitted per (training groups, setting but its `keep`): settings differing in `keep`
# only share one fit. The value keeps its groups alive, so their ids are not reused.
_FITTED: dict[tuple, tuple[list[Group], Callable[[np.ndarray], np.ndarray]]] = {}


def _fitted(training: list[Group], choice: Reranker) -> Callable[[np.ndarray], np.ndarray]:
    key = (tuple(id(g) for g in training), choice.l2, choice.drop, choice.boost)
    if key not in _FITTED:
        if len(_FITTED) > 64:
            _FITTED.clear()
        _FITTED[key] = (list(training), _model(training, choice))
    return _FITTED[key][1]


def _scored(held_out: list[Group], training: list[Group], choice: Reranker) -> list[Scored]:
    model = _fitted(training, choice) if choice.on else None
    return [resorted(g, choice, model) for g in held_out]


def inner_score(groups: list[Group], choice: Reranker) -> dict[str, float]:
    """Pooled figures of the training set's inner CV under one re-ranker setting."""
    inner_folds = sorted({g.fold for g in groups})
    scored: list[Scored] = []
    for m in inner_folds:
        scored += _scored([g for g in groups if g.fold == m],
                          [g for g in groups if g.fold != m], choice)
    return summarize(scored)


@dataclass
class Outcome:
    nested: dict[str, float]
    per_fold: list[dict[str, float]]
    chosen: list[tuple[str, str, float]]  # per outer fold: retrieval, re-ranker, inner figure
    plain: dict[str, float]  # plain CV of the shipped settings, the same recordings
    plain_per_fold: list[dict[str, float]]


def nested(recorded: dict[Retrieval, Recorded], k: int,
           rerank_grid: tuple[Reranker, ...] = RERANK_GRID,
           progress: Callable[[str], None] | None = None) -> Outcome:
    """The nested CV figure over the recordings of every retrieval setting of the grid (the
    first one is the shipped setting, for the plain CV beside it)."""
    pooled: list[Scored] = []
    per_fold, chosen = [], []
    for n in range(k):
        best = None
        for setting, rec in recorded.items():
            for choice in rerank_grid:
                figure = inner_score(rec.inner[n], choice)[SELECT_BY]
                if best is None or figure > best[0] + 1e-12:
                    best = (figure, setting, choice)
        figure, setting, choice = best
        scored = _scored(recorded[setting].outer[n], recorded[setting].inner[n], choice)
        pooled += scored
        per_fold.append(summarize(scored))
        chosen.append((setting.name, choice.name, figure))
        if progress:
            progress(f"outer fold {n + 1}/{k}: chose {setting.name} · {choice.name} "
                     f"(inner {SELECT_BY} {figure:.3f}); held out {SELECT_BY} "
                     f"{per_fold[-1][SELECT_BY]:.3f}")
    shipped = next(iter(recorded.values()))
    plain, plain_per_fold = [], []
    for n in range(k):
        training = [g for m in range(k) if m != n for g in shipped.outer[m]]
        scored = _scored(shipped.outer[n], training, SHIPPED_RERANK)
        plain += scored
        plain_per_fold.append(summarize(scored))
    return Outcome(summarize(pooled), per_fold, chosen, summarize(plain), plain_per_fold)


def run(index, dev: list[Question], k: int, grid: tuple[Retrieval, ...] = RETRIEVAL_GRID,
        rerank_grid: tuple[Reranker, ...] = RERANK_GRID, cache: Path | None = None) -> Outcome:
    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    recorded = {setting: record(index, dev, k, setting, cache, say) for setting in grid}
    return nested(recorded, k, rerank_grid, say)
