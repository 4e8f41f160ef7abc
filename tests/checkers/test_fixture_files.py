"""The committed DOCX/PDF/TXT fixtures are what the scripts make from their sources."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)  # puts scripts/ on sys.path, so doc_render imports
    return module


@pytest.mark.slow
@pytest.mark.parametrize("name, per_source, pattern", [
    ("make_report_fixtures", 3, "*.md"),  # DOCX, PDF, TXT of each sample report
    ("make_layout_fixtures", None, "*.yaml"),  # DOCX and PDF (DOCX only where the source says)
])
def test_generated_fixtures_are_up_to_date(tmp_path, name, per_source, pattern):
    script = _script(name)
    from doc_render import docx_text, missing_font, pdf_text

    if missing_font():
        pytest.skip(missing_font())
    fresh = script.generate(tmp_path)
    if per_source:
        assert len(fresh) == per_source * len(list(script.SOURCES.glob(pattern)))
    assert sorted(p.name for p in fresh) == sorted(p.name for p in script.GENERATED.iterdir())
    extract = {".pdf": pdf_text, ".docx": docx_text, ".txt": getattr(script, "txt_text", None)}
    stale = [p.name for p in fresh
             if extract[p.suffix](p) != extract[p.suffix](script.GENERATED / p.name)]
    assert not stale, f"rerun python scripts/{name}.py: {stale}"
    # Deterministic: the same bytes as the committed files.
    assert all(p.read_bytes() == (script.GENERATED / p.name).read_bytes() for p in fresh)
