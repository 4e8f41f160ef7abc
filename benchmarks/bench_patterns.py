"""Pathological inputs, timed (not asserted): every regular expression of ours on long runs of
one character, and the ask pipeline on the history item that used to freeze the server.

    .venv/bin/python benchmarks/bench_patterns.py            # ~1 minute
    .venv/bin/python benchmarks/bench_patterns.py --n 8000   # shorter runs, quicker

Patterns: every pattern compiled by code under assistant/, checkers/ or api/ (recorded while
the rule packs and answering data load, the report fixtures are checked and a few questions are
answered) plus every pattern in the YAML data. Each is searched in a run of N/4 and of N
characters of each kind (Chinese, Chinese numerals, digits, "1.", spaces, newlines, ideographic
spaces, letters, punctuation …). A linear search grows ×4 from N/4 to N; a quadratic one ×16.
A pattern is flagged when it grows more than ×8 (times under 1 ms count as 1 ms: noise).

Pipeline: `ask()`'s internals (follow-up merge, retrieval, the extractive answerer with its
patterns) on a question whose history item is 60,000 and 100,000 characters of "广东" —
what the API now refuses by its caps (assistant/limits.py), timed past the caps to show the
work itself is linear — and the same request through the HTTP app, refused. Each time is
printed as a ratio to a generous bound (1 s): below 1 is within it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OURS = tuple(str(ROOT / d) for d in ("assistant", "checkers", "api"))
RUNS = {"hanzi": "广东", "numerals": "一", "digits": "1", "decimal": "1.", "spaces": " ",
        "newlines": "\n", "ideographic": "\u3000", "letters": "a", "comma": "，",
        "article": "第1条", "percent": "%", "mixed": "审核1 "}
BOUND_S = 1.0


def record_patterns() -> dict[str, str]:
    """pattern → where it was compiled, for the patterns our code compiles."""
    seen: dict[str, str] = {}
    original = re._compile

    def recording(pattern, flags):
        if isinstance(pattern, str) and pattern not in seen:
            for frame in traceback.extract_stack()[-12:-1]:
                if frame.filename.startswith(OURS):
                    seen[pattern] = f"{Path(frame.filename).relative_to(ROOT)}:{frame.lineno}"
                    break
        return original(pattern, flags)

    re._compile = recording
    try:
        exercise()
    finally:
        re._compile = original
    for path, pattern in yaml_patterns():
        seen.setdefault(pattern, path)
    return seen


def exercise() -> None:
    from assistant.service import ask
    from checkers import check_report

    re.purge()
    for question in ["什么情况下必须实施强制性清洁生产审核？", "审核报告多少天内提交？",
                     "某某化工有限公司的审核验收情况", "哪些企业需要实施强制性清洁生产审核"]:
        ask(question, history=["广东省强制性清洁生产审核的条件"])
    for path in sorted((ROOT / "tests/fixtures/reports/generated").glob("*"))[:12]:
        check_report(path)


def yaml_patterns() -> list[tuple[str, str]]:
    import yaml

    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "asks":  # answering.yaml: each kind's question and answer wording
                    found.extend((where, ask[part]) for ask in value
                                 for part in ("question", "answer"))
                elif key in ("patterns", "threshold_pattern") or "pattern" in str(key):
                    for text in value if isinstance(value, list) else (
                            value.values() if isinstance(value, dict) else [value]):
                        if isinstance(text, str):
                            found.append((where, text))
                walk(value, where)
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    for path in [*ROOT.glob("assistant/data/*.yaml"), *ROOT.glob("checkers/rules/**/*.yaml")]:
        walk(yaml.safe_load(path.read_text("utf-8")), str(path.relative_to(ROOT)))
    return found


def search_seconds(rx: re.Pattern[str], text: str) -> float:
    """The best of three: the machine is shared, a single time picks up other processes."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        rx.search(text)
        best = min(best, time.perf_counter() - started)
        if best > 0.05:  # slow enough to be measured once
            break
    return best


def time_patterns(patterns: dict[str, str], n: int) -> list[dict]:
    rows = []
    for pattern, where in sorted(patterns.items(), key=lambda x: x[1]):
        try:
            rx = re.compile(pattern)
        except re.error:
            continue
        worst = {"growth": 0.0}
        for name, unit in RUNS.items():
            short, long = unit * (n // 4 // len(unit)), unit * (n // len(unit))
            t_short, t_long = search_seconds(rx, short), search_seconds(rx, long)
            growth = t_long / max(t_short, 1e-3)  # below a millisecond, growth is noise
            if growth > worst["growth"]:
                worst = {"growth": round(growth, 1), "run": name, "seconds": round(t_long, 4)}
        rows.append({"where": where, "pattern": pattern[:90], **worst,
                     "flagged": worst["growth"] > 8})
    return rows


def time_pipeline() -> list[dict]:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from assistant.answer import extractive_answer
    from assistant.followup import Resolved, merge_followup
    from assistant.query import expand
    from assistant.retrieve import load_index, retrieve
    from assistant.settings import get_settings

    settings = get_settings()
    index = load_index(settings)
    rows = []
    for chars in (60_000, 100_000):
        history = "广东" * (chars // 2)
        started = time.perf_counter()
        query = merge_followup("那广西呢？", history)  # past the caps, on purpose
        extractive_answer(index, Resolved("那广西呢？", query, follow_up=True),
                          retrieve(index, expand(query)))
        seconds = time.perf_counter() - started
        rows.append({"case": f"answer pipeline, {chars:,}-char history item (past the caps)",
                     "seconds": round(seconds, 3), "ratio_to_bound": round(seconds / BOUND_S, 3)})
        with TestClient(create_app(settings)) as client:
            started = time.perf_counter()
            response = client.post("/v1/ask", json={"question": "那广西呢？", "history": [history]})
            seconds = time.perf_counter() - started
        rows.append({"case": f"POST /v1/ask, {chars:,}-char history item", "status":
                     response.status_code, "seconds": round(seconds, 3),
                     "ratio_to_bound": round(seconds / BOUND_S, 3)})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="length of the long runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ.update({"CPAUDIT_DATA_DIR": data_dir, "CPAUDIT_EMBEDDING_MODEL": ""})
        from assistant.index import build_index
        from assistant.settings import get_settings

        get_settings.cache_clear()
        build_index(get_settings())
        patterns = record_patterns()
        rows = time_patterns(patterns, args.n)
        pipeline = time_pipeline()
    flagged = [r for r in rows if r["flagged"]]
    print(f"{len(rows)} patterns, runs of {args.n // 4:,} and {args.n:,} characters "
          f"({len(RUNS)} kinds): {len(flagged)} grow faster than linear")
    for row in sorted(rows, key=lambda r: -r["growth"])[:10]:
        print(f"  ×{row['growth']:<6} {row.get('seconds', 0):>8.4f} s  {row.get('run', '-'):<11} "
              f"{row['where']:<40} {row['pattern']!r}")
    for row in pipeline:
        print(f"  {row['case']}: {row['seconds']} s (×{row['ratio_to_bound']} of {BOUND_S:g} s)"
              + (f", HTTP {row['status']}" if "status" in row else ""))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"patterns-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"n": args.n, "patterns": rows, "pipeline": pipeline},
                               ensure_ascii=False, indent=1), "utf-8")
    print(f"written: {path}")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
