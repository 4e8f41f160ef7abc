"""cpaudit eval-stard: STARD's everyday questions over the national law library, ours and the
LangChain BM25Retriever + jieba baseline in the same run, dev and test apart.

    cpaudit eval-stard                       dev and test, both systems, per law area
    cpaudit eval-stard --split dev --limit 200 --no-baseline     quick, while tuning
    cpaudit eval-stard --tune neighbour_weight=0 --split dev     one technique off
    cpaudit eval-stard --split dev --folds 5 --no-baseline      the learned vocabulary,
                                              cross-validated (each fold asked with a table
                                              learned from the other folds only)

The library is unpacked and indexed once under <data dir>/lawlib (a normal `cpaudit index`
build: later runs reuse it, and rebuild only what changed); the baseline's rankings are cached
there too. Test figures are printed only as aggregates.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from assistant.derived import replace_file
from assistant.errors import CpauditError
from assistant.settings import Settings, get_settings
from eval.stard import (
    Question,
    Scored,
    build_baseline_library,
    judge,
    load_questions,
    rank_ours,
    split,
    summarize,
)

SHARED = Path("/work/shared/data")
METRICS = ("hit@1", "hit@5", "hit@10", "mrr@10", "recall@10")
BASELINE_VERSION = "1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--questions", type=Path, default=SHARED / "stard" / "train.jsonl")
    parser.add_argument("--archive", type=Path, default=SHARED / "lawrefbook-laws.tar.gz",
                        help="LawRefBook archive, unpacked once into <data dir>/lawlib/laws")
    parser.add_argument("--library", type=Path, help="an unpacked LawRefBook tree instead")
    parser.add_argument("--split", choices=["dev", "test", "both"], default="both")
    parser.add_argument("--limit", type=int, help="only the first N questions of each part")
    parser.add_argument("--no-baseline", action="store_true", help="ours only")
    parser.add_argument("--no-areas", action="store_true", help="no per-area table")
    parser.add_argument("--tune", action="append", default=[], metavar="FIELD=VALUE",
                        help="override a retrieval weight of data/answering.yaml for this run")
    parser.add_argument("--json", type=Path, help="write the aggregate figures as JSON")
    parser.add_argument("--folds", type=int, metavar="K",
                        help="dev only: K-fold cross-validation of the learned vocabulary "
                             "(data/learned_legal.yaml learned again without each fold)")
    parser.add_argument("--nested", type=int, metavar="K",
                        help="dev only: K-fold nested cross-validation, every setting of "
                             "eval/stard_nested.py's grid chosen inside each outer training "
                             "fold (the plain CV figure beside it)")
    parser.add_argument("--nested-cache", type=Path, metavar="DIR",
                        help="with --nested: keep each setting's recorded candidates here")
    parser.add_argument("--nested-trees", action="store_true",
                        help="with --nested: gradient-boosted tree re-rankers in the grid too "
                             "(eval/stard_boost.py; slower)")
    parser.add_argument("--learn", action="append", default=[], metavar="PARAM=VALUE",
                        help="with --folds: a learning parameter of eval/stard_learn.learn")


def library_settings(base: Settings, args: argparse.Namespace) -> Settings:
    from assistant.lawlib import is_law_library, unpack

    root = base.data_dir / "lawlib"
    laws = args.library
    if laws is None:
        if not args.archive.is_file() and not is_law_library(root / "laws"):
            raise CpauditError(f"找不到法律库压缩包：{args.archive}",
                               f"Law library archive not found: {args.archive}",
                               hint_zh="请用 --archive 或 --library 指定。",
                               hint_en="Pass --archive or --library.")
        laws = unpack(args.archive, root / "laws")
    if not is_law_library(laws):
        raise CpauditError(f"不是 LawRefBook 法律库目录：{laws}",
                           f"Not a LawRefBook law library: {laws}")
    return base.model_copy(update={"corpus_dir": laws, "data_dir": root, "embedding_model": "",
                                   "max_file_mb": max(base.max_file_mb, 200)})


def run(args: argparse.Namespace) -> int:
    from assistant import tuning as tuning_module
    from assistant.index import build_index
    from assistant.retrieve import load_index

    settings = library_settings(get_settings(), args)
    overrides = _overrides(args.tune)
    questions = load_questions(args.questions)
    parts = ["dev", "test"] if args.split == "both" else [args.split]
    chosen = {p: split(questions, p)[:args.limit] if args.limit else split(questions, p)
              for p in parts}
    report = build_index(settings, use_dense=False, show_progress=sys.stderr.isatty())
    print(f"法律库 / library: {report.chunks:,} chunks, index {report.generation} "
          f"({report.seconds:.1f} s)", file=sys.stderr)
    index = load_index(settings)
    results: dict[str, dict[str, dict]] = {}
    if getattr(args, "nested", None):
        if args.split != "dev" or args.nested < 3:
            raise CpauditError("--nested 只用于 --split dev，且 K ≥ 3",
                               "--nested needs --split dev and K >= 3")
        with tuning_module.overridden(**overrides):
            return _nested(index, split(questions, "dev"), args)
    if args.folds:
        if args.split != "dev" or args.folds < 2:
            raise CpauditError("--folds 只用于 --split dev，且 K ≥ 2",
                               "--folds needs --split dev and K >= 2")
        with tuning_module.overridden(**overrides):
            return _cross_validate(index, split(questions, "dev"), args)
    elif "dev" in parts:
        print("注意：dev 用的词表就是从 dev 学来的（样本内）；请用 --folds 5 交叉验证。\n"
              "note: the shipped learned vocabulary was learned from the dev questions, so a "
              "plain dev figure is in-sample; use --folds 5.", file=sys.stderr)
    with tuning_module.overridden(**overrides):
        ours = {p: [judge(q, *rank_ours(index, q.question)) for q in qs]
                for p, qs in chosen.items()}
    baseline = {} if args.no_baseline else _baseline(settings, index, chosen)
    for part in parts:
        results[part] = {"ours": _figures(chosen[part], ours[part], args)}
        if baseline:
            results[part]["lc-jieba"] = _figures(chosen[part], baseline[part], args)
    _print(results, overrides)
    if args.json:
        args.json.write_text(json.dumps({"tune": overrides, "results": results},
                                        ensure_ascii=False, indent=1), "utf-8")
    return 0


def _cross_validate(index, dev: list[Question], args: argparse.Namespace) -> int:
    """Each fold asked with a vocabulary learned from the other folds: the mean of the fold
    figures, and the figures over all held-out questions pooled."""
    from assistant import learned_terms, rerank
    from eval.stard_learn import fold_tables, folds

    tables = fold_tables(dev, args.folds, **_overrides(args.learn, text=True))
    models = _rerankers(index, dev, tables)
    per_fold, pooled = [], []
    for n, held_out in enumerate(folds(dev, args.folds)):
        asked = held_out[:args.limit // args.folds] if args.limit else held_out
        with learned_terms.overridden(tables[n]), rerank.overridden(models[n]):
            scored = [judge(q, *rank_ours(index, q.question)) for q in asked]
        per_fold.append(summarize(scored))
        pooled.extend(scored)
        print(f"fold {n + 1}/{args.folds}: {len(asked)} questions, "
              + " / ".join(f"{m} {per_fold[-1][m]:.3f}" for m in METRICS), file=sys.stderr)
    mean = {m: sum(f[m] for f in per_fold) / len(per_fold) for m in METRICS}
    print(f"\n## STARD dev, {args.folds}-fold cross-validation of the learned vocabulary\n")
    print("| | n | " + " | ".join(METRICS) + " |")
    print("|---|---:|" + "---:|" * len(METRICS))
    for name, s in [*((f"fold {i + 1}", f) for i, f in enumerate(per_fold)),
                    ("mean of folds", {**mean, "n": len(pooled)}),
                    ("pooled", summarize(pooled))]:
        print(f"| {name} | {s['n']} | " + " | ".join(f"{s[m]:.3f}" for m in METRICS) + " |")
    if args.json:
        args.json.write_text(json.dumps({"folds": per_fold, "mean": mean,
                                         "pooled": summarize(pooled)}, indent=1), "utf-8")
    return 0


def _nested(index, dev: list[Question], args: argparse.Namespace) -> int:
    """Nested CV (eval/stard_nested.py): the headline dev figure, the plain CV beside it."""
    from eval import stard_nested

    asked = dev[:args.limit] if args.limit else dev
    grid = stard_nested.RERANK_GRID + (stard_nested.TREE_GRID if args.nested_trees else ())
    outcome = stard_nested.run(index, asked, args.nested, rerank_grid=grid,
                               cache=args.nested_cache)
    print(f"\n## STARD dev, {args.nested}-fold nested cross-validation "
          f"(selection by inner {stard_nested.SELECT_BY})\n")
    print("| | n | " + " | ".join(METRICS) + " | chosen (retrieval · re-ranker) |")
    print("|---|---:|" + "---:|" * len(METRICS) + "---|")
    rows = [(f"fold {i + 1}", f, f"{c[0]} · {c[1]}")
            for i, (f, c) in enumerate(zip(outcome.per_fold, outcome.chosen, strict=True))]
    rows += [("**nested, pooled**", outcome.nested, ""),
             ("plain CV of the shipped settings, pooled", outcome.plain, "")]
    for name, s, chosen in rows:
        print(f"| {name} | {s['n']} | " + " | ".join(f"{s[m]:.3f}" for m in METRICS)
              + f" | {chosen} |")
    if args.json:
        args.json.write_text(json.dumps({
            "nested": outcome.nested, "per_fold": outcome.per_fold, "chosen": outcome.chosen,
            "plain": outcome.plain, "plain_per_fold": outcome.plain_per_fold},
            ensure_ascii=False, indent=1), "utf-8")
    return 0


def _rerankers(index, dev: list[Question], tables: list) -> list:
    """Per fold, the re-ranker fitted on the other folds' questions (eval/stard_rerank.py),
    when the tuning turns it on; else None for each (the shipped model has seen every fold)."""
    from assistant.tuning import tuning
    from eval.stard_rerank import collect, fold_models

    if not tuning().rerank:
        return [None] * len(tables)
    print("re-ranker: each dev question asked once to learn from …", file=sys.stderr)
    return fold_models(collect(index, dev, tables), len(tables))


def _figures(questions: list[Question], scored: list[Scored], args) -> dict:
    out = {"all": summarize(scored)}
    if not args.no_areas:
        areas: dict[str, list[Scored]] = {}
        for q, s in zip(questions, scored, strict=True):
            areas.setdefault(q.area, []).append(s)
        out["areas"] = {a: summarize(rows) for a, rows in
                        sorted(areas.items(), key=lambda kv: -len(kv[1]))}
    return out


def _baseline(settings: Settings, index, chosen: dict[str, list[Question]]) -> dict:
    """The baseline's judged rankings, from a cache keyed by the library's contents."""
    key = hashlib.sha256(json.dumps(
        [BASELINE_VERSION, settings.chunk_max_chars,
         sorted((r, index.docs[r].file) for r in index.docs)]).encode()).hexdigest()[:16]
    cache = settings.data_dir / f"stard-baseline-{key}.json"
    rankings: dict[str, list[list[list[str]]]] = {}
    if cache.is_file():
        rankings = json.loads(cache.read_text("utf-8"))
    todo = [q for qs in chosen.values() for q in qs if q.id not in rankings]
    if todo:
        print(f"baseline: building LangChain BM25 + jieba over the library for {len(todo)} "
              "questions …", file=sys.stderr)
        titles = {doc_id: meta.title for doc_id, meta in index.docs.items()}
        library = build_baseline_library(settings, titles)
        for n, q in enumerate(todo, start=1):
            rankings[q.id] = [sorted(map(list, arts)) for arts in library.rank(q.question)]
            if n % 50 == 0 or n == len(todo):  # an interrupted run keeps what it ranked
                replace_file(cache, [json.dumps(rankings, ensure_ascii=False).encode("utf-8")])
                print(f"baseline: {n} / {len(todo)} questions ranked", file=sys.stderr)
    return {p: [judge(q, [{tuple(a) for a in arts} for arts in rankings[q.id]]) for q in qs]
            for p, qs in chosen.items()}


def _overrides(pairs: list[str], text: bool = False) -> dict[str, float | str]:
    """FIELD=VALUE pairs as numbers (with `text`, a value that is no number stays text)."""
    out: dict[str, float | str] = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        try:
            number = float(value)
            out[name.strip()] = int(number) if number.is_integer() else number
        except ValueError:
            if text and value.strip():
                out[name.strip()] = value.strip()
            else:
                eq = ""
        if not eq:
            raise CpauditError(f"--tune 参数有误：{pair}（应为 字段=数值）",
                               f"Bad --tune {pair!r}: use FIELD=VALUE")
    return out


def _print(results: dict, overrides: dict) -> None:
    if overrides:
        print("overrides: " + ", ".join(f"{k}={v:g}" for k, v in overrides.items()))
    for part, systems in results.items():
        n = systems["ours"]["all"]["n"]
        print(f"\n## STARD {part} ({n} questions{', frozen' if part == 'test' else ''})\n")
        print("| system | " + " | ".join(METRICS) + " | p95 ms |")
        print("|---|" + "---:|" * (len(METRICS) + 1))
        for name, figures in systems.items():
            s = figures["all"]
            p95 = f"{s['p95_ms']:.1f}" if "p95_ms" in s else "—"
            print(f"| {name} | " + " | ".join(f"{s[m]:.3f}" for m in METRICS) + f" | {p95} |")
        areas = systems["ours"].get("areas")
        if areas:
            base = systems.get("lc-jieba", {}).get("areas", {})
            print("\n| law area | n | ours hit@5 | lc-jieba hit@5 | ours recall@10 |")
            print("|---|---:|---:|---:|---:|")
            for area, s in areas.items():
                b = base.get(area, {}).get("hit@5")
                print(f"| {area} | {s['n']} | {s['hit@5']:.3f} | "
                      f"{'—' if b is None else f'{b:.3f}'} | {s['recall@10']:.3f} |")
