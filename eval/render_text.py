"""The terminal summary of an evaluation run (rich tables)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from eval.metrics import HEADLINE, JUDGED, LABELS
from eval.models import ConfigResult, EvalRun

EXTRA = ("false_abstentions", "confidently_wrong", "latency_p50_ms", "latency_p95_ms")
BREAKDOWN = ("hit@5", "keyword_recall", "first_quote_answers", "answered_right",
             "confidently_wrong")


def fmt(value: float | int | None, metric: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, int) or metric in ("false_abstentions", "confidently_wrong"):
        return str(int(value))
    if metric.startswith("latency"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def headline_table(run: EvalRun) -> Table:
    configs = [c for c in run.configs if c.status == "ok"]
    which = f"{run.set_name} set" if run.set_name else run.qa_path
    table = Table(title=f"Q&A 评测 / evaluation — {which} — {run.items} 题 items",
                  title_justify="left")
    table.add_column("metric")
    for c in configs:
        table.add_column(c.spec.label, justify="right")
    metrics = list(HEADLINE) + list(EXTRA)
    if run.llm_judge:
        metrics += list(JUDGED)
    for metric in metrics:
        row = [fmt(c.summary.get(metric), metric) for c in configs]
        best = _best(configs, metric)
        row = [f"[bold]{v}[/bold]" if c.spec.label in best else v
               for v, c in zip(row, configs, strict=True)]
        table.add_row(LABELS.get(metric, metric), *row)
    return table


def _best(configs: list[ConfigResult], metric: str) -> set[str]:
    from eval.metrics import LOWER_IS_BETTER

    if metric.startswith("false_abstention"):  # never abstaining is not "best" at it
        configs = [c for c in configs if c.summary.get("abstention_precision") is not None]
    values = {c.spec.label: c.summary.get(metric) for c in configs}
    present = [v for v in values.values() if v is not None]
    if len(present) < 2 or metric.startswith("latency"):
        return set()
    target = min(present) if metric in LOWER_IS_BETTER else max(present)
    return {k for k, v in values.items() if v == target}


def type_table(run: EvalRun) -> Table:
    configs = [c for c in run.configs if c.status == "ok"]
    table = Table(title="按题型 / per type — hit@5 · keyword recall (unanswerable: abstention "
                  "recall)", title_justify="left")
    table.add_column("type")
    table.add_column("n", justify="right")
    for c in configs:
        table.add_column(c.spec.label, justify="right")
    for qa_type, count in sorted(run.types.items()):
        cells = []
        for c in configs:
            s = c.by_type.get(qa_type, {})
            if qa_type == "unanswerable":
                cells.append(fmt(s.get("abstention_recall")))
            else:
                cells.append(f"{fmt(s.get('hit@5'))} · {fmt(s.get('keyword_recall'))}")
        table.add_row(qa_type, str(count), *cells)
    return table


def breakdown_table(config: ConfigResult, attr: str) -> Table | None:
    """Per form or per asks (`attr` = "form" | "asks") for one configuration."""
    groups = getattr(config, f"by_{attr}")
    if not groups:
        return None
    table = Table(title=f"按{'问法' if attr == 'form' else '所问'} / per {attr} — "
                  f"{config.spec.label}", title_justify="left")
    table.add_column(attr)
    table.add_column("n", justify="right")
    for metric in BREAKDOWN:
        table.add_column(LABELS.get(metric, metric), justify="right")
    for key, s in groups.items():
        n = int(s.get("answerable") or 0) + int(s.get("unanswerable") or 0)
        table.add_row(key, str(n), *(fmt(s.get(m), m) for m in BREAKDOWN))
    return table


def misses(config: ConfigResult, limit: int = 40) -> list[str]:
    lines = []
    for r in config.items:
        if r.answerable and (r.first_relevant is None or r.first_relevant > 5):
            lines.append(f"{r.id} [{r.type}] no evidence in top 5: {r.question}")
        elif r.answerable and r.abstained:
            lines.append(f"{r.id} [{r.type}] false abstention: {r.question}")
        elif not r.answerable and not r.abstained:
            lines.append(f"{r.id} [unanswerable] answered anyway: {r.question}")
        elif r.answerable and r.first_quote_answers is False:
            lines.append(f"{r.id} [{r.type}] first quote is not the answer: {r.question}")
    return lines[:limit]


def print_run(run: EvalRun, *, show_misses: bool = False, console: Console | None = None) -> None:
    if console is None:
        console = Console()
        if not console.is_terminal:  # piped or redirected: room for every column
            console = Console(width=max(100, 28 + 17 * len(run.configs)))
    console.print(headline_table(run))
    console.print(type_table(run))
    primary = next((c for c in run.configs if c.status == "ok"), None)
    for attr in ("form", "asks"):
        table = breakdown_table(primary, attr) if primary is not None else None
        if table is not None:
            console.print(table)
    for c in run.configs:
        prefix = "skipped" if c.status == "skipped" else "config"
        console.print(f"[dim]{prefix} {c.spec.label}: {c.note}[/dim]")
    if run.llm_judge:
        console.print("[yellow]faithfulness / correctness are LLM-judged (an LLM's opinion, "
                      "not a measurement).[/yellow]")
    if run.checkers is not None:
        print_checkers(run, console)
    if show_misses and primary is not None:
        console.print(f"[bold]misses of {primary.spec.label}[/bold]")
        for line in misses(primary) or ["(none)"]:
            console.print(f"  {line}", markup=False)
    for failure in run.gate:
        console.print(f"[red]gate failed: {failure}[/red]", markup=True)


def print_checkers(run: EvalRun, console: Console) -> None:
    ev = run.checkers
    if ev is None:
        return
    if ev.status != "ok":
        console.print(f"[dim]checker evaluation: {ev.note}[/dim]")
        return
    table = Table(title=f"报告检查评测 / checker evaluation — {ev.reports} reports",
                  title_justify="left")
    for col in ("category", "expected", "found", "matched", "precision", "recall"):
        table.add_column(col, justify="left" if col == "category" else "right")
    for s in ev.categories + ([ev.overall] if ev.overall else []):
        table.add_row(s.category, str(s.expected), str(s.found), str(s.matched),
                      fmt(s.precision), fmt(s.recall))
    console.print(table)
