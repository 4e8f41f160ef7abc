"""Responsiveness under hostile input: while each case of the reliability corpus is in flight,
how fast does the server still answer /v1/health? Measured, not asserted (issue 13's bar:
health under 1 s during every case).

    .venv/bin/python benchmarks/bench_hostile.py                 # 2 workers, every case
    .venv/bin/python benchmarks/bench_hostile.py --only zip      # cases whose name has "zip"

It indexes the default corpus into a temporary data dir (lexical mode) and starts the real
server (`python -m api`, 2 workers) twice: once with the limits the reliability tests assume
(tests/support/hostile_inputs.py CASE_LIMITS, every case of `cases()`), once at the default
limits for the heaviest inputs (`heavy_cases()`: a 19.5 MB text, a DOCX inflating to 1.2 GB, a
100,000-character history item, a 380,000-character report). Each case is sent from a thread
while the main thread polls /v1/health (a new connection each time, so either worker may
answer) until the case's response is in. Results go to benchmarks/results/hostile-*.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from assistant.index import build_index
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
# support/: the hostile inputs and the test server (after `assistant` is imported: tests/ has
# an `assistant` folder of its own)
sys.path.append(str(ROOT / "tests"))

from support.hostile_inputs import CASE_LIMITS, Case, cases, heavy_cases, send  # noqa: E402
from support.server import serve  # noqa: E402

LIMIT_S = 1.0  # issue 13: health answers in under a second during every case
POLL_GAP_S = 0.05


def message_ok(case: Case, response: httpx.Response) -> bool:
    """The check tests/reliability/test_input_corpus.py makes: the bilingual error shape with
    the expected fragment, or the fragment in a success's body."""
    if response.status_code < 400:
        return case.fragment in response.text
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return (set(error) == {"code", "message_zh", "message_en", "message"}
            and case.fragment in error["message_zh"] and bool(error["message_en"]))


def health_once(url: str) -> float:
    """Seconds to a complete 200 from /v1/health on a new connection (raw HTTP/1.1: an httpx
    client costs tens of milliseconds of its own to set up), inf when it fails."""
    host, port = url.removeprefix("http://").split(":")
    started = time.perf_counter()
    try:
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(f"GET /v1/health HTTP/1.1\r\nHost: {host}\r\n"
                         "Connection: close\r\n\r\n".encode())
            reply = b""
            while chunk := sock.recv(65536):
                reply += chunk
    except OSError:
        return float("inf")
    elapsed = time.perf_counter() - started
    return elapsed if reply.startswith(b"HTTP/1.1 200") else float("inf")


def measure(url: str, case: Case) -> dict:
    result: dict = {}

    def post() -> None:
        started = time.perf_counter()
        try:
            with httpx.Client(base_url=url, timeout=180) as client:
                result["response"] = send(client, case)
        except httpx.HTTPError as exc:
            result["error"] = f"{type(exc).__name__}: {exc}"
        result["seconds"] = time.perf_counter() - started

    sender = threading.Thread(target=post)
    sender.start()
    polls = []
    while True:  # at least one poll, however fast the case is
        polls.append(health_once(url))
        if not sender.is_alive():
            break
        time.sleep(POLL_GAP_S)
    sender.join()
    response = result.get("response")
    finite = [p for p in polls if p != float("inf")]
    worst = max(polls)
    return {
        "case": case.name, "expected_status": case.status,
        "status": response.status_code if response is not None else result.get("error"),
        "status_ok": response is not None and response.status_code == case.status,
        "message_ok": response is not None and message_ok(case, response),
        "request_s": round(result["seconds"], 3), "health_polls": len(polls),
        "health_failed": len(polls) - len(finite),
        "health_p50_ms": round(statistics.median(finite) * 1000, 1) if finite else None,
        "health_max_ms": round(worst * 1000, 1) if worst != float("inf") else None,
        "max_over_limit": round(worst / LIMIT_S, 3) if worst != float("inf") else None,
    }


def run_phase(label: str, chosen: list[Case], data_dir: Path, work: Path, env: dict) -> list[dict]:
    if not chosen:
        return []
    print(f"\n{label}: {len(chosen)} cases, 2 workers", flush=True)
    with serve(work, workers=2, env={"CPAUDIT_DATA_DIR": str(data_dir),
                                     "CPAUDIT_EMBEDDING_MODEL": "", **env}) as running:
        idle = [health_once(running.url) for _ in range(20)]
        rows = [{"case": "(idle: nothing in flight)", "health_polls": len(idle),
                 "health_p50_ms": round(statistics.median(idle) * 1000, 1),
                 "health_max_ms": round(max(idle) * 1000, 1),
                 "max_over_limit": round(max(idle) / LIMIT_S, 3)}]
        print_row(rows[-1])
        for case in chosen:
            rows.append(measure(running.url, case))
            print_row(rows[-1])
        traceback = "Traceback" in running.log_text()
    for row in rows:
        row["phase"], row["traceback_in_log"] = label, traceback
    return rows


def print_row(r: dict) -> None:
    status = f"{r.get('status', '—')}" + ("" if r.get("status_ok", True) else
                                          f" (expected {r['expected_status']})")
    message = {True: "yes", False: "NO"}.get(r.get("message_ok"), "—")
    print(f"| {r['case']} | {status} | {message} | {r.get('request_s', '—')} | "
          f"{r['health_polls']} | {r['health_p50_ms']} | {r['health_max_ms']} | "
          f"{r['max_over_limit']} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="only the cases whose name contains this")
    parser.add_argument("--no-heavy", action="store_true", help="skip the default-limits phase")
    args = parser.parse_args()
    os.environ["CPAUDIT_EMBEDDING_MODEL"] = ""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data_dir = work / "data"
        build_index(Settings(data_dir=data_dir, embedding_model=""))
        print("| case | status | message ok | request s | health polls | health p50 ms | "
              "health max ms | max ÷ 1 s |\n|---|---|---|---|---|---|---|---|")
        rows = run_phase("reliability corpus (CASE_LIMITS)",
                         [c for c in cases() if args.only in c.name], data_dir, work, CASE_LIMITS)
        if not args.no_heavy:
            rows += run_phase("heaviest inputs (default limits)",
                              [c for c in heavy_cases() if args.only in c.name], data_dir, work, {})
    load_after = os.getloadavg()
    measured = [r for r in rows if "status_ok" in r]
    worst = max(measured, key=lambda r: r["max_over_limit"] or float("inf"), default=None)
    summary = {
        "cases": len(measured), "status_ok": sum(r["status_ok"] for r in measured),
        "message_ok": sum(r["message_ok"] for r in measured),
        "over_limit": sum(1 for r in measured if (r["max_over_limit"] or float("inf")) >= 1),
        "worst_case": worst and worst["case"], "worst_health_max_ms": worst and worst["health_max_ms"],
        "load_avg_before": [round(x, 2) for x in load_before],
        "load_avg_after": [round(x, 2) for x in load_after], "cpus": os.cpu_count(),
    }
    print(f"\n{summary['cases']} cases: status as expected {summary['status_ok']}, message ok "
          f"{summary['message_ok']}, health ≥ 1 s during {summary['over_limit']}; worst "
          f"{summary['worst_case']} ({summary['worst_health_max_ms']} ms)")
    print(f"load average (1/5/15 min) before {summary['load_avg_before']}, after "
          f"{summary['load_avg_after']}, {summary['cpus']} CPUs")
    out = ROOT / "benchmarks" / "results" / f"hostile-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "rows": rows}, ensure_ascii=False, indent=1),
                   "utf-8")
    print(f"written: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
