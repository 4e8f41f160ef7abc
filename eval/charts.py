"""Charts for the HTML report, written as SVG data URIs by this module itself.

They used to be matplotlib figures saved as PNG: importing matplotlib and drawing the five
figures (`bbox_inches="tight"` draws each twice) cost more than two seconds of a `cpaudit
eval`, more than answering the whole dev set, so the figures were cached by what they plot.
Writing the same bars, heat map and trend lines as SVG text takes a millisecond each, needs
no cache, and the browser renders the Chinese labels with its own CJK fonts (no font file is
looked for). The layout is fixed: each chart's size follows from how many groups, series and
rows it has, with room for the longest label.
"""

from __future__ import annotations

import base64
from html import escape

from eval.metrics import LABELS
from eval.models import ConfigResult

CHART_METRICS = ("hit@1", "hit@5", "mrr@10", "ndcg@10", "evidence_recall", "keyword_recall",
                 "citation_precision", "abstention_precision", "abstention_recall")
RANK_BUCKETS = (("1", 1, 1), ("2–3", 2, 3), ("4–5", 4, 5), ("6–10", 6, 10))
PALETTE = ("#1f6f8b", "#e07a2f", "#5b9a3c", "#9b59b6", "#c0392b", "#7f8c8d", "#d4ac0d",
           "#16a085", "#34495e", "#e84393", "#2d3436")
RANK_COLORS = ("#1e8449", "#52be80", "#a9dfbf", "#f9e79f", "#e74c3c")
# matplotlib's RdYlGn at 0, ½ and 1: the heat map's colour scale, interpolated between them
_HEAT = ((0xa5, 0x00, 0x26), (0xff, 0xff, 0xbf), (0x00, 0x68, 0x37))
_FONTS = "WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def _width(text: str, size: float = 11) -> float:
    """About how wide `text` renders: a CJK character is a full em, others about half."""
    return sum(size if ord(c) > 0x2e7f else size * 0.56 for c in text)


def _text(x: float, y: float, text: str, anchor: str = "middle", size: float = 11,
          extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"'
            f'{extra}>{escape(text)}</text>')


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{_FONTS}" font-size="11">'
            f'<rect width="100%" height="100%" fill="white"/>'
            + _text(width / 2, 22, title, size=14))
    return "data:image/svg+xml;base64," + base64.b64encode(
        (head + "".join(body) + "</svg>").encode("utf-8")).decode("ascii")


def _legend(names: list[str], colors: list[str], left: float, top: float,
            span: float) -> tuple[list[str], float]:
    """Swatches and names in rows across `span` pixels; the parts and the height they take."""
    out, x, y = [], left, top
    for name, color in zip(names, colors, strict=True):
        w = 22 + _width(name, 10) + 16
        if x > left and x + w > left + span:
            x, y = left, y + 16
        out.append(f'<rect x="{x:.1f}" y="{y - 8:.1f}" width="14" height="9" fill="{color}"/>'
                   + _text(x + 18, y, name, "start", 10))
        x += w
    return out, y - top + 16


def _grouped(title: str, groups: list[str], series: dict[str, list[float | None]],
             top: float = 1.05) -> str:
    """Grouped bars on a 0–`top` scale; a value that does not apply (None, "—" in the tables)
    gets no bar but a grey "—" on the axis, so it never reads as a zero."""
    width, left, right, plot_top, plot_h = 1000, 50, 20, 40, 260
    plot_w = width - left - right
    lines = [g.split("\n") for g in groups]
    # group labels slanted 20° (as long as "abstention recall (unanswerable refused)"): their
    # height is a third of the longest one's width, plus a line per extra line
    label_h = 0.35 * max((_width(p) for ls in lines for p in ls), default=0) \
        + 14 * max((len(ls) for ls in lines), default=1) + 8
    step = plot_w / max(len(groups), 1)
    n = max(len(series), 1)
    bar = 0.8 * step / n
    base = plot_top + plot_h

    def y(v: float) -> float:
        return base - plot_h * min(v, top) / top

    body = []
    for k in range(6):
        tick = top * k / 5
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                    f'y2="{y(tick):.1f}" stroke="#e4e4e4"/>'
                    + _text(left - 6, y(tick) + 4, f"{tick:.2f}", "end"))
    missing = False
    for i, values in enumerate(series.values()):
        color = PALETTE[i % len(PALETTE)]
        for g, v in enumerate(values):
            x = left + step * (g + 0.1) + bar * i
            if v is None:
                missing = True
                body.append(_text(x + bar / 2, base - 3, "—", size=13,
                                  extra=' fill="#555" font-weight="bold"'))
            else:
                body.append(f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{bar:.1f}" '
                            f'height="{base - y(v):.1f}" fill="{color}"><title>'
                            f"{escape(list(series)[i])}: {v:.3f}</title></rect>")
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{base}" y2="{base}" '
                f'stroke="#444"/>')
    for g, parts in enumerate(lines):
        for k, part in enumerate(parts):
            x, y = left + step * (g + 0.5) + 4, base + 14 + 14 * k
            body.append(_text(x, y, part, "end",
                              extra=f' transform="rotate(-20 {x:.1f} {y:.1f})"'))
    if missing:
        body.append(_text(width - right, plot_top - 6, "— 不适用 / not applicable", "end", 10,
                          ' fill="#666"'))
    legend, legend_h = _legend(list(series), [PALETTE[i % len(PALETTE)]
                                              for i in range(len(series))],
                               left, base + label_h + 10, plot_w)
    return _svg(width, base + label_h + legend_h + 14, title, body + legend)


