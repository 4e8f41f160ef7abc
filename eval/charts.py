"""Charts for the HTML report: matplotlib figures returned as base64 PNG data URIs (each cached
by what it plots), and the trend across runs written as SVG.

Chinese labels need a CJK font; WenQuanYi Micro Hei is used when present (Debian package
fonts-wqy-microhei), else the first installed Noto CJK font, else matplotlib's default (labels
then render as boxes, and a warning is logged).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
from functools import lru_cache
from html import escape
from importlib import metadata
from pathlib import Path

from assistant.derived import replace_file
from assistant.settings import get_settings
from eval.metrics import LABELS
from eval.models import ConfigResult

log = logging.getLogger(__name__)
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
CHART_METRICS = ("hit@1", "hit@5", "mrr@10", "ndcg@10", "evidence_recall", "keyword_recall",
                 "citation_precision", "abstention_precision", "abstention_recall")
RANK_BUCKETS = (("1", 1, 1), ("2–3", 2, 3), ("4–5", 4, 5), ("6–10", 6, 10))
PALETTE = ("#1f6f8b", "#e07a2f", "#5b9a3c", "#9b59b6", "#c0392b", "#7f8c8d", "#d4ac0d",
           "#16a085", "#34495e", "#e84393", "#2d3436")
_CACHE_KEEP = 60  # charts kept in the cache, the most recently used


@lru_cache(maxsize=1)
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for path in CJK_FONTS:
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            name = font_manager.FontProperties(fname=str(path)).get_name()
            plt.rcParams["font.family"] = [name, "DejaVu Sans"]
            break
    else:
        log.warning("no CJK font found: Chinese chart labels will not render")
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _chart(draw, data: dict) -> str:
    """What `draw` makes of `data`, as a PNG data URI. Drawing a figure costs 0.2–1 s, and
    most charts of a run equal the last run's: each is drawn once per distinct data (all it
    plots), chart code, matplotlib version and font, then read from the settings' cache
    directory (shared by every data dir: the key is what is drawn)."""
    payload = json.dumps([draw.__name__, data, _fingerprint()], ensure_ascii=False)
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
    folder = get_settings().cache_dir / "eval-charts"
    path = folder / f"{digest}.txt"
    try:
        uri = path.read_text("ascii")
        if uri.startswith("data:image/png;base64,"):
            path.touch()  # recently used: kept by the pruning below
            return uri
    except OSError:
        pass
    uri = _png(draw(data))
    try:
        replace_file(path, [uri.encode("ascii")])  # readers never see half a chart
        entries = sorted(folder.glob("*.txt"), key=lambda f: f.stat().st_mtime, reverse=True)
        for old in entries[_CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only cache directory costs the cache, not the chart
        log.warning("could not cache a chart in %s: %s", folder, exc)
    return uri


@lru_cache(maxsize=1)
def _fingerprint() -> list[str]:
    try:
        version = metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        version = "missing"
    font = next((str(p) for p in CJK_FONTS if p.is_file()), "")
    return [hashlib.sha256(Path(__file__).read_bytes()).hexdigest(), version, font]


def _png(fig) -> str:
    plt = _pyplot()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _grouped(ax, groups: list[str], series: dict[str, list[float | None]],
             top: float = 1.05) -> None:
    """Grouped bars; a value that does not apply (None, "—" in the tables) gets no bar but a
    grey "—" on the axis, so it never reads as a zero."""
    n = max(len(series), 1)
    width = 0.8 / n
    missing = False
    for i, (label, values) in enumerate(series.items()):
        xs = [g + (i - (n - 1) / 2) * width for g in range(len(groups))]
        present = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        ax.bar([x for x, _ in present], [v for _, v in present], width, label=label,
               color=PALETTE[i % len(PALETTE)])
        for x, v in zip(xs, values, strict=True):
            if v is None:
                missing = True
                ax.text(x, top * 0.01, "—", ha="center", va="bottom", color="#555",
                        fontsize=13, fontweight="bold")
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups, rotation=20, ha="right")
    ax.set_ylim(0, top)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, ncols=min(n, 4), loc="upper center", bbox_to_anchor=(0.5, -0.22))
    if missing:
        ax.annotate("— 不适用 / not applicable", xy=(1, 1), xycoords="axes fraction",
                    ha="right", va="bottom", fontsize=8, color="#666")


def split_baselines(configs: list[ConfigResult]) -> tuple[list[ConfigResult],
                                                          list[ConfigResult]]:
    """(ours, baselines): the baselines get their own chart and scale, so a near-zero
    baseline does not flatten the comparison of our configurations. With no configuration
    of ours, the baselines are the main series."""
    ours = [c for c in configs if c.spec.system == "ours"]
    baselines = [c for c in configs if c.spec.system != "ours"]
    return (ours, baselines) if ours else (baselines, [])


def baseline_chart(baselines: list[ConfigResult]) -> str:
    """The baselines' headline metrics on a scale fitted to them (stated in the title)."""
    series = {c.spec.label: [c.summary.get(m) for m in CHART_METRICS] for c in baselines}
    return _chart(_draw_baseline, {"groups": [LABELS[m] for m in CHART_METRICS],
                                   "series": series})


