"""Loading the Q&A set and choosing subsets of it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from assistant.errors import CpauditError
from eval.models import QA_TYPES, QAItem

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_QA_PATH = DATA_DIR / "qa.jsonl"
# The named sets `cpaudit eval --set` runs. dev: what tuning may look at — the in-sample
# qa.jsonl (its thresholds, patterns and synonyms were tuned on it) plus qa_dev.jsonl,
# qa_dev2.jsonl, qa_dev3.jsonl, qa_dev4.jsonl, qa_dev5.jsonl and qa_dev6.jsonl (the dev halves of
# three splits whose other halves are the frozen test3, test4 and test5).
# test: frozen before tuning; only its aggregate figures may be read (eval/data/README.md).
# val: a held-out validation set, written blind to the answerer, that a change is checked
# against by its aggregate figures only — frozen like test (eval/data/README.md, "qa_val").
SETS: dict[str, tuple[Path, ...]] = {
    "dev": (DEFAULT_QA_PATH, DATA_DIR / "qa_dev.jsonl", DATA_DIR / "qa_dev2.jsonl",
            DATA_DIR / "qa_dev3.jsonl", DATA_DIR / "qa_dev4.jsonl", DATA_DIR / "qa_dev5.jsonl",
            DATA_DIR / "qa_dev6.jsonl"),
    "test": (DATA_DIR / "qa_test.jsonl",),
    "val": (DATA_DIR / "qa_val.jsonl",),
    # val2: a second held-out set (issue 11), frozen on arrival; only the lead runs it, once,
    # at the end, for aggregates (eval/data/README.md, "qa_val2").
    "val2": (DATA_DIR / "qa_val2.jsonl",),
    # test2: a second frozen test set (issue 11), written blind after dev was used to train an
    # answer scorer; frozen on arrival, run once by the lead for aggregates
    # (eval/data/README.md, "qa_test2").
    "test2": (DATA_DIR / "qa_test2.jsonl",),
    # test3: the frozen half of 140 questions split at random with qa_dev4.jsonl before anyone
    # ran them; run once by the lead for aggregates (eval/data/README.md, "qa_dev4 / qa_test3").
    "test3": (DATA_DIR / "qa_test3.jsonl",),
    # test4: the frozen half of another 140 questions split at random with qa_dev5.jsonl before
    # anyone ran them; run once by the lead for aggregates (eval/data/README.md,
    # "qa_dev5 / qa_test4").
    "test4": (DATA_DIR / "qa_test4.jsonl",),
    # test5: the frozen half of a third 140 split at random with qa_dev6.jsonl before anyone ran
    # them; run once by the lead for aggregates (eval/data/README.md, "qa_dev6 / qa_test5").
    "test5": (DATA_DIR / "qa_test5.jsonl",),
}
FROZEN_SETS = frozenset({"test", "val", "val2", "test2", "test3", "test4", "test5"})


class QASetError(CpauditError):
    code = "qa_set_error"


def load_items(path: Path = DEFAULT_QA_PATH) -> list[QAItem]:
    if not path.is_file():
        raise QASetError(f"找不到问答测试集：{path}", f"Q&A set not found: {path}",
                         hint_zh="请用 --qa 指定 JSONL 文件。", hint_en="Pass --qa FILE.jsonl.")
    items = []
    for lineno, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(QAItem.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise QASetError(
                f"问答测试集第 {lineno} 行有误：{exc}", f"{path}, line {lineno}: {exc}",
                hint_zh="请运行 python eval/validate_qa.py 检查。",
                hint_en="Run python eval/validate_qa.py to check the set.",
            ) from exc
    return items


def load_set(name: str) -> list[QAItem]:
    """The items of a named set, its files in order."""
    if name not in SETS:
        raise QASetError(f"未知测试集：{name}（可选：{'、'.join(SETS)}）",
                         f"Unknown set {name!r}: choose from {', '.join(SETS)}")
    return [item for path in SETS[name] for item in load_items(path)]



def frozen_set_of(path: Path, items: Iterable[QAItem]) -> str:
    """The frozen set a `--qa` file is, or "": a frozen set's own file, or any file holding a
    frozen set's items (their ids carry its name: test3-012). Its per-question results are
    withheld as when it is run by `--set`."""
    resolved = path.resolve()
    for name in sorted(FROZEN_SETS):
        if any(p.resolve() == resolved for p in SETS[name]):
            return name
    prefixes = {item.id.rpartition("-")[0] for item in items}
    return next((name for name in sorted(FROZEN_SETS) if name in prefixes), "")

def select(
    items: list[QAItem], *, ids: Iterable[str] | None = None, types: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[QAItem]:
    """Filter by ids and types (keeping file order); `limit` takes a stratified subset."""
    chosen = items
    if ids:
        wanted = set(ids)
        unknown = wanted - {i.id for i in items}
        if unknown:
            raise QASetError(f"测试集中没有这些编号：{', '.join(sorted(unknown))}",
                             f"No such item ids: {', '.join(sorted(unknown))}")
        chosen = [i for i in chosen if i.id in wanted]
    if types:
        wanted_types = set(types)
        bad = wanted_types - set(QA_TYPES)
        if bad:
            raise QASetError(f"未知题型：{', '.join(sorted(bad))}",
                             f"Unknown types: {', '.join(sorted(bad))}",
                             hint_zh=f"可选：{', '.join(QA_TYPES)}",
                             hint_en=f"Choose from: {', '.join(QA_TYPES)}")
        chosen = [i for i in chosen if i.type in wanted_types]
    if limit is not None and limit < len(chosen):
        chosen = stratified(chosen, limit)
    return chosen


def stratified(items: list[QAItem], n: int) -> list[QAItem]:
    """A deterministic subset of n items spread across the types in proportion to their
    counts (every type gets at least one while n allows), evenly spaced within each type."""
    groups: dict[str, list[QAItem]] = {}
    for item in items:
        groups.setdefault(item.type, []).append(item)
    quota = {t: 1 if n >= len(groups) else 0 for t in groups}
    remaining = n - sum(quota.values())
    total = len(items)
    shares = sorted(groups, key=lambda t: (-len(groups[t]) * remaining / total % 1, t))
    for t in groups:
        quota[t] += int(len(groups[t]) * remaining / total)
    for t in shares[: n - sum(quota.values())]:
        quota[t] += 1
    picked: set[str] = set()
    for t, group in groups.items():
        take = min(quota[t], len(group))
        picked.update(group[int(i * len(group) / take)].id for i in range(take))
    return [i for i in items if i.id in picked]