def split_baselines(configs: list[ConfigResult]) -> tuple[list[ConfigResult],
                                                          list[ConfigResult]]:
    """(ours, baselines): the baselines get their own chart and scale, so a near-zero
    baseline does not flatten the comparison of our configurations. With no configuration
    of ours, the baselines are the main series."""
    ours = [c for c in configs if c.spec.system == "ours"]
    baselines = [c for c in configs if c.spec.system != "ours"]
    return (ours, baselines) if ours else (baselines, [])


def _metric_series(configs: list[ConfigResult]) -> dict[str, list[float | None]]:
    return {c.spec.label: [c.summary.get(m) for m in CHART_METRICS] for c in configs}


def headline_chart(configs: list[ConfigResult]) -> str:
    return _grouped("各配置核心指标 / headline metrics per configuration",
                    [LABELS[m] for m in CHART_METRICS], _metric_series(configs))


def baseline_chart(baselines: list[ConfigResult]) -> str:
    """The baselines' headline metrics on a scale fitted to them (stated in the title)."""
    series = _metric_series(baselines)
    peak = max((v for vs in series.values() for v in vs if v is not None), default=0.0)
    top = min(1.05, max(0.05, peak * 1.25))
    return _grouped(f"基线（纵轴 0–{top:.2f}，与上图不同）/ baselines, own scale 0–{top:.2f}",
                    [LABELS[m] for m in CHART_METRICS], series, top=top)


def type_chart(configs: list[ConfigResult], types: list[str]) -> str:
    series = {c.spec.label: [
        c.by_type.get(t, {}).get("abstention_recall" if t == "unanswerable" else "hit@5")
        for t in types] for c in configs}
    groups = [t + ("\n(abstention recall)" if t == "unanswerable" else "") for t in types]
    return _grouped("按题型 hit@5（不可回答题：拒答召回率）/ hit@5 per question type", groups,
                    series)


def _heat(v: float) -> str:
    v = min(max(v, 0.0), 1.0)
    lo, hi, t = (_HEAT[0], _HEAT[1], v * 2) if v < 0.5 else (_HEAT[1], _HEAT[2], v * 2 - 1)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(lo, hi, strict=True))


def doc_heatmap(configs: list[ConfigResult], docs: list[str]) -> str:
    """hit@5 per document (rows) and configuration (columns), red 0 to green 1."""
    labels = [c.spec.label for c in configs]
    cell_w, cell_h = 110, 24
    left = 20 + max((_width(d) for d in docs), default=0)
    plot_top = 40
    label_h = 20 + max((_width(lb, 10) for lb in labels), default=0) * 0.5
    width = left + cell_w * max(len(labels), 1) + 90
    body = []
    for r, doc in enumerate(docs):
        y = plot_top + cell_h * r
        body.append(_text(left - 6, y + cell_h / 2 + 4, doc, "end"))
        for c, config in enumerate(configs):
            v = config.by_doc.get(doc, {}).get("hit@5")
            x = left + cell_w * c
            body.append(f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" '
                        f'fill="{"#f2f2f2" if v is None else _heat(v)}" stroke="white"/>'
                        + _text(x + cell_w / 2, y + cell_h / 2 + 4,
                                "—" if v is None else f"{v:.2f}", size=10,
                                extra=' fill="#888"' if v is None else ""))
    base = plot_top + cell_h * len(docs)
    for c, label in enumerate(labels):
        x = left + cell_w * (c + 0.5)
        body.append(_text(x, base + 14, label, size=10))
    scale_x, scale_h = left + cell_w * max(len(labels), 1) + 20, max(cell_h * len(docs), 60)
    stops = "".join(f'<stop offset="{k / 10:.1f}" stop-color="{_heat(1 - k / 10)}"/>'
                    for k in range(11))
    body.append(f'<defs><linearGradient id="heat" x1="0" x2="0" y1="0" y2="1">{stops}'
                f'</linearGradient></defs><rect x="{scale_x}" y="{plot_top}" width="14" '
                f'height="{scale_h}" fill="url(#heat)"/>'
                + _text(scale_x + 18, plot_top + 8, "1.0", "start", 10)
                + _text(scale_x + 18, plot_top + scale_h, "0.0", "start", 10))
    return _svg(width, max(base, plot_top + scale_h) + label_h, "按文件 hit@5 / hit@5 per document",
                body)


