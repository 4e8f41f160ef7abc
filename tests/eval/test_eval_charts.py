"""The HTML report's charts: SVG written without matplotlib, a bar per value that applies,
a "—" (never a zero bar) for one that does not."""

from __future__ import annotations

import base64
import subprocess
import sys
import xml.etree.ElementTree as ET

from eval import charts
from eval.models import ConfigResult, ConfigSpec, ItemResult

NS = "{http://www.w3.org/2000/svg}"


def _svg(uri: str) -> ET.Element:
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    return ET.fromstring(base64.b64decode(uri[len(prefix):]).decode("utf-8"))  # well-formed


def _config(label: str, system: str = "ours", summary: dict | None = None) -> ConfigResult:
    hits = [1, 3, None, 2]
    items = [ItemResult(id=f"qa-{i}", type="fact", question="问？", docs=["doc-a"],
                        answerable=True, relevant=[h == k + 1 for k in range(10)] if h else [])
             for i, h in enumerate(hits)]
    return ConfigResult(spec=ConfigSpec(label=label, system=system), items=items,
                        summary=summary or {}, by_type={"fact": {"hit@5": 0.75}},
                        by_doc={"doc-a": {"hit@5": 0.75}, "政策<文件>": {}})


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def test_a_value_that_does_not_apply_gets_a_dash_not_a_bar():
    with_value = _svg(charts.headline_chart([_config("ours", summary={"hit@1": 0.5})]))
    without = _svg(charts.headline_chart([_config("ours")]))
    bars = [r for r in with_value.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert len(bars) == 1 and "0.500" in bars[0].find(f"{NS}title").text
    assert not [r for r in without.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert _texts(without).count("—") == len(charts.CHART_METRICS)
    assert "— 不适用 / not applicable" in _texts(without)


def test_every_chart_is_well_formed_with_its_labels_escaped():
    ours, base = _config("ours<&>", summary={"hit@5": 0.9}), _config("lc-jieba", "langchain",
                                                                   {"hit@5": 0.02})
    uris = [charts.headline_chart([ours]), charts.baseline_chart([base]),
            charts.type_chart([ours], ["fact", "unanswerable"]),
            charts.doc_heatmap([ours], ["doc-a", "政策<文件>"]), charts.rank_chart([ours, base]),
            charts.trend_chart([("2026-12-03T10:00", {"hit@5": 0.9}),
                                ("2026-12-03T11:00", {"hit@5": None})], ("hit@5",), "ours")]
    roots = [_svg(uri) for uri in uris]
    assert "ours<&>" in _texts(roots[0]) and "政策<文件>" in _texts(roots[3])
    assert any("0–0.05" in t for t in _texts(roots[1]))  # the baselines' own scale
    assert "(abstention recall)" in _texts(roots[2])
    shares = [r.find(f"{NS}title").text for r in roots[4].iter(f"{NS}rect")
              if r.find(f"{NS}title") is not None]
    # first relevant at ranks 1, 3, none and 2: rank 1 a quarter, 2–3 a half, miss a quarter
    assert [s.split(" rank ")[1] for s in shares if s.startswith("ours")] == [
        "1: 0.250", "2–3: 0.500", "miss: 0.250"]


def test_drawing_the_charts_imports_no_matplotlib():
    code = ("import sys; from eval import charts, render_html; "
            "charts.headline_chart([]); charts.rank_chart([]); charts.doc_heatmap([], []); "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
