"""Latency of the HTTP service under concurrent load: p50/p95 of POST /v1/ask (and optionally
/v1/chat/completions), measured (not asserted).

    .venv/bin/python benchmarks/bench_api.py                      # starts its own server
    .venv/bin/python benchmarks/bench_api.py --workers 2 --concurrency 50 --requests 500
    .venv/bin/python benchmarks/bench_api.py --url http://127.0.0.1:8000   # a running server

Without --url it indexes the default corpus into a temporary data dir (lexical mode), starts
`python -m api` (= `cpaudit serve`) on a free loopback port and stops it afterwards. The
questions are those of eval/data/qa.jsonl, cycled. Results also go to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def questions() -> list[str]:
    lines = (ROOT / "eval" / "data" / "qa.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


@contextmanager
def local_server(workers: int):
    with tempfile.TemporaryDirectory() as tmp:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {**os.environ, "CPAUDIT_DATA_DIR": tmp, "CPAUDIT_EMBEDDING_MODEL": ""}
        log = open(Path(tmp) / "server.log", "wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "api", "--port", str(port), "--workers", str(workers),
             "--log-level", "warning"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit((Path(tmp) / "server.log").read_text(errors="replace"))
                time.sleep(0.2)
            time.sleep(1.0 if workers > 1 else 0)  # let every worker finish starting
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()


async def run_load(url: str, path: str, total: int, concurrency: int) -> dict:
    pool = questions()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    def body(i: int) -> dict:
        question = pool[i % len(pool)]
        if path == "/v1/chat/completions":
            return {"model": "cpaudit", "messages": [{"role": "user", "content": question}]}
        return {"question": question}

    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        async def user() -> None:
            while not queue.empty():
                i = queue.get_nowait()
                started = time.perf_counter()
                try:
                    response = await client.post(path, json=body(i))
                    key = None if response.status_code == 200 else f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                if key:
                    errors[key] = errors.get(key, 0) + 1
                else:
                    latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    ordered = sorted(latencies) or [float("nan")]

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return {"path": path, "requests": total, "concurrency": concurrency, "ok": len(latencies),
            "errors": errors, "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(pct(0.95), 1), "max_ms": round(ordered[-1], 1),
            "throughput_rps": round(len(latencies) / wall, 1), "wall_s": round(wall, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server; default: start one")
    parser.add_argument("--workers", type=int, default=1, help="workers of the started server")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--chat", action="store_true", help="also /v1/chat/completions")
    args = parser.parse_args()

    def measure(url: str) -> list[dict]:
        asyncio.run(run_load(url, "/v1/ask", min(args.concurrency, 20), args.concurrency))  # warm
        paths = ["/v1/ask"] + (["/v1/chat/completions"] if args.chat else [])
        return [asyncio.run(run_load(url, p, args.requests, args.concurrency)) for p in paths]

    if args.url:
        results = measure(args.url)
    else:
        with local_server(args.workers) as url:
            results = measure(url)
    print("| endpoint | requests | concurrency | workers | errors | p50 | p95 | max | req/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        r["workers"] = None if args.url else args.workers
        print(f"| {r['path']} | {r['requests']} | {r['concurrency']} | {r['workers'] or '—'} | "
              f"{sum(r['errors'].values())} | {r['p50_ms']} ms | {r['p95_ms']} ms | "
              f"{r['max_ms']} ms | {r['throughput_rps']} |")
    out = ROOT / "benchmarks" / "results" / f"api-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    print(f"written: {out.relative_to(ROOT)}")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
