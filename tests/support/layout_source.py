"""Render one layout-fixture source (scripts/make_layout_fixtures.py) in a temp dir, for the
tests of the report-set generator's forms."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def render_source(source_yaml: str, name: str, tmp: Path) -> dict[str, Path]:
    """Every file the generator writes for the source, by suffix (".docx", ".pdf", ".md", …)."""
    spec = importlib.util.spec_from_file_location(
        "make_layout_fixtures", ROOT / "scripts" / "make_layout_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_layout_fixtures", module)
    spec.loader.exec_module(module)  # puts scripts/ on sys.path
    sources = tmp / "src"
    sources.mkdir()
    (sources / f"{name}.yaml").write_text(source_yaml, "utf-8")
    return {p.suffix: p for p in module.generate(tmp / "out", None, sources)}
