"""Render the layout fixtures for the document loader from their YAML sources.

    tests/fixtures/layout/src/NAME.yaml  ->  tests/fixtures/layout/generated/NAME.docx
                                             tests/fixtures/layout/generated/NAME.pdf

The fixtures carry what real submitted documents carry and a loader must cope with: a cover
page, a 目录 with dot leaders and page numbers, running headers and "第 N 页" footers, tables
continued on the next page (with and without a repeated header row), merged cells (gridSpan /
vMerge, colspan / rowspan), a unit row above a table header, Word automatic heading numbering,
nested tables, Chinese-named heading styles, auto-numbered lists and paragraphs that cross a
page break. What a correct loader must produce is written down in tests/fixtures/layout/
expected.yaml. A source without `pdf: "false"` gets both formats; `text_formats: [md, txt]`
adds Markdown and GB18030 text renderings (scripts/layout_text.py). Output is deterministic
(fixed metadata, creation date and zip entries).

    python scripts/make_layout_fixtures.py            write all fixtures
    python scripts/make_layout_fixtures.py --check    regenerate into a temp dir; exit 1 if the
                                                      extracted text differs from the files
    python scripts/make_layout_fixtures.py --out DIR  write somewhere else (tests use tmp_path)
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from doc_render import generator_main, pdf_text  # noqa: E402
from layout_docx import build_docx, docx_layout_text  # noqa: E402
from layout_pdf import build_pdf  # noqa: E402
from layout_spec import GENERATED, ROOT, SOURCES, check_totals, load  # noqa: E402
from layout_text import build_markdown, build_text  # noqa: E402

__all__ = ["ROOT", "docx_layout_text", "generate"]


def generate(out_dir: Path, names: list[str] | None = None,
             sources: Path = SOURCES) -> list[Path]:
    """Render every YAML source in `sources` (another tree of the same format, such as the
    report evaluation sets, may be passed) into `out_dir`."""
    written = []
    for source in sorted(sources.glob("*.yaml")):
        if names and source.stem not in names:
            continue
        spec = load(source)
        check_totals(spec)
        builders = [(".docx", build_docx)]
        if spec.get("pdf", "true") == "true":
            builders.append((".pdf", build_pdf))
        text_builders = {"md": (".md", build_markdown), "txt": (".txt", build_text)}
        builders += [text_builders[kind] for kind in spec.get("text_formats", [])]
        for suffix, build in builders:
            target = out_dir / f"{source.stem}{suffix}"
            build(copy.deepcopy(spec), target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    return generator_main(argv, description=__doc__.splitlines()[0], generate=generate,
                          generated=GENERATED, root=ROOT,
                          extract={".pdf": pdf_text, ".docx": docx_layout_text}, what="fixtures")


if __name__ == "__main__":
    sys.exit(main())
