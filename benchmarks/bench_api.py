"""Latency of the HTTP service under concurrent load: p50/p95 of POST /v1/ask (and optionally
/v1/chat/completions), measured (not asserted), with /v1/health as the server's own floor.

    .venv/bin/python benchmarks/bench_api.py                      # starts its own server
    .venv/bin/python benchmarks/bench_api.py --workers 2 --concurrency 50 --requests 500
    .venv/bin/python benchmarks/bench_api.py --url http://127.0.0.1:8000   # a running server

Without --url it indexes the default corpus into a temporary data dir (lexical mode), starts
`python -m api` (= `cpaudit serve`) on a free loopback port and stops it afterwards.
Results also go to benchmarks/results/.

Questions (`--questions`): `distinct` (the default) asks every question of the Q&A dev files
(eval/data/qa.jsonl and qa_dev*.jsonl, with their conversation history) in a few phrasings
(请问…, …？), shuffled, each at most once per run, so per-question and per-sentence caches are
cold for every request as they are for new traffic (the warm-up asks phrasings the run never
asks); `--repeat-rate R` re-asks an earlier question of the run with probability R.
`repeated` cycles the 172 questions of eval/data/qa.jsonl (the figures before this option:
after the first pass every request is a repeat).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
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


QA_FILES = ("qa.jsonl", "qa_dev.jsonl", "qa_dev2.jsonl", "qa_dev3.jsonl")  # none is frozen
# Ways people put the same question; the last one is kept for the warm-up only.
PHRASINGS = ("{q}", "请问{q}", "{q}？", "想了解一下：{q}", "麻烦问下，{q}", "请教：{q}")


def _items(name: str) -> list[dict]:
    lines = (ROOT / "eval" / "data" / name).read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _phrased(template: str, item: dict) -> dict:
    question = item["question"].strip()
    if template.endswith("？"):
        question = question.rstrip("？?")
    body = {"question": template.format(q=question)}
    earlier = [turn["content"] for turn in item.get("history") or [] if turn["role"] == "user"]
    if earlier:  # the API's history is the user's earlier questions (eval.models.user_history)
        body["history"] = earlier
    return body


def question_bodies(kind: str, total: int, repeat_rate: float = 0.0,
                    warm_up: bool = False) -> list[dict]:
    """The /v1/ask bodies of one run (see the module's docstring)."""
    if kind == "repeated":
        pool = [{"question": item["question"]} for item in _items("qa.jsonl")]
        return [pool[i % len(pool)] for i in range(total)]
    items = [item for name in QA_FILES for item in _items(name)]
    templates = PHRASINGS[-1:] if warm_up else PHRASINGS[:-1]
    phrased = (_phrased(t, item) for t in templates for item in items)
    # Phrasings can coincide ("…？" of a question ending in "？"): each body once.
    pool = list({json.dumps(b, ensure_ascii=False, sort_keys=True): b for b in phrased}.values())
    rng = random.Random(0)
    rng.shuffle(pool)
    out: list[dict] = []
    fresh = iter(pool)
    for _ in range(total):
        if out and rng.random() < repeat_rate:
            out.append(rng.choice(out))
            continue
        body = next(fresh, None)
        if body is None:
            raise SystemExit(f"only {len(pool)} distinct questions: ask fewer (--requests) "
                             "or allow repeats (--repeat-rate)")
        out.append(body)
    return out


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


async def run_load(url: str, path: str, total: int, concurrency: int,
                   questions: list[dict] | None = None) -> dict:
    """`concurrency` keep-alive HTTP/1.1 connections, raw asyncio streams: a client that
    spends far less CPU per request than the server (httpx spent 7–9 ms, more than the
    server's ~5 ms), so req/s measures the server."""
    pool = questions or question_bodies("repeated", total)
    host_port = url.split("://", 1)[1].rstrip("/")
    host, port = host_port.rsplit(":", 1)

    def body(i: int) -> dict | None:
        asked = pool[i % len(pool)]
        if path == "/v1/health":
            return None
        if path == "/v1/chat/completions":
            turns = [{"role": "user", "content": q} for q in asked.get("history", [])]
            turns.append({"role": "user", "content": asked["question"]})
            return {"model": "cpaudit", "messages": turns}
        return asked

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
    """The load client in its own process, so it never shares the server's interpreter; the
    bodies come on stdin."""
    url, path, total, concurrency = argv[0], argv[1], int(argv[2]), int(argv[3])
    questions = json.loads(sys.stdin.read())
    print(json.dumps(asyncio.run(run_load(url, path, total, concurrency, questions))))
    return 0


def load_in_process(url: str, path: str, total: int, concurrency: int,
                    questions: list[dict]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", url, path, str(total),
                          str(concurrency)], input=json.dumps(questions, ensure_ascii=False),
                         capture_output=True, text=True, check=True)
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
    parser.add_argument("--questions", choices=("distinct", "repeated"), default="distinct",
                        help="new questions per request (default) or qa.jsonl's 172 cycled")
    parser.add_argument("--repeat-rate", type=float, default=0.0,
                        help="with distinct: share of requests re-asking an earlier question")
    if sys.argv[1:2] == ["--child"]:
        return _child(sys.argv[2:])
    args = parser.parse_args()

    def measure(url: str, pid: int | None) -> list[dict]:
        warm = max(args.concurrency, 50)
        load_in_process(url, "/v1/ask", warm, args.concurrency,
                        question_bodies(args.questions, warm, warm_up=True))
        paths = ["/v1/health", "/v1/ask"] + (["/v1/chat/completions"] if args.chat else [])
        out = []
        for p in paths:
            # The chat route gets its own phrasings' order, so it never repeats /v1/ask's.
            asked = question_bodies(args.questions, args.requests, args.repeat_rate)
            if p == "/v1/chat/completions":
                asked = asked[::-1]
            before = server_cpu_s(pid)
            r = load_in_process(url, p, args.requests, args.concurrency, asked)
            after = server_cpu_s(pid)
            if before is not None and after is not None:
                r["server_cpu_ms_per_request"] = round((after - before) * 1000 / r["requests"], 3)
            r["questions"] = args.questions
            r["distinct_questions"] = len({json.dumps(b, sort_keys=True) for b in asked})
            out.append(r)
        return out

    if args.url:
        results = measure(args.url, None)
    else:
        with local_server(args.workers) as (url, pid):
            results = measure(url, pid)
    load = os.getloadavg()
    print(f"load average before/after: {load[0]:.2f} (1 min), {load[1]:.2f} (5 min)")
    print("| endpoint | requests | distinct | concurrency | workers | errors | p50 | p95 | max | "
          "req/s | server CPU ms/req | client CPU ms/req |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        r["workers"] = None if args.url else args.workers
        r["load_avg_1m"] = round(load[0], 2)
        distinct = "—" if r["path"] == "/v1/health" else r["distinct_questions"]
        print(f"| {r['path']} | {r['requests']} | {distinct} | {r['concurrency']} | "
              f"{r['workers'] or '—'} | "
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
