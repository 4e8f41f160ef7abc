"""Core speed targets of cpaudit, measured (not asserted) on the default corpus.

    .venv/bin/python benchmarks/bench_core.py [--runs 5]

Targets (issue "Policy corpus, hybrid retrieval and cited answers"):
  cold `cpaudit ask` in lexical mode, Python start included   < 2 s
  warm query (retrieve + extractive answer), p50              < 30 ms
  full build of the default corpus                             < 10 s
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "什么情况下企业必须实施强制性清洁生产审核？"


def full_build(data_dir: Path) -> float:
    from assistant.index import build_index
    from assistant.settings import Settings

    started = time.perf_counter()
    build_index(Settings(data_dir=data_dir, embedding_model=""))
    return time.perf_counter() - started


def cold_ask(data_dir: Path, runs: int) -> list[float]:
    env = {**os.environ, "CPAUDIT_DATA_DIR": str(data_dir), "CPAUDIT_EMBEDDING_MODEL": ""}
    cpaudit = Path(sys.executable).with_name("cpaudit")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(cpaudit), "ask", "--json", QUESTION], env=env, check=True,
                       capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def warm_queries(data_dir: Path) -> list[float]:
    from assistant.retrieve import load_index
    from assistant.service import ask
    from assistant.settings import Settings

    settings = Settings(data_dir=data_dir, embedding_model="")
    index = load_index(settings)
    questions = [json.loads(line)["question"]
                 for line in (ROOT / "eval" / "data" / "qa.jsonl").open(encoding="utf-8")]
    ask(QUESTION, settings=settings, index=index)  # jieba's dictionary loads on first use
    times = []
    for question in questions:
        started = time.perf_counter()
        ask(question, settings=settings, index=index, use_llm=False)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        build_s = full_build(data)
        cold = cold_ask(data, args.runs)
        warm = warm_queries(data)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    warm_sorted = sorted(warm)
    rows = [
        ("full build, default corpus (11 docs)", f"{build_s:.2f} s", "< 10 s", build_s < 10),
        (f"cold `cpaudit ask`, median of {len(cold)}", f"{statistics.median(cold):.2f} s",
         "< 2 s", statistics.median(cold) < 2),
        (f"warm query p50 ({len(warm)} questions)", f"{statistics.median(warm):.1f} ms",
         "< 30 ms", statistics.median(warm) < 30),
        ("warm query p95", f"{warm_sorted[int(0.95 * len(warm)) - 1]:.1f} ms", "—", True),
        ("peak RSS of this process", f"{peak_mb:.0f} MB", "—", True),
    ]
    print("| measure | result | target | met |\n|---|---|---|---|")
    for name, value, target, met in rows:
        print(f"| {name} | {value} | {target} | {'yes' if met else 'NO'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
