"""A self-contained HTML report: charts as embedded PNGs, tables, and every question's result."""

from __future__ import annotations

from html import escape
from pathlib import Path

from eval import charts, html_questions
from eval.history import TREND_METRICS, RunSummary, comparable, summarize_run
from eval.metrics import HEADLINE, JUDGED, LABELS
from eval.models import ConfigResult, EvalRun
from eval.relevance import PART_MIN_CHARS, PART_SHARE
from eval.render_text import fmt

CSS = """
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",
sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:2px solid #1f6f8b;padding-bottom:.2em}
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}
th{background:#eef4f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.best{font-weight:bold;background:#e8f6ec}.hit{background:#d5f5e3}.near{background:#fcf3cf}
.miss{background:#fadbd8}.abst{background:#e5e8e8}.note{color:#666;font-size:.9em}
img{max-width:100%;margin:.5em 0}details{margin:.2em 0}summary{cursor:pointer}
.llm{color:#9a6700}.q{max-width:28em}code{background:#f4f4f4;padding:0 .2em}
td.id,td.r{white-space:nowrap}td.na{color:#999;background:#f7f7f7;text-align:center}
"""
NOT_APPLICABLE = '<td class="num na" title="不适用 / not applicable">—</td>'



def _num(value, metric: str = "", best: bool = False) -> str:
    if value is None:  # does not apply (a baseline never abstains): not a zero
        return NOT_APPLICABLE
    cls = "num best" if best else "num"
    return f'<td class="{cls}">{escape(fmt(value, metric))}</td>'


def _summary_table(run: EvalRun, configs: list[ConfigResult]) -> str:
    from eval.render_text import EXTRA, _best

    metrics = list(HEADLINE) + list(EXTRA) + (list(JUDGED) if run.llm_judge else [])
    head = "".join(f"<th>{escape(c.spec.label)}</th>" for c in configs)
    rows = []
    for m in metrics:
        best = _best(configs, m)
        label = escape(LABELS.get(m, m))
        if m in JUDGED:
            label = f'<span class="llm">{label}</span>'
        cells = "".join(_num(c.summary.get(m), m, c.spec.label in best) for c in configs)
        rows.append(f"<tr><th>{label}</th>{cells}</tr>")
    return f"<table><tr><th>metric</th>{head}</tr>{''.join(rows)}</table>"


def _breakdown(configs: list[ConfigResult], groups: list[str], attr: str, counts) -> str:
    head = "".join(f"<th colspan=3>{escape(c.spec.label)}</th>" for c in configs)
    sub = "<th>hit@5</th><th>MRR@10</th><th>kw recall</th>" * len(configs)
    rows = []
    for g in groups:
        cells = []
        for c in configs:
            s = getattr(c, attr).get(g, {})
            if g == "unanswerable":
                recall = s.get("abstention_recall")
                cells.append(f'<td class="num{" na" if recall is None else ""}" colspan=3>'
                             f'abstention recall {escape(fmt(recall))}</td>')
            else:
                cells.append(_num(s.get("hit@5")) + _num(s.get("mrr@10"))
                             + _num(s.get("keyword_recall")))
        rows.append(f"<tr><th>{escape(g)}</th><td class=num>{counts(g)}</td>{''.join(cells)}"
                    "</tr>")
    return (f"<table><tr><th rowspan=2></th><th rowspan=2>n</th>{head}</tr><tr>{sub}</tr>"
            f"{''.join(rows)}</table>")


def render(run: EvalRun, history: list[RunSummary] | None = None) -> str:
    """The report; with `history` (the stored runs, this one included) a trend section."""
    configs = [c for c in run.configs if c.status == "ok"]
    main, baselines = charts.split_baselines(configs)
    types = sorted(run.types)
    docs = sorted({d for c in configs for d in c.by_doc})
    type_counts = run.types
    doc_counts = {d: len([r for r in configs[0].items if d in r.docs]) for d in docs} \
        if configs else {}
    notes = "".join(
        f"<li><b>{escape(c.spec.label)}</b> — {escape(c.status)}: {escape(c.note)}"
        + (f" ({c.chunks} chunks, built in {c.build_seconds:.1f}s)" if c.status == "ok" else "")
        + "</li>" for c in run.configs)
    parts = [
        "<!doctype html><html lang=zh><head><meta charset=utf-8>",
        "<title>cpaudit 评测报告 / evaluation report</title>",
        f"<style>{CSS}{html_questions.CSS}</style></head><body>",
        "<h1>cpaudit 问答评测报告 / Q&amp;A evaluation report</h1>",
        f"<p class=note>{escape(run.started_at)} · "
        + (f"<b>{escape(run.set_name)} set</b> · " if run.set_name else "")
        + f"{run.items} items · "
        f"{escape(run.qa_path)} · corpus {escape(run.corpus_dir)} · {run.seconds:.1f}s"
        + (" · <span class=llm>LLM answers</span>" if run.llm_answers else "")
        + "</p>",
        f"<ul>{notes}</ul>",
    ]
    if run.gate:
        parts.append("<p class=miss>gate failed: " + escape("; ".join(run.gate)) + "</p>")
    if configs:
        parts += [
            "<h2>核心指标 / headline</h2>", _summary_table(run, configs),
            "<p class=note>— 不适用 / not applicable (e.g. abstention precision of a system "
            "that never abstains); it is never a zero.</p>",
            f'<img alt="headline chart" src="{charts.headline_chart(main)}">',
        ]
        if baselines:
            parts += [
                "<h3>基线 / baselines</h3><p class=note>The LangChain baselines are drawn "
                "on their own scale, so that a near-zero baseline does not flatten the "
                "chart above; the table above has their exact figures.</p>",
                f'<img alt="baseline chart" src="{charts.baseline_chart(baselines)}">',
            ]
        parts += [
            f'<img alt="rank chart" src="{charts.rank_chart(configs)}">',
            "<h2>按题型 / per type</h2>",
            f'<img alt="per type chart" src="{charts.type_chart(main, types)}">',
            _breakdown(configs, types, "by_type", lambda g: type_counts.get(g, 0)),
            "<h2>按文件 / per document</h2>",
            f'<img alt="per document chart" src="{charts.doc_heatmap(main, docs)}">',
            _breakdown(configs, docs, "by_doc", lambda g: doc_counts.get(g, 0)),
        ]
    if history is not None:
        parts.append(_trend(run, history))
    if run.checkers is not None:
        parts.append(_checkers(run))
    if configs:
        parts += ["<h2>逐题结果 / per question</h2>",
                  "<p class=note>#n: rank of the first passage holding evidence (✗: none in "
                  "the top 10); kw: keyword recall of the answer; hover a cell for the top "
                  "passages and missing keywords; click a question for the first "
                  "configuration's answer. Filter by type, result or configuration (a "
                  "configuration also hides the other columns), or search.</p>",
                  html_questions.question_table(configs)]
    parts.append(_method())
    parts.append("</body></html>")
    return "\n".join(parts)


