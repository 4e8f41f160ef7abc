"""Benchmark `cpaudit check` on a ~60-page PDF report: time and peak memory.

The report is the complete ceramics sample (tests/fixtures/reports/src/complete-ceramics.md)
with an appendix of monthly metering tables and notes, rendered to PDF by the same script as
the test fixtures. Targets: checked in under 2 s, peak memory under 300 MB.

    .venv/bin/python benchmarks/bench_check.py [--pages 60] [--keep DIR] [--one-process]

A long PDF's pages are read on two cores where that is safe (assistant.readers.pdf_pages):
the CPU figures count the forked reader's seconds too; --one-process reads them in this
process alone, for a side-by-side comparison.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 2.0
TARGET_MB = 300.0
MONTHS = [f"{m}月" for m in range(1, 13)]


def appendix(tables: int, seed: int = 7) -> str:
    """Monthly metering tables (consistent 合计 rows) with a paragraph of notes each."""
    rng = random.Random(seed)
    parts = ["# 附录 审核期间计量与监测数据", ""]
    for n in range(1, tables + 1):
        parts += [f"## 附录{n} {n}#计量单元月度运行记录", "",
                  f"本表为{n}#计量单元2023年逐月运行记录，数据取自能源计量台账和生产日报，"
                  "由设备科和安环部逐月核对，作为物料平衡、能量平衡测算和方案效果核算的基础资料。", "",
                  f"表F-{n} {n}#计量单元月度运行记录", "",
                  "| 月份 | 产量（万m²） | 天然气（万m³） | 电（万kWh） | 新鲜水（万t） |",
                  "| --- | --- | --- | --- | --- |"]
        totals = [0.0, 0.0, 0.0, 0.0]
        for month in MONTHS:
            row = [rng.uniform(8, 14), rng.uniform(18, 32), rng.uniform(30, 52),
                   rng.uniform(0.2, 0.4)]
            row = [round(v, 2) for v in row]
            totals = [t + v for t, v in zip(totals, row, strict=True)]
            parts.append(f"| {month} | " + " | ".join(f"{v:.2f}" for v in row) + " |")
        parts += ["| 合计 | " + " | ".join(f"{t:.2f}" for t in totals) + " |", ""]
    return "\n".join(parts)


def build_pdf(target: Path, tables: int) -> int:
    import make_report_fixtures as fixtures
    from pypdf import PdfReader

    source = (ROOT / "tests" / "fixtures" / "reports" / "src" / "complete-ceramics.md")
    text = source.read_text(encoding="utf-8") + "\n\n" + appendix(tables)
    fixtures.build_pdf(fixtures.parse(text), target)
    return len(PdfReader(target).pages)


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60, help="approximate page count")
    parser.add_argument("--keep", type=Path, help="write the PDF here instead of a temp dir")
    parser.add_argument("--runs", type=int, default=5, help="timed checks (after a warm-up)")
    parser.add_argument("--one-process", action="store_true",
                        help="read every page in this process (no forked reader)")
    args = parser.parse_args(argv)

    from assistant.readers import pdf_pages

    if args.one_process:
        pdf_pages.two_cores_usable = lambda pages: False

    from assistant.service import ensure_index
    from assistant.settings import get_settings
    from checkers import check_report
    from checkers.tables import clear_caches

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="cpaudit-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    pdf = workdir / "bench-report.pdf"
    tables = max(1, round((args.pages - 11) * 1.5))  # ~1.5 appendix tables per page
    pages = build_pdf(pdf, tables)

    t0 = time.perf_counter()
    index = ensure_index(get_settings())
    index_s = time.perf_counter() - t0
    check_report(pdf, index=index)  # warm-up: imports, rule pack, font-free code paths
    gc.collect()

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    runs, cpu, forked = [], [], []
    for _ in range(args.runs):
        clear_caches()  # cell values are cached across checks: each run reads afresh
        t1, c1, k1 = time.perf_counter(), time.process_time(), _children_cpu()
        result = check_report(pdf, index=index)
        runs.append(time.perf_counter() - t1)
        forked.append(_children_cpu() - k1)
        cpu.append(time.process_time() - c1 + forked[-1])
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()  # a separate run: tracing slows Python down several times
    check_report(pdf, index=index)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    t2 = time.perf_counter()  # the whole command: interpreter, imports, index, check, JSON
    subprocess.run([sys.executable, "-m", "assistant.cli", "check", str(pdf), "--json"],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    cli_s = time.perf_counter() - t2
    cli_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    best, worst = min(runs), max(runs)
    print(f"report: {pdf} ({pages} pages, {pdf.stat().st_size / 1024:.0f} KB), "
          f"{result.report.tables} tables, {result.report.headings} headings")
    print(f"result: {result.verdict}, {result.summary.total} findings")
    print(f"index load: {index_s:.2f} s (once per process)")
    print(f"check time: best {best:.2f} s, worst {worst:.2f} s of {len(runs)} runs "
          f"(target < {TARGET_SECONDS:.0f} s) -> {'OK' if worst < TARGET_SECONDS else 'MISSED'}")
    print(f"check CPU (user + sys of this process and its forked page reader): median "
          f"{statistics.median(cpu):.2f} s, best {min(cpu):.2f} s, of which the forked reader "
          f"median {statistics.median(forked):.2f} s; 1-minute load average "
          f"{os.getloadavg()[0]:.1f} (on a busy machine CPU seconds are the steadier figure)")
    print("pages read on two cores: " + ("yes" if pdf_pages.two_cores_usable(pages) else "no"))
    print(f"peak memory: process RSS {rss_peak:.0f} MB (before checking {rss_before:.0f} MB), "
          f"Python allocations during check {traced_peak / 1048576:.0f} MB "
          f"(target < {TARGET_MB:.0f} MB) -> {'OK' if rss_peak < TARGET_MB else 'MISSED'}")
    print(f"whole command `cpaudit check --json` in a new process: {cli_s:.2f} s, "
          f"peak RSS {cli_rss:.0f} MB")
    return 0 if worst < TARGET_SECONDS and rss_peak < TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
