"""Snapshot what the loader and the checks make of every report and PDF the project keeps,
to show that a speed change left them identical.

For each file: the document model (blocks, text, pages, offsets) as JSON, and for reports the
whole check result (verdict, every finding with rule id, severity, location, evidence, basis).
Run it before and after a change and compare:

    .venv/bin/python benchmarks/findings_snapshot.py --out /tmp/before.json   # on the old code
    .venv/bin/python benchmarks/findings_snapshot.py --compare /tmp/before.json

The files: eval/data/reports/dev (PDF, DOCX), tests/fixtures/reports and tests/fixtures/layout
(generated PDF, DOCX, TXT and the Markdown sources), the corpus documents, and the 60-page
report of bench_check.py. The frozen report sets are never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

REPORT_DIRS = ("eval/data/reports/dev", "tests/fixtures/reports")
DOCUMENT_DIRS = ("tests/fixtures/layout", "corpus/docs")
SUFFIXES = {".pdf", ".docx", ".txt", ".md"}


def files(dirs: tuple[str, ...]) -> list[Path]:
    found = []
    for d in dirs:
        found += [p for p in sorted((ROOT / d).rglob("*")) if p.suffix.lower() in SUFFIXES
                  and p.name != "README.md" and p.is_file()]
    return found


def snapshot(bench_pages: int) -> dict[str, dict]:
    from assistant.loader import load_file
    from assistant.service import ensure_index
    from assistant.settings import get_settings
    from checkers import check_report

    index = ensure_index(get_settings())
    out: dict[str, dict] = {}
    reports = files(REPORT_DIRS)
    with tempfile.TemporaryDirectory() as tmp:
        if bench_pages:
            import bench_check

            pdf = Path(tmp) / "bench-report.pdf"
            bench_check.build_pdf(pdf, max(1, round((bench_pages - 11) * 1.5)))
            reports.append(pdf)
        for path in reports + files(DOCUMENT_DIRS):
            key = path.name if path.parent == Path(tmp) else str(path.relative_to(ROOT))
            entry: dict = {"document": _digest(load_file(path).model_dump_json())}
            if path in reports:
                try:
                    result = check_report(path, index=index)
                except Exception as exc:  # a file the checks refuse: the refusal is the result
                    entry["check"] = f"error: {type(exc).__name__}: {exc}"
                else:
                    entry["check"] = json.loads(result.model_dump_json())
            out[key] = entry
    return out


def _digest(text: str) -> dict:
    return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "json": text}


def compare(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    problems = [f"{k}: only before" for k in before.keys() - after.keys()]
    problems += [f"{k}: only after" for k in after.keys() - before.keys()]
    for key in sorted(before.keys() & after.keys()):
        a, b = before[key], after[key]
        if a["document"]["sha256"] != b["document"]["sha256"]:
            problems.append(f"{key}: document model differs{_first_difference(a, b)}")
        if a.get("check") != b.get("check"):
            problems.append(f"{key}: check result differs")
    return problems


def _first_difference(a: dict, b: dict) -> str:
    x, y = a["document"]["json"], b["document"]["json"]
    at = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q),
              min(len(x), len(y)))
    return f" at {at}: {x[max(0, at - 60):at + 60]!r} vs {y[max(0, at - 60):at + 60]!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the snapshot here")
    parser.add_argument("--compare", type=Path, help="compare with a snapshot written before")
    parser.add_argument("--bench-pages", type=int, default=60,
                        help="pages of bench_check.py's report to include (0: none)")
    args = parser.parse_args(argv)
    now = snapshot(args.bench_pages)
    if args.out:
        args.out.write_text(json.dumps(now, ensure_ascii=False), "utf-8")
    checked = sum(1 for e in now.values() if "check" in e)
    findings = sum(len(e["check"]["findings"]) for e in now.values()
                   if isinstance(e.get("check"), dict))
    print(f"{len(now)} files, {checked} checked, {findings} findings")
    if args.compare:
        problems = compare(json.loads(args.compare.read_text("utf-8")), now)
        for line in problems:
            print(line)
        print("identical" if not problems else f"{len(problems)} differences")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
