"""The committed DOCX/PDF/TXT sample reports are what the script makes from the sources."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_report_fixtures.py"


def _script():
    spec = importlib.util.spec_from_file_location("make_report_fixtures", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_report_fixtures", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_generated_reports_are_up_to_date(tmp_path):
    script = _script()
    if script.missing_font():
        pytest.skip(script.missing_font())
    fresh = script.generate(tmp_path)
    assert len(fresh) == 3 * len(list(script.SOURCES.glob("*.md")))
    extract = {".pdf": script.pdf_text, ".docx": script.docx_text, ".txt": script.txt_text}
    stale = [p.name for p in fresh
             if extract[p.suffix](p) != extract[p.suffix](script.GENERATED / p.name)]
    assert not stale, f"rerun python scripts/make_report_fixtures.py: {stale}"
    # Deterministic: the same bytes as the committed files.
    assert all(p.read_bytes() == (script.GENERATED / p.name).read_bytes() for p in fresh)
