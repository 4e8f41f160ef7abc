"""Measure the checkers on the dev reports varied the way consultancies differ.

    .venv/bin/python scripts/vary_dev_reports.py                  every variation, every dev report
    .venv/bin/python scripts/vary_dev_reports.py -v thousands -r shuini-hongji --list

Each variation of tests/checkers/test_variations.py rewrites a dev report's source as another
consultancy would have written the same report (the figures and the planted defects unchanged),
renders it as Markdown with the generator's renderer and checks it. Per variation: false errors
on the complete reports and planted defects found in the defective ones, scored as
`cpaudit eval-reports` scores them (eval.report_sets.outcome). `as_markdown` (no variation) is
the baseline: what the Markdown rendering alone gives. Dev only: the frozen sets are never varied.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from eval.report_sets import SETS_DIR, load_labels, outcome  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--variation", nargs="+", help="variation names (default: all)")
    parser.add_argument("-r", "--report", nargs="+", help="report stems (default: all dev)")
    parser.add_argument("--list", action="store_true", help="print every false error and miss")
    args = parser.parse_args()

    import layout_spec
    import layout_text

    from tests.checkers import test_variations as tv

    def as_markdown(spec):
        return spec

    variations = [as_markdown, *tv.VARIATIONS]
    if args.variation:
        variations = [v for v in variations if v.__name__ in args.variation]
    dev = SETS_DIR / "dev"
    labels = load_labels(dev)
    names = args.report or sorted(labels)
    from assistant.service import ensure_index
    from assistant.settings import get_settings
    from checkers import check_report

    settings = get_settings()
    index = ensure_index(settings)
    with tempfile.TemporaryDirectory() as tmp:
        for variation in variations:
            false_errors = warnings = found = planted = 0
            notes = []
            for name in names:
                spec = variation(copy.deepcopy(layout_spec.load(dev / "src" / f"{name}.yaml")))
                target = Path(tmp) / f"{name}.md"
                layout_text.build_markdown(spec, target)
                if variation is tv.bold_headings:
                    target.write_text(tv._markdown_bold(target.read_text("utf-8")), "utf-8")
                got = outcome(name, "md", labels[name],
                              check_report(target, settings=settings, index=index))
                if got.complete:
                    false_errors += len(got.false_errors)
                    warnings += got.false_warnings
                    notes += [f"  false  {name}: {e}" for e in got.false_errors]
                else:
                    found, planted = found + got.found, planted + got.planted
                    notes += [f"  missed {name}: {m}" for m in got.missed]
            print(f"{variation.__name__:24} false errors on complete {false_errors:3}   "
                  f"found {found}/{planted}   (warnings on complete {warnings})", flush=True)
            if args.list:
                print("\n".join(notes), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
