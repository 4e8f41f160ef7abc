"""Two workers, 50 concurrent askers, and the corpus changing under them (a document uploaded
and deleted twice): every question is answered from a complete generation — 0 non-2xx — and no
request builds an index."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from support.server import serve
from support.state_check import (
    ASK_LAW,
    ASK_NOTICE,
    NOTICE,
    NOTICE_META,
    check_consistent,
    copy_state,
    files_of,
    small_corpus,
)

from assistant.index import build_index

ASKERS = 50


@pytest.mark.slow
def test_questions_during_corpus_changes_with_two_workers(tmp_path):
    settings = small_corpus(tmp_path / "template")
    build_index(settings)
    settings = copy_state(settings, tmp_path / "state")
    bundled = files_of(settings.corpus_dir)
    env = {"CPAUDIT_CORPUS_DIR": str(settings.corpus_dir),
           "CPAUDIT_DATA_DIR": str(settings.data_dir), "CPAUDIT_EMBEDDING_MODEL": ""}
    form = {"title": NOTICE_META.title, "issuer": NOTICE_META.issuer, "region": "某市",
            "id": NOTICE_META.id}
    statuses: list[int] = []
    failures: list[str] = []
    done = threading.Event()
    with serve(tmp_path, workers=2, env=env) as server:
        def asker(n: int) -> None:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                while True:  # at least one question each, then until the changes are over
                    question = ASK_NOTICE if n % 2 else ASK_LAW
                    response = client.post("/v1/ask", json={"question": question})
                    statuses.append(response.status_code)
                    if response.status_code != 200:
                        failures.append(response.text[:300])
                    if done.is_set():
                        return

        with ThreadPoolExecutor(ASKERS) as pool:
            futures = [pool.submit(asker, n) for n in range(ASKERS)]
            deadline = time.monotonic() + 120  # bounded even if something hangs
            with httpx.Client(base_url=server.url, timeout=120) as admin:
                for _ in range(2):
                    added = admin.post("/v1/documents", data=form,
                                       files={"file": ("notice.txt", NOTICE.encode())})
                    assert added.status_code == 201, added.text
                    removed = admin.delete(f"/v1/documents/{NOTICE_META.id}")
                    assert removed.status_code == 200, removed.text
                    assert time.monotonic() < deadline
            done.set()
            for future in futures:
                future.result(timeout=120)
        log = server.log_text()
    print(f"\n{len(statuses)} questions from {ASKERS} concurrent askers during 4 corpus "
          f"changes with 2 workers: {sum(s != 200 for s in statuses)} non-2xx")
    assert len(statuses) >= ASKERS and not failures, failures[:3]
    assert "building the index" not in log.split("Application startup complete")[-1]
    assert "Traceback" not in log
    check_consistent(settings, bundled)
