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


def _grouped(ax, groups: list[str], series: dict[str, list[float | None]]) -> None:
    n = max(len(series), 1)
    width = 0.8 / n
    for i, (label, values) in enumerate(series.items()):
        xs = [g + (i - (n - 1) / 2) * width for g in range(len(groups))]
        ys = [v if v is not None else 0.0 for v in values]
        bars = ax.bar(xs, ys, width, label=label, color=PALETTE[i % len(PALETTE)])
        for bar, v in zip(bars, values, strict=True):
            if v is None:
                bar.set_hatch("//")
                bar.set_alpha(0.3)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups, rotation=20, ha="right")
    ax.set_ylim(0, 1.05)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, ncols=min(n, 4), loc="upper center", bbox_to_anchor=(0.5, -0.22))


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
            if v is not None:
                ax.text(x, y, f"{v:.2f}", ha="center", va="center", fontsize=8)
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
