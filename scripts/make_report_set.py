"""Render the labelled report evaluation sets (issue 10) from their YAML sources.

    eval/data/reports/SET/src/NAME.yaml  ->  eval/data/reports/SET/generated/NAME.docx, NAME.pdf

SET is `dev` (tuned on) or a frozen set (`test`, `test8`, `test9`, `test10`: written before tuning, never read
while tuning) — any folder of eval/data/reports with a src/ inside. Sources with
`text_formats` also get NAME.md / NAME.txt (GB18030). The sources use the layout-fixture format
(scripts/make_layout_fixtures.py: cover, 目录, running header, page footer, headings,
paragraphs, tables with merged cells, unit rows and page breaks); labels.yaml beside src/ lists
each report's planted defects.

    python scripts/make_report_set.py dev          write the dev set
    python scripts/make_report_set.py test NAME    write one report of the test set
    python scripts/make_report_set.py dev --check  exit 1 if a committed file is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from doc_render import check_generated, missing_font, pdf_text  # noqa: E402
from layout_text import text_of  # noqa: E402
from make_layout_fixtures import ROOT, docx_layout_text, generate  # noqa: E402

SETS = ROOT / "eval" / "data" / "reports"


def set_names() -> list[str]:
    """Every set that has sources: a new frozen set needs no change here."""
    return sorted(p.name for p in SETS.iterdir() if (p / "src").is_dir())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", choices=set_names())
    parser.add_argument("names", nargs="*", help="only these reports (source file stems)")
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temp dir and fail if the extracted text differs")
    args = parser.parse_args(argv)
    if (problem := missing_font()) is not None:
        print(problem, file=sys.stderr)
        return 2
    sources, generated = SETS / args.set / "src", SETS / args.set / "generated"
    if args.check:
        return check_generated(lambda out, names: generate(out, names, sources), generated, ROOT,
                               {".pdf": pdf_text, ".docx": docx_layout_text,
                                ".md": text_of, ".txt": text_of})
    generated.mkdir(parents=True, exist_ok=True)
    for path in generate(generated, args.names or None, sources):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