def _draw_baseline(data: dict):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(11, 3.8))
    series = data["series"]
    peak = max((v for vs in series.values() for v in vs if v is not None), default=0.0)
    top = min(1.05, max(0.05, peak * 1.25))
    _grouped(ax, data["groups"], series, top=top)
    ax.set_title(f"基线（纵轴 0–{top:.2f}，与上图不同）/ baselines, own scale 0–{top:.2f}")
    return fig


def trend_chart(runs: list[tuple[str, dict[str, float | int | None]]],
                metrics: tuple[str, ...], label: str) -> str:
    """Headline metrics of one configuration across stored runs, oldest first; a metric
    that does not apply to a run leaves a gap, not a zero. Written as SVG directly: it changes
    with every run (so no cache helps it), and matplotlib's import and draw cost a second."""
    width, height, left, right, top, bottom = 1000, 380, 50, 20, 40, 110
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(runs)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n if n else 0)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / 1.05)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif" font-size="11">',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="14">'
           f"历次运行趋势（{escape(label)}）/ headline metrics across runs</text>"]
    for tick in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                   f'y2="{y(tick):.1f}" stroke="#ddd"/><text x="{left - 6}" '
                   f'y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.1f}</text>')
    for i, (when, _) in enumerate(runs):
        for k, part in enumerate(when[:16].split("T")):
            out.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 16 + 11 * k}" '
                       f'text-anchor="middle" font-size="9">{escape(part)}</text>')
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
                   f'<text x="{lx + 18:.1f}" y="{ly - 3}">'
                   f"{escape(LABELS.get(metric, metric))}</text>")
    out.append("</svg>")
    return "data:image/svg+xml;base64," + base64.b64encode(
        "".join(out).encode("utf-8")).decode("ascii")


def headline_chart(configs: list[ConfigResult]) -> str:
    series = {c.spec.label: [c.summary.get(m) for m in CHART_METRICS] for c in configs}
    return _chart(_draw_headline, {"groups": [LABELS[m] for m in CHART_METRICS],
                                   "series": series})


def _draw_headline(data: dict):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(11, 4.6))
    _grouped(ax, data["groups"], data["series"])
    ax.set_title("各配置核心指标 / headline metrics per configuration")
    return fig


def type_chart(configs: list[ConfigResult], types: list[str]) -> str:
    series = {}
    for c in configs:
        series[c.spec.label] = [
            c.by_type.get(t, {}).get("abstention_recall" if t == "unanswerable" else "hit@5")
            for t in types
        ]
    groups = [t + ("\n(abstention recall)" if t == "unanswerable" else "") for t in types]
    return _chart(_draw_types, {"groups": groups, "series": series})


def _draw_types(data: dict):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(11, 4.2))
    _grouped(ax, data["groups"], data["series"])
    ax.set_title("按题型 hit@5（不可回答题：拒答召回率）/ hit@5 per question type")
    return fig


def doc_heatmap(configs: list[ConfigResult], docs: list[str]) -> str:
    data = [[c.by_doc.get(d, {}).get("hit@5") for c in configs] for d in docs]
    return _chart(_draw_docs, {"labels": [c.spec.label for c in configs], "docs": docs,
                               "data": data})


def _draw_docs(chart: dict):
    plt = _pyplot()
    labels, docs, data = chart["labels"], chart["docs"], chart["data"]
    fig, ax = plt.subplots(figsize=(1.6 + 1.3 * len(labels), 0.9 + 0.42 * len(docs)))
    grid = [[v if v is not None else float("nan") for v in row] for row in data]
    image = ax.imshow(grid, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=25, ha="right")
    ax.set_yticks(range(len(docs)))
    ax.set_yticklabels(docs)
    for y, row in enumerate(data):
        for x, v in enumerate(row):
            ax.text(x, y, "—" if v is None else f"{v:.2f}", ha="center", va="center",
                    fontsize=8, color="#888" if v is None else "black")
    fig.colorbar(image, ax=ax, fraction=0.03)
    ax.set_title("按文件 hit@5 / hit@5 per document")
    return fig


def rank_chart(configs: list[ConfigResult]) -> str:
    """Where the first relevant passage lands, per configuration (answerable items)."""
    buckets = [*RANK_BUCKETS, ("miss", 11, 10**9)]
    shares = {}
    for name, lo, hi in buckets:
        shares[name] = []
        for c in configs:
            answerable = [r for r in c.items if r.answerable]
            hits = [r.first_relevant or 10**9 for r in answerable]
            shares[name].append(sum(lo <= h <= hi for h in hits) / len(answerable)
                                if answerable else 0.0)
    return _chart(_draw_ranks, {"labels": [c.spec.label for c in configs], "shares": shares})


def _draw_ranks(data: dict):
    plt = _pyplot()
    labels = data["labels"]
    fig, ax = plt.subplots(figsize=(11, 0.9 + 0.45 * len(labels)))
    left = [0.0] * len(labels)
    colors = ("#1e8449", "#52be80", "#a9dfbf", "#f9e79f", "#e74c3c")
    for (name, shares), color in zip(data["shares"].items(), colors, strict=True):
        ax.barh(labels, shares, left=left, color=color, label=f"rank {name}")
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.legend(fontsize=8, ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    ax.set_title("首个相关段落的排名 / rank of the first relevant passage")
    return fig
