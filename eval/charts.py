"""Charts for the HTML report: matplotlib figures returned as base64 PNG data URIs.

Chinese labels need a CJK font; WenQuanYi Micro Hei is used when present (Debian package
fonts-wqy-microhei), else the first installed Noto CJK font, else matplotlib's default (labels
then render as boxes, and a warning is logged).
"""

from __future__ import annotations

import base64
import io
import logging
from functools import lru_cache
from pathlib import Path

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
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(11, 3.8))
    series = {c.spec.label: [c.summary.get(m) for m in CHART_METRICS] for c in baselines}
    peak = max((v for vs in series.values() for v in vs if v is not None), default=0.0)
    top = min(1.05, max(0.05, peak * 1.25))
    _grouped(ax, [LABELS[m] for m in CHART_METRICS], series, top=top)
    ax.set_title(f"基线（纵轴 0–{top:.2f}，与上图不同）/ baselines, own scale 0–{top:.2f}")
    return _png(fig)


def trend_chart(runs: list[tuple[str, dict[str, float | int | None]]],
                metrics: tuple[str, ...], label: str) -> str:
    """Headline metrics of one configuration across stored runs, oldest first; a metric
    that does not apply to a run leaves a gap, not a zero."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(11, 4.2))
    xs = list(range(1, len(runs) + 1))
    for i, metric in enumerate(metrics):
        ys = [float("nan") if s.get(metric) is None else s[metric] for _, s in runs]
        ax.plot(xs, ys, marker="o", label=LABELS.get(metric, metric),
                color=PALETTE[i % len(PALETTE)])
    ax.set_xticks(xs)
    ax.set_xticklabels([when[:16].replace("T", "\n") for when, _ in runs], fontsize=7)
    ax.set_ylim(0, 1.05)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncols=min(len(metrics), 6), loc="upper center",
              bbox_to_anchor=(0.5, -0.2))
    ax.set_title(f"历次运行趋势（{label}）/ headline metrics across runs")
    return _png(fig)


def headline_chart(configs: list[ConfigResult]) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(11, 4.6))
    series = {c.spec.label: [c.summary.get(m) for m in CHART_METRICS] for c in configs}
    _grouped(ax, [LABELS[m] for m in CHART_METRICS], series)
    ax.set_title("各配置核心指标 / headline metrics per configuration")
    return _png(fig)


def type_chart(configs: list[ConfigResult], types: list[str]) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(11, 4.2))
    series = {}
    for c in configs:
        series[c.spec.label] = [
            c.by_type.get(t, {}).get("abstention_recall" if t == "unanswerable" else "hit@5")
            for t in types
        ]
    _grouped(ax, [t + ("\n(abstention recall)" if t == "unanswerable" else "") for t in types],
             series)
    ax.set_title("按题型 hit@5（不可回答题：拒答召回率）/ hit@5 per question type")
    return _png(fig)


def doc_heatmap(configs: list[ConfigResult], docs: list[str]) -> str:
    plt = _pyplot()
    data = [[c.by_doc.get(d, {}).get("hit@5") for c in configs] for d in docs]
    fig, ax = plt.subplots(figsize=(1.6 + 1.3 * len(configs), 0.9 + 0.42 * len(docs)))
    grid = [[v if v is not None else float("nan") for v in row] for row in data]
    image = ax.imshow(grid, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(configs)))
    ax.set_xticklabels([c.spec.label for c in configs], rotation=25, ha="right")
    ax.set_yticks(range(len(docs)))
    ax.set_yticklabels(docs)
    for y, row in enumerate(data):
        for x, v in enumerate(row):
            ax.text(x, y, "—" if v is None else f"{v:.2f}", ha="center", va="center",
                    fontsize=8, color="#888" if v is None else "black")
    fig.colorbar(image, ax=ax, fraction=0.03)
    ax.set_title("按文件 hit@5 / hit@5 per document")
    return _png(fig)


def rank_chart(configs: list[ConfigResult]) -> str:
    """Where the first relevant passage lands, per configuration (answerable items)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(11, 0.9 + 0.45 * len(configs)))
    labels = [c.spec.label for c in configs]
    left = [0.0] * len(configs)
    colors = ("#1e8449", "#52be80", "#a9dfbf", "#f9e79f", "#e74c3c")
    buckets = [*RANK_BUCKETS, ("miss", 11, 10**9)]
    for (name, lo, hi), color in zip(buckets, colors, strict=True):
        shares = []
        for c in configs:
            answerable = [r for r in c.items if r.answerable]
            hits = [r.first_relevant or 10**9 for r in answerable]
            shares.append(sum(lo <= h <= hi for h in hits) / len(answerable)
                          if answerable else 0.0)
        ax.barh(labels, shares, left=left, color=color, label=f"rank {name}")
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.legend(fontsize=8, ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    ax.set_title("首个相关段落的排名 / rank of the first relevant passage")
    return _png(fig)