def _checkers(run: EvalRun) -> str:
    ev = run.checkers
    if ev is None or ev.status != "ok":
        return f"<h2>报告检查评测 / checker evaluation</h2><p class=note>{escape(ev.note)}</p>" \
            if ev else ""
    rows = "".join(
        f"<tr><th>{escape(s.category)}</th><td class=num>{s.expected}</td>"
        f"<td class=num>{s.found}</td><td class=num>{s.matched}</td>{_num(s.precision)}"
        f"{_num(s.recall)}</tr>" for s in ev.categories + ([ev.overall] if ev.overall else []))
    missed = "".join(f"<li>missed: {escape(m)}</li>" for m in ev.misses) + "".join(
        f"<li>extra: {escape(m)}</li>" for m in ev.extras)
    return (f"<h2>报告检查评测 / checker evaluation</h2><p class=note>{ev.reports} labelled "
            f"reports. {escape(ev.note)}</p><table><tr><th>category</th><th>expected</th>"
            f"<th>found</th><th>matched</th><th>precision</th><th>recall</th></tr>{rows}</table>"
            f"<details><summary>misses and extras</summary><ul>{missed}</ul></details>")


def _method() -> str:
    return f"""<h2>口径 / how it is measured</h2><ul class=note>
<li>Relevance by evidence quotes, not chunk ids: a passage is relevant when it holds an
evidence quote of the item (whitespace removed, full-width folded, table bars dropped), or a
contiguous piece of it of at least {PART_SHARE:.0%} of its length and {PART_MIN_CHARS}
characters (a quote straddling a chunk boundary).</li>
<li>Retrieval metrics over answerable items, 10 passages deep; nDCG uses binary gains with
the ideal ranking from all relevant passages in that configuration's index. Evidence recall@k:
share of an item's quotes found in the k passages handed to the answerer.</li>
<li>Keyword recall: share of the answer keywords in the answer (an abstention scores 0).
Citation precision: cited passages holding evidence, pooled over answerable items.
Abstention precision/recall: abstentions vs the unanswerable items.</li>
<li>LangChain baseline: RecursiveCharacterTextSplitter (default separators, overlap 200) +
BM25Retriever (whitespace or jieba.lcut tokens) over the extracted text; no answerer, so its
“answer” is its whole top-1 passage (generous to it) and it never abstains.</li>
<li><span class=llm>LLM-judged</span> scores, when present, are an LLM's opinion of the
answer, not a measurement.</li></ul>"""


def _trend(run: EvalRun, history: list[RunSummary]) -> str:
    current = summarize_run(run)
    runs = comparable(history, current)
    label = next(iter(current.configs), "")
    head = "<h2>历次运行趋势 / trend across runs</h2>"
    if len(runs) < 2:
        return (head + f"<p class=note>{len(runs)} stored run over these {run.items} "
                "questions: the trend appears from the second run on.</p>")
    points = [(r.started_at, r.configs[label]) for r in runs]
    cells = "".join(f"<th>{escape(LABELS.get(m, m))}</th>" for m in TREND_METRICS)
    rows = "".join(f"<tr><td>{escape(when)}</td>"
                   + "".join(_num(summary.get(m), m) for m in TREND_METRICS) + "</tr>"
                   for when, summary in points)
    return (head + f"<p class=note>{escape(label)} over the same {run.items} questions, "
            f"{len(runs)} runs of {len(history)} stored (runs over other questions are left "
            "out: they are not comparable).</p>"
            f'<img alt="trend chart" src="{charts.trend_chart(points, TREND_METRICS, label)}">'
            f"<details><summary>runs</summary><table><tr><th>run</th>{cells}</tr>{rows}"
            "</table></details>")


def write(run: EvalRun, path: Path, history: list[RunSummary] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(run, history), "utf-8")
    return path
