"""A self-contained HTML report: charts as embedded PNGs, tables, and every question's result."""

from __future__ import annotations

from html import escape
from pathlib import Path

from eval import charts
from eval.metrics import HEADLINE, JUDGED, LABELS
from eval.models import ConfigResult, EvalRun, ItemResult
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
td.id,td.r{white-space:nowrap}
"""


def _num(value, metric: str = "", best: bool = False) -> str:
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
                cells.append(f'<td class="num" colspan=3>abstention recall '
                             f'{escape(fmt(s.get("abstention_recall")))}</td>')
            else:
                cells.append(_num(s.get("hit@5")) + _num(s.get("mrr@10"))
                             + _num(s.get("keyword_recall")))
        rows.append(f"<tr><th>{escape(g)}</th><td class=num>{counts(g)}</td>{''.join(cells)}"
                    "</tr>")
    return (f"<table><tr><th rowspan=2></th><th rowspan=2>n</th>{head}</tr><tr>{sub}</tr>"
            f"{''.join(rows)}</table>")


def _cell(r: ItemResult) -> str:
    if not r.answerable:
        cls, text = ("hit", "拒答 ✓") if r.abstained else ("miss", "答了 ✗")
        return f'<td class="{cls} r" title="unanswerable">{text}</td>'
    rank = r.first_relevant
    cls = "hit" if rank == 1 else "near" if rank and rank <= 5 else "miss"
    text = f"#{rank}" if rank else "✗"
    if r.abstained:
        cls, text = "abst", f"{text} 拒答"
    kw = "" if r.keyword_recall is None else f" · kw {r.keyword_recall:.2f}"
    tip = escape(f"top: {', '.join(h.chunk_id for h in r.top)}; missing: "
                 f"{', '.join(r.missing_keywords)}")
    return f'<td class="{cls} r" title="{tip}">{text}{kw}</td>'


def _question_table(configs: list[ConfigResult]) -> str:
    primary = configs[0]
    head = "".join(f"<th>{escape(c.spec.label)}</th>" for c in configs)
    by_id = [{r.id: r for r in c.items} for c in configs]
    rows = []
    for r in primary.items:
        cells = "".join(_cell(m[r.id]) for m in by_id if r.id in m)
        detail = (f"<details><summary>{escape(r.question)}</summary>"
                  f"<div class=note>{escape(primary.spec.label)} answer "
                  f"({escape(r.answerer)}):</div><pre style='white-space:pre-wrap'>"
                  f"{escape(r.answer)}</pre>"
                  + (f"<div class=note>missing keywords: {escape('、'.join(r.missing_keywords))}"
                     "</div>" if r.missing_keywords else "")
                  + (f"<div class=llm>LLM-judged: faithfulness {fmt(r.faithfulness)}, "
                     f"correctness {fmt(r.correctness)} {escape(r.judge_note)}</div>"
                     if r.faithfulness is not None or r.correctness is not None else "")
                  + "</details>")
        rows.append(f"<tr><td class=id>{escape(r.id)}</td><td>{escape(r.type)}</td>"
                    f"<td class=q>{detail}</td><td>{escape(', '.join(r.docs))}</td>{cells}</tr>")
    return (f"<table><tr><th>id</th><th>type</th><th>question</th><th>evidence docs</th>{head}"
            f"</tr>{''.join(rows)}</table>")


def render(run: EvalRun) -> str:
    configs = [c for c in run.configs if c.status == "ok"]
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
        f"<style>{CSS}</style></head><body>",
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
            f'<img alt="headline chart" src="{charts.headline_chart(configs)}">',
            f'<img alt="rank chart" src="{charts.rank_chart(configs)}">',
            "<h2>按题型 / per type</h2>",
            f'<img alt="per type chart" src="{charts.type_chart(configs, types)}">',
            _breakdown(configs, types, "by_type", lambda g: type_counts.get(g, 0)),
            "<h2>按文件 / per document</h2>",
            f'<img alt="per document chart" src="{charts.doc_heatmap(configs, docs)}">',
            _breakdown(configs, docs, "by_doc", lambda g: doc_counts.get(g, 0)),
        ]
    if run.checkers is not None:
        parts.append(_checkers(run))
    if configs:
        parts += ["<h2>逐题结果 / per question</h2>",
                  "<p class=note>#n: rank of the first passage holding evidence (✗: none in "
                  "the top 10); kw: keyword recall of the answer; hover a cell for the top "
                  "passages and missing keywords; click a question for the first "
                  "configuration's answer.</p>", _question_table(configs)]
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


def write(run: EvalRun, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(run), "utf-8")
    return path
