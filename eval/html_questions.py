"""The per-question table of the HTML report, with a filter (type, hit/miss, configuration)
and a search box: plain inline JavaScript, so the report stays one self-contained file."""

from __future__ import annotations

from html import escape

from eval.models import ConfigResult, ItemResult
from eval.render_text import fmt

CSS = """.filters{position:sticky;top:0;background:#fff;padding:.5em 0;z-index:1;
display:flex;flex-wrap:wrap;gap:.6em;align-items:center;border-bottom:1px solid #ddd}
.filters label{font-size:.9em}.filters input{min-width:16em}"""

# A row's outcome in one configuration: "hit" when the evidence is in the top 5 and the
# answer is not an abstention, or when an unanswerable question is declined; else "miss".
OUTCOMES = (("hit", "命中 / hit"), ("miss", "未命中 / miss"))

SCRIPT = """(function(){
var table=document.getElementById('qtable');if(!table)return;
var rows=Array.prototype.slice.call(table.tBodies[0].rows);
var type=document.getElementById('f-type'),outcome=document.getElementById('f-outcome'),
config=document.getElementById('f-config'),search=document.getElementById('f-search'),
count=document.getElementById('f-count');
function apply(){
var t=type.value,o=outcome.value,c=config.value,q=search.value.trim().toLowerCase(),shown=0;
rows.forEach(function(r){
var ok=!t||r.getAttribute('data-type')===t;
if(ok&&o){var outs=r.getAttribute('data-outcomes').split(' ');
ok=c===''?outs.indexOf(o)>=0:outs[+c]===o;}
if(ok&&q)ok=r.textContent.toLowerCase().indexOf(q)>=0;
r.hidden=!ok;if(ok)shown++;});
table.querySelectorAll('[data-c]').forEach(function(x){
x.hidden=c!==''&&x.getAttribute('data-c')!==c;});
count.textContent=shown+' / '+rows.length;}
[type,outcome,config].forEach(function(e){e.addEventListener('change',apply);});
search.addEventListener('input',apply);apply();})();"""


def outcome(r: ItemResult) -> str:
    if not r.answerable:
        return "hit" if r.abstained else "miss"
    rank = r.first_relevant
    return "hit" if rank and rank <= 5 and not r.abstained else "miss"


def _cell(r: ItemResult, column: int) -> str:
    c = f' data-c="{column}"'
    if not r.answerable:
        cls, text = ("hit", "拒答 ✓") if r.abstained else ("miss", "答了 ✗")
        return f'<td class="{cls} r"{c} title="unanswerable">{text}</td>'
    rank = r.first_relevant
    cls = "hit" if rank == 1 else "near" if rank and rank <= 5 else "miss"
    text = f"#{rank}" if rank else "✗"
    if r.abstained:
        cls, text = "abst", f"{text} 拒答"
    kw = "" if r.keyword_recall is None else f" · kw {r.keyword_recall:.2f}"
    tip = escape(f"top: {', '.join(h.chunk_id for h in r.top)}; missing: "
                 f"{', '.join(r.missing_keywords)}")
    return f'<td class="{cls} r"{c} title="{tip}">{text}{kw}</td>'


def _absent(column: int) -> str:
    return f'<td class="na r" data-c="{column}" title="不适用 / not applicable">—</td>'


def _detail(r: ItemResult, label: str) -> str:
    return (f"<details><summary>{escape(r.question)}</summary>"
            f"<div class=note>{escape(label)} answer ({escape(r.answerer)}):</div>"
            f"<pre style='white-space:pre-wrap'>{escape(r.answer)}</pre>"
            + (f"<div class=note>missing keywords: {escape('、'.join(r.missing_keywords))}"
               "</div>" if r.missing_keywords else "")
            + (f"<div class=llm>LLM-judged: faithfulness {fmt(r.faithfulness)}, "
               f"correctness {fmt(r.correctness)} {escape(r.judge_note)}</div>"
               if r.faithfulness is not None or r.correctness is not None else "")
            + "</details>")


def _filters(configs: list[ConfigResult], types: list[str]) -> str:
    def options(pairs) -> str:
        return "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in pairs)

    return (
        '<div class="filters" id="qfilters">'
        '<label>题型 / type <select id="f-type">'
        f'{options([("", "全部 / all")] + [(t, t) for t in types])}</select></label>'
        '<label>结果 / result <select id="f-outcome">'
        f'{options([("", "全部 / all"), *OUTCOMES])}</select></label>'
        '<label>配置 / configuration <select id="f-config">'
        f'{options([("", "全部 / all")] + [(str(i), c.spec.label) for i, c in enumerate(configs)])}'
        '</select></label>'
        '<label>搜索 / search <input id="f-search" type="search" '
        'placeholder="编号、问题、文件… / id, question, document…"></label>'
        '<span class="note">显示 / shown <span id="f-count"></span></span></div>')


def question_table(configs: list[ConfigResult]) -> str:
    primary = configs[0]
    by_id = [{r.id: r for r in c.items} for c in configs]
    head = "".join(f'<th data-c="{i}">{escape(c.spec.label)}</th>'
                   for i, c in enumerate(configs))
    rows = []
    for r in primary.items:
        results = [m.get(r.id) for m in by_id]
        cells = "".join(_cell(x, i) if x else _absent(i) for i, x in enumerate(results))
        outcomes = " ".join(outcome(x) if x else "none" for x in results)
        rows.append(f'<tr data-type="{escape(r.type)}" data-outcomes="{outcomes}">'
                    f"<td class=id>{escape(r.id)}</td><td>{escape(r.type)}</td>"
                    f"<td class=q>{_detail(r, primary.spec.label)}</td>"
                    f"<td>{escape(', '.join(r.docs))}</td>{cells}</tr>")
    types = sorted({r.type for r in primary.items})
    return (_filters(configs, types)
            + f'<table id="qtable"><thead><tr><th>id</th><th>type</th><th>question</th>'
            f"<th>evidence docs</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<script>{SCRIPT}</script>")
