"""Latency of the HTTP service under concurrent load: p50/p95 of POST /v1/ask (and optionally
/v1/chat/completions), measured (not asserted), with /v1/health as the server's own floor.

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

import httpx  # only to wait for the started server; the load client is raw asyncio

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
            yield url, process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()


def _request(host: str, path: str, body: dict | None) -> bytes:
    if body is None:
        return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n".encode()
    payload = json.dumps(body, ensure_ascii=False).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\nConnection: keep-alive\r\n\r\n"
            ).encode() + payload


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    request: bytes) -> int:
    """One request on a kept-alive connection; the status code once the whole body is read."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)  # the ask route answers with Content-Length, never chunked
    return status


async def run_load(url: str, path: str, total: int, concurrency: int) -> dict:
    """`concurrency` keep-alive HTTP/1.1 connections, raw asyncio streams: a client that
    spends far less CPU per request than the server (httpx spent 7–9 ms, more than the
    server's ~5 ms), so req/s measures the server."""
    pool = questions()
    host_port = url.split("://", 1)[1].rstrip("/")
    host, port = host_port.rsplit(":", 1)

    def body(i: int) -> dict | None:
        question = pool[i % len(pool)]
        if path == "/v1/health":
            return None
        if path == "/v1/chat/completions":
            return {"model": "cpaudit", "messages": [{"role": "user", "content": question}]}
        return {"question": question}

    requests = [_request(host_port, path, body(i)) for i in range(total)]
    latencies: list[float] = []
    errors: dict[str, int] = {}
    next_request = iter(range(total))

    async def user() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for i in next_request:
                started = time.perf_counter()
                try:
                    status = await _exchange(reader, writer, requests[i])
                    key = None if status == 200 else f"HTTP {status}"
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    key = type(exc).__name__
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                if key:
                    errors[key] = errors.get(key, 0) + 1
                else:
                    latencies.append((time.perf_counter() - started) * 1000)
        finally:
            writer.close()

    cpu0, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(user() for _ in range(concurrency)))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu0
    ordered = sorted(latencies) or [float("nan")]

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return {"path": path, "requests": total, "concurrency": concurrency, "ok": len(latencies),
            "errors": errors, "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(pct(0.95), 1), "max_ms": round(ordered[-1], 1),
            "throughput_rps": round(len(latencies) / wall, 1), "wall_s": round(wall, 2),
            "client_cpu_ms_per_request": round(cpu * 1000 / max(1, total), 3)}


def _child(argv: list[str]) -> int:
    """The load client in its own process, so it never shares the server's interpreter."""
    url, path, total, concurrency = argv[0], argv[1], int(argv[2]), int(argv[3])
    print(json.dumps(asyncio.run(run_load(url, path, total, concurrency))))
    return 0


def load_in_process(url: str, path: str, total: int, concurrency: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", url, path, str(total),
                          str(concurrency)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def server_cpu_s(pid: int | None) -> float | None:
    """User + system CPU of the server and its workers so far (Linux /proc)."""
    if pid is None:
        return None
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return None
    total = 0.0
    for p in [str(pid), *children]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server; default: start one")
    parser.add_argument("--workers", type=int, default=1, help="workers of the started server")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--chat", action="store_true", help="also /v1/chat/completions")
    if sys.argv[1:2] == ["--child"]:
        return _child(sys.argv[2:])
    args = parser.parse_args()

    def measure(url: str, pid: int | None) -> list[dict]:
        load_in_process(url, "/v1/ask", max(args.concurrency, 50), args.concurrency)  # warm
        paths = ["/v1/health", "/v1/ask"] + (["/v1/chat/completions"] if args.chat else [])
        out = []
        for p in paths:
            before = server_cpu_s(pid)
            r = load_in_process(url, p, args.requests, args.concurrency)
            after = server_cpu_s(pid)
            if before is not None and after is not None:
                r["server_cpu_ms_per_request"] = round((after - before) * 1000 / r["requests"], 3)
            out.append(r)
        return out

    if args.url:
        results = measure(args.url, None)
    else:
        with local_server(args.workers) as (url, pid):
            results = measure(url, pid)
    load = os.getloadavg()
    print(f"load average before/after: {load[0]:.2f} (1 min), {load[1]:.2f} (5 min)")
    print("| endpoint | requests | concurrency | workers | errors | p50 | p95 | max | req/s | "
          "server CPU ms/req | client CPU ms/req |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        r["workers"] = None if args.url else args.workers
        r["load_avg_1m"] = round(load[0], 2)
        print(f"| {r['path']} | {r['requests']} | {r['concurrency']} | {r['workers'] or '—'} | "
              f"{sum(r['errors'].values())} | {r['p50_ms']} ms | {r['p95_ms']} ms | "
              f"{r['max_ms']} ms | {r['throughput_rps']} | "
              f"{r.get('server_cpu_ms_per_request', '—')} | {r['client_cpu_ms_per_request']} |")
    out = ROOT / "benchmarks" / "results" / f"api-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    print(f"written: {out.relative_to(ROOT)}")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