def rank_chart(configs: list[ConfigResult]) -> str:
    """Where the first relevant passage lands, per configuration (answerable items)."""
    buckets = [*RANK_BUCKETS, ("miss", 11, 10**9)]
    labels = [c.spec.label for c in configs]
    width, right, plot_top, bar_h = 1000, 30, 40, 24
    left = 20 + max((_width(lb) for lb in labels), default=0)
    plot_w = width - left - right
    base = plot_top + len(configs) * (bar_h + 6)
    body = []
    for k in range(6):
        x = left + plot_w * k / 5
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{plot_top - 4}" y2="{base}" '
                    f'stroke="#ccc"/>' + _text(x, base + 14, f"{k / 5:.1f}", size=10))
    for row, c in enumerate(configs):
        hits = [r.first_relevant or 10**9 for r in c.items if r.answerable]
        x, y = left, plot_top + row * (bar_h + 6)
        body.append(_text(left - 6, y + bar_h / 2 + 4, labels[row], "end"))
        for (name, lo, hi), color in zip(buckets, RANK_COLORS, strict=True):
            share = sum(lo <= h <= hi for h in hits) / len(hits) if hits else 0.0
            if share:
                body.append(f'<rect x="{x:.1f}" y="{y}" width="{plot_w * share:.1f}" '
                            f'height="{bar_h}" fill="{color}"><title>{escape(labels[row])} '
                            f"rank {escape(name)}: {share:.3f}</title></rect>")
            x += plot_w * share
    legend, legend_h = _legend([f"rank {name}" for name, _, _ in buckets], list(RANK_COLORS),
                               left, base + 36, plot_w)
    return _svg(width, base + 36 + legend_h + 6,
                "首个相关段落的排名 / rank of the first relevant passage", body + legend)


def trend_chart(runs: list[tuple[str, dict[str, float | int | None]]],
                metrics: tuple[str, ...], label: str) -> str:
    """Headline metrics of one configuration across stored runs, oldest first; a metric
    that does not apply to a run leaves a gap, not a zero."""
    width, height, left, right, top, bottom = 1000, 380, 50, 20, 40, 110
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(runs)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n if n else 0)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / 1.05)

    out = []
    for tick in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                   f'y2="{y(tick):.1f}" stroke="#ddd"/>'
                   + _text(left - 6, y(tick) + 4, f"{tick:.1f}", "end"))
    for i, (when, _) in enumerate(runs):
        for k, part in enumerate(when[:16].split("T")):
            out.append(_text(x(i), top + plot_h + 16 + 11 * k, part, size=9))
    for m, metric in enumerate(metrics):
        color = PALETTE[m % len(PALETTE)]
        values = [summary.get(metric) for _, summary in runs]
        segment: list[str] = []
        for i, v in enumerate([*values, None]):
            if v is not None:
                segment.append(f"{x(i):.1f},{y(v):.1f}")
                out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{color}"/>')
            elif segment:  # a run where the metric does not apply breaks the line
                out.append(f'<polyline points="{" ".join(segment)}" fill="none" '
                           f'stroke="{color}" stroke-width="1.5"/>')
                segment = []
        lx = left + (m % 6) * (plot_w / 6)
        ly = height - 40 + 16 * (m // 6)
        out.append(f'<rect x="{lx:.1f}" y="{ly - 8}" width="14" height="3" fill="{color}"/>'
                   + _text(lx + 18, ly - 3, LABELS.get(metric, metric), "start"))
    return _svg(width, height, f"历次运行趋势（{label}）/ headline metrics across runs", out)
