"""cpaudit eval: run the Q&A set through our pipeline and the LangChain baseline, side by side.

    cpaudit eval                               the dev set: ours vs lc-whitespace vs lc-jieba
    cpaudit eval --set dev test                dev and the frozen test set, reported separately
    cpaudit eval --set val                     the held-out validation set (frozen: aggregates only)
    cpaudit eval --configs all                 token modes, hybrid, chunk sizes, top-k, baselines
    cpaudit eval --configs both jieba bigram:chunk=400 --limit 40
    cpaudit eval --json out.json --html report.html --min hit@5=0.9 --min mrr@10=0.75

Thresholds (--min / --max) apply to the first configuration on the first set; any failure
exits 1. The test set and the held-out validation set (val) are frozen: their aggregate figures
are printed, their misses and per-question results are not (`--misses` says so) unless
TEST_MISSES_FLAG is given.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.errors import CpauditError
from assistant.settings import get_settings
from eval.configs import PRESETS, parse_specs
from eval.dataset import FROZEN_SETS, SETS, frozen_set_of, load_items, load_set, select
from eval.metrics import JUDGED, LABELS, summarize
from eval.models import EvalRun

GATE_METRICS = sorted(set(summarize([])) - {"answerable", "unanswerable"})
TEST_MISSES_FLAG = "--show-test-misses-i-am-not-tuning"
FROZEN_NOTE = ("测试集（test、val）已冻结：不显示其错题和逐题结果，只报告汇总数字。/ The test and "
               "val sets are frozen: their misses and per-question results are withheld; only "
               "aggregate figures are "
               f"reported. Tune on dev. ({TEST_MISSES_FLAG} shows them — for auditing the set, "
               "never while tuning.)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", nargs="+", choices=sorted(SETS), default=["dev"],
                        dest="sets", help="named Q&A sets, each reported separately (default: "
                        "dev; test and val are frozen: aggregate figures only)")
    parser.add_argument("--qa", type=Path, help="a Q&A file (JSONL) instead of --set")
    parser.add_argument("--configs", nargs="+", metavar="SPEC",
                        help="configurations to compare, e.g. ours both jieba bigram hybrid "
                             "both:chunk=400 both:k=10 lc-whitespace lc-jieba; presets: "
                             + ", ".join(PRESETS))
    parser.add_argument("--types", nargs="+", help="only these question types")
    parser.add_argument("--ids", nargs="+", help="only these item ids")
    parser.add_argument("--limit", type=int, help="a stratified subset of N items")
    parser.add_argument("--json", nargs="?", const="-", metavar="PATH",
                        help="write the full results as JSON (to stdout without PATH)")
    parser.add_argument("--html", type=Path, metavar="PATH",
                        help="HTML report path (default: <data dir>/eval/report.html)")
    parser.add_argument("--no-html", action="store_true", help="write no HTML report")
    parser.add_argument("--min", action="append", default=[], metavar="METRIC=VALUE",
                        help="fail (exit 1) when the first configuration scores below VALUE")
    parser.add_argument("--max", action="append", default=[], metavar="METRIC=VALUE",
                        help="fail (exit 1) when it scores above VALUE (e.g. latency)")
    parser.add_argument("--llm", action="store_true",
                        help="let our configurations answer with the configured LLM")
    parser.add_argument("--judge", action="store_true",
                        help="LLM-judged faithfulness and correctness (needs an LLM)")
    parser.add_argument("--no-checkers", action="store_true",
                        help="skip the checker evaluation on the labelled sample reports")
    parser.add_argument("--misses", action="store_true", help="list the misses of the first "
                        "configuration (never for the frozen test and val sets)")
    parser.add_argument(TEST_MISSES_FLAG, action="store_true", dest="show_test_misses",
                        help="also list and write the frozen sets' (test, val) misses and "
                        "per-question results: reading them spoils the set, so only "
                        "when you are not tuning")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def parse_thresholds(pairs: list[str], flag: str) -> dict[str, float]:
    out = {}
    for pair in pairs:
        metric, eq, value = pair.partition("=")
        metric = metric.strip().lower()
        try:
            number = float(value)
        except ValueError:
            number = None
        if not eq or number is None or metric not in GATE_METRICS:
            raise CpauditError(
                f"{flag} 参数有误：{pair}（应为 指标=数值，指标可选 {', '.join(GATE_METRICS)}）",
                f"Bad {flag} {pair!r}: use METRIC=VALUE with METRIC one of "
                f"{', '.join(GATE_METRICS)}",
            )
        out[metric] = number
    return out


def gate(run: EvalRun, minimum: dict[str, float], maximum: dict[str, float]) -> list[str]:
    primary = next((c for c in run.configs if c.status == "ok"), None)
    if primary is None:
        return ["no configuration was evaluated"] if minimum or maximum else []
    failures = []
    for metric, bound in minimum.items():
        value = primary.summary.get(metric)
        if value is None or value < bound:
            failures.append(f"{primary.spec.label} {LABELS.get(metric, metric)} = "
                            f"{value if value is None else round(value, 4)} < {bound}")
    for metric, bound in maximum.items():
        value = primary.summary.get(metric)
        if value is None or value > bound:
            failures.append(f"{primary.spec.label} {LABELS.get(metric, metric)} = "
                            f"{value if value is None else round(value, 4)} > {bound}")
    return failures


def run(args: argparse.Namespace) -> int:
    from eval.runner import run_eval

    settings = get_settings()
    minimum = parse_thresholds(args.min, "--min")
    maximum = parse_thresholds(args.max, "--max")
    if (args.llm or args.judge) and not settings.llm_base_url:
        raise CpauditError("未配置大模型，无法使用 --llm / --judge",
                           "No LLM configured: --llm / --judge need one.",
                           hint_zh="请设置 CPAUDIT_LLM_BASE_URL（及 CPAUDIT_LLM_MODEL）。",
                           hint_en="Set CPAUDIT_LLM_BASE_URL (and CPAUDIT_LLM_MODEL).")
    if any(m in JUDGED for m in {**minimum, **maximum}) and not args.judge:
        raise CpauditError("LLM 评分指标的阈值需要 --judge", "Judged thresholds need --judge")
    specs = parse_specs(args.configs)
    from eval.history import FILE_NAME, append_run, load_history

    history_path = settings.data_dir / "eval" / FILE_NAME
    chosen = [("", args.qa)] if args.qa else [(name, None) for name in args.sets]
    selected = []  # every set chosen and checked before any runs
    for name, path in chosen:
        items = load_items(path) if path else load_set(name)
        if path:  # a frozen set's file or items given by --qa: withheld as by --set
            name = frozen_set_of(path, items)
        ids = args.ids
        if ids and len(chosen) > 1:  # with several sets, each takes the ids it holds
            ids = [i for i in ids if i in {item.id for item in items}]
            if not ids:
                continue
        if name in FROZEN_SETS and (ids or args.types or args.limit) \
                and not args.show_test_misses:
            # the aggregates of a handful of items are those items' results
            raise CpauditError(
                f"冻结集 {name} 只能整体评测：--ids、--types、--limit 不可用于冻结集",
                f"The frozen set {name} is run whole: --ids, --types and --limit would show "
                "the results of the items they pick",
                hint_zh=f"在 dev 集上筛选；审阅冻结集本身（不再调参）时用 {TEST_MISSES_FLAG}。",
                hint_en=f"Narrow the dev set instead; {TEST_MISSES_FLAG} lifts this for "
                        "auditing the set itself (no tuning afterwards).")
        items = select(items, ids=ids, types=args.types, limit=args.limit)
        if items:
            selected.append((name, path, items))
    runs = []
    for name, path, items in selected:
        first = not runs  # thresholds and the checker evaluation go with the first set run
        result = run_eval(items, specs, settings, qa_path=path or SETS[name][0],
                          use_llm=args.llm, judge=args.judge,
                          show_progress=not args.no_progress,
                          checkers=not args.no_checkers and first, set_name=name)
        if not path:
            result.qa_path = " + ".join(str(p) for p in SETS[name])
        if first:
            result.gate = gate(result, minimum, maximum)
        try:  # before a frozen set's items are withheld: the trend keys runs by their ids
            append_run(result, history_path)
        except OSError as exc:  # a read-only data dir costs the trend, not the run
            print(f"未能写入评测历史 / could not store the run in {history_path}: {exc}",
                  file=sys.stderr)
        if name in FROZEN_SETS and not args.show_test_misses:
            for config in result.configs:
                config.items = []
        runs.append(result)
    if not runs:
        raise CpauditError("没有可评测的题目（筛选条件过严？）", "No items selected.")
    to_stdout = args.json == "-"
    if args.json:
        dumped = [r.model_dump(mode="json") for r in runs]
        payload = dumped[0] if len(dumped) == 1 else {"runs": dumped}
        text = json.dumps(payload, ensure_ascii=False, indent=None if to_stdout else 1)
        if to_stdout:
            print(text)
        else:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(text, "utf-8")
    for result in runs if not to_stdout else []:
        from eval.render_text import print_run

        frozen = result.set_name in FROZEN_SETS and not args.show_test_misses
        print_run(result, show_misses=args.misses and not frozen)
        if frozen and args.misses:
            print(FROZEN_NOTE)
    if not args.no_html:
        from eval.render_html import write

        base = args.html or settings.data_dir / "eval" / "report.html"
        history = load_history(history_path)
        for result in runs:
            html = base if len(runs) == 1 else base.with_name(
                f"{base.stem}-{result.set_name}{base.suffix}")
            path = write(result, html, history=history)
            print(f"HTML 报告 / report: {path}", file=sys.stderr if to_stdout else sys.stdout)
    return 1 if any(r.gate for r in runs) else 0
