"""`cpaudit serve` (run here as `python -m api`): first start, 2 workers, 50 concurrent asks."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [json.loads(line)["question"]
             for line in (ROOT / "eval/data/qa.jsonl").read_text("utf-8").splitlines()
             if line.strip()]
NOTICE = ("某市生态环境局关于开展清洁生产审核评估验收的通知\n\n一、评估验收范围\n"
          "列入年度名单的重点企业，应当在审核报告完成后六个月内申请评估验收，逾期未申请的予以通报。\n")
ASK = "重点企业应当在审核报告完成后多久内申请评估验收？"


@pytest.mark.slow
def test_first_start_builds_the_index(corpus, tmp_path, server_factory):
    empty = tmp_path / "fresh-data"
    with server_factory(env={**corpus.env, "CPAUDIT_DATA_DIR": str(empty)}) as server:
        status = httpx.get(f"{server.url}/v1/status").json()
        assert status["documents"] == 11 and status["mode"] == "lexical"
        answer = httpx.post(f"{server.url}/v1/ask", json={"question": QUESTIONS[0]},
                            timeout=30).json()
        assert answer["citations"]
    log = server.log_text()
    assert "首次启动" in log and "index built" in log


def worker_pids(log: str) -> list[int]:
    return [int(pid) for pid in re.findall(r"Started server process \[(\d+)\]", log)]


def burst(url: str, n: int) -> list[tuple[int, dict]]:
    """n simultaneous users, each on its own keep-alive connection: (worker pid, answer)."""
    gate = threading.Barrier(n)

    def one(_):
        with httpx.Client(timeout=60) as client:
            gate.wait()
            worker = client.get(f"{url}/v1/health").json()["worker"]
            response = client.post(f"{url}/v1/ask", json={"question": ASK})  # same connection
            assert response.status_code == 200, response.text
            return worker, response.json()

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def burst_on_both(url: str, workers: list[int]) -> list[dict]:
    """Bursts until both workers have answered (the kernel, not us, picks the worker)."""
    answers, seen = [], set()
    for _ in range(10):
        for worker, answer in burst(url, 20):
            seen.add(worker)
            answers.append(answer)
        if seen == set(workers):
            return answers
    pytest.fail(f"only workers {seen} of {workers} answered")


@pytest.mark.slow
def test_two_workers_serve_one_index(corpus, server_factory):
    with server_factory(workers=2, env=corpus.env) as server:
        workers = worker_pids(server.log_text())
        assert len(workers) == 2, server.log_text()
        added = httpx.post(f"{server.url}/v1/documents", timeout=60,
                           files={"file": ("notice.txt", NOTICE.encode())},
                           data={"title": "某市评估验收通知", "id": "acceptance-notice"})
        assert added.status_code == 201, added.text
        # Only one worker handled the upload; both must answer from the new document.
        answers = burst_on_both(server.url, workers)
        assert all(a["citations"] and a["citations"][0]["doc_id"] == "acceptance-notice"
                   for a in answers)
        removed = httpx.delete(f"{server.url}/v1/documents/acceptance-notice", timeout=60)
        assert removed.status_code == 200
        answers = burst_on_both(server.url, workers)
        assert all(all(c["doc_id"] != "acceptance-notice" for c in a["citations"])
                   for a in answers)


@pytest.mark.slow
def test_fifty_concurrent_asks(live_server):
    gate = threading.Barrier(50)

    def one(question: str) -> int:
        with httpx.Client(timeout=60) as client:
            gate.wait()
            response = client.post(f"{live_server.url}/v1/ask", json={"question": question})
            assert response.json()["answer"]
            return response.status_code

    with ThreadPoolExecutor(50) as pool:
        codes = list(pool.map(one, QUESTIONS[:50]))
    assert codes == [200] * 50


@pytest.mark.slow
def test_access_log_on_by_default_and_off_on_request(live_server, server_factory):
    line = '"POST /v1/ask HTTP/1.1" 200'
    httpx.post(f"{live_server.url}/v1/ask", json={"question": ASK}, timeout=30)
    assert line in live_server.log_text()  # the default: one line per request
    with server_factory(args=("--no-access-log",)) as quiet:
        assert httpx.post(f"{quiet.url}/v1/ask", json={"question": ASK},
                          timeout=30).status_code == 200
        log = quiet.log_text()
    assert "Application startup complete" in log and line not in log


def test_cpaudit_serve_command_line():
    from assistant import cli

    args = cli.build_parser(load="serve").parse_args(
        ["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "2"])
    assert (args.host, args.port, args.workers) == ("0.0.0.0", 9000, 2)
