"""cpaudit eval-reports: the checkers on the labelled report sets, per set and format.

    cpaudit eval-reports                 the dev set (the one tuned on)
    cpaudit eval-reports --set test      the frozen test set (run it; do not read it)
    cpaudit eval-reports --set dev test --json out.json --misses

`--misses` lists missed defects and false errors per report for the dev set only: the frozen
sets (test, test8, test9, test10) are run for their aggregate figures, and reading their per-report
misses would be tuning on them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eval.report_sets import FROZEN_SETS, SETS_DIR, SetEval, evaluate_set


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", nargs="+", default=["dev"], dest="sets", metavar="SET",
                        help="which sets to run: dev (tuned on), test, test8, test9, "
                             "test10 (frozen) — any folder under --dir (default: dev)")
    parser.add_argument("--dir", type=Path, default=SETS_DIR, help="where the sets live")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    parser.add_argument("--misses", action="store_true",
                        help="list missed defects and false errors per report (withheld for the "
                             "frozen sets)")


def run(args: argparse.Namespace) -> int:
    results = [evaluate_set(name, args.dir) for name in args.sets]
    for result in results:
        print_set(result, misses=args.misses)
    if args.json:
        # a frozen set's per-report outcomes (each miss, each false error) are withheld from the
        # file as from the screen: its aggregate scores only
        dumped = [r.model_dump(exclude={"outcomes"} if r.name in FROZEN_SETS else None)
                  for r in results]
        Path(args.json).write_text(json.dumps(dumped, ensure_ascii=False, indent=1), "utf-8")
    return 0 if all(r.status == "ok" for r in results) else 1


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def print_set(result: SetEval, *, misses: bool = False, out=sys.stdout) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=130)
    if result.status != "ok":
        console.print(f"报告集 {result.name}：不可用 / unavailable — {result.note}")
        return
    table = Table(title=f"报告检查评测 / report set “{result.name}” — {result.note}")
    for column in ("format", "reports", "false errors / complete", "false errors / defective",
                   "planted found", "recall", "warnings / complete", "complete verdicts"):
        table.add_column(column, justify="left" if column in ("format", "complete verdicts")
                         else "right")
    for s in result.scores:
        table.add_row(s.format, f"{s.reports} ({s.complete} complete)",
                      _pct(s.false_errors_per_complete), _pct(s.false_errors_per_defective),
                      f"{s.found}/{s.planted}", _pct(s.recall), _pct(s.false_warnings_per_complete),
                      "、".join(f"{v} ×{n}" for v, n in s.complete_verdicts.items()))
    console.print(table)
    if misses and result.name in FROZEN_SETS:
        console.print(f"  报告集 {result.name} 已冻结，不列出逐份漏检和误报 / frozen set: "
                      "per-report misses withheld (run it for the aggregate, never read it)")
    elif misses:
        for o in result.outcomes:
            for miss in o.missed:
                console.print(f"  missed  {o.report}.{o.format}: {miss}")
            for error in o.false_errors:
                console.print(f"  false   {o.report}.{o.format}: {error}", markup=False)
