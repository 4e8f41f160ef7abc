"""A damaged index never answers wrongly with 200 and never gives a 500: questions are answered
from the previous intact generation, or get a bilingual 503 naming the fix; `cpaudit status`
and GET /v1/status say it is damaged and why; the next start-up rebuilds it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient
from support.state_check import ASK_LAW, SMALL, check_consistent, copy_state, files_of, small_corpus

from api.app import create_app
from assistant import corpus_admin, live_index
from assistant.cli import main
from assistant.generations import index_root
from assistant.index import build_index
from assistant.live_index import live_generation
from assistant.settings import get_settings
from assistant.startup import prepare


def _empty(gen):
    (gen / "chunks.jsonl").write_bytes(b"")


def _zero_indptr(gen):  # same size, so only the checksum and the structure give it away
    path = gen / "bm25" / "indptr.csc.index.npy"
    indptr = np.load(path)
    np.save(path, np.zeros_like(indptr))


def _truncate(name):
    def damage(gen):
        data = (gen / name).read_bytes()
        (gen / name).write_bytes(data[:len(data) // 2])
    return damage


def _missing(gen):
    (gen / "bm25" / "data.csc.index.npy").unlink()


def _bad_meta(gen):
    (gen / "meta.json").write_text("{", "utf-8")


DAMAGE = {
    "empty chunks.jsonl": _empty, "zeroed BM25 indptr": _zero_indptr,
    "truncated docs.json": _truncate("docs.json"), "truncated token_ids": _truncate("token_ids.npy"),
    "truncated chunks.jsonl": _truncate("chunks.jsonl"), "missing BM25 file": _missing,
    "unreadable meta.json": _bad_meta,
}


@pytest.fixture(autouse=True)
def recheck_at_once(monkeypatch):
    """Sizes are re-checked at most once a second in production; here at every look-up."""
    monkeypatch.setattr(live_index, "RECHECK_SECONDS", 0.0)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    settings = small_corpus(tmp_path_factory.mktemp("base"))
    build_index(settings)
    return settings


def two_generations(base, tmp_path):
    """A copy whose current generation follows an operator's edit; the previous one is kept."""
    settings = copy_state(base, tmp_path)
    plan = settings.corpus_dir / "docs" / "gz-action-plan.txt"
    plan.write_text(plan.read_text("utf-8") + "\n（十三）企业应当每年报送清洁生产年报。\n", "utf-8")
    before = live_generation(settings).gen.name
    build_index(settings)
    return settings, before


def law_is_cited(client) -> None:
    response = client.post("/v1/ask", json={"question": ASK_LAW})
    assert response.status_code == 200, response.text
    assert response.json()["citations"][0]["doc_id"] == "cleaner-production-law"


def refused_with_the_fix(client) -> None:
    response = client.post("/v1/ask", json={"question": ASK_LAW})
    assert response.status_code == 503, response.text
    error = response.json()["error"]
    assert error["code"] == "index_damaged" and "Error" not in error["message"]
    assert "损坏" in error["message_zh"] and "damaged" in error["message_en"]
    assert "cpaudit index" in error["message_zh"] and "cpaudit index" in error["message_en"]


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damage_while_serving_falls_back_to_the_previous_generation(base, tmp_path, case):
    settings, previous = two_generations(base, tmp_path)
    with TestClient(create_app(settings)) as client:
        law_is_cited(client)
        current = live_generation(settings).current
        DAMAGE[case](index_root(settings) / current)
        law_is_cited(client)  # from the previous generation
        status = client.get("/v1/status").json()
        health = status["index_health"]
        assert health["state"] == "degraded" and health["current_generation"] == current
        assert health["served_generation"] == previous == status["index"]["generation"]
        assert health["problem_zh"] and health["problem_en"] and health["fix"]
        listed = client.get("/v1/documents").json()["documents"]
        assert all(d["chunks"] > 0 for d in listed)
    prepare(settings)  # the next start rebuilds
    assert check_consistent(settings, files_of(settings.corpus_dir)) == set(SMALL)


@pytest.mark.parametrize("case", ["empty chunks.jsonl", "zeroed BM25 indptr", "missing BM25 file"])
def test_damage_with_nothing_to_fall_back_to_is_a_503_naming_the_fix(base, tmp_path, case,
                                                                      monkeypatch, capsys):
    settings = copy_state(base, tmp_path)  # a single generation
    with TestClient(create_app(settings)) as client:
        DAMAGE[case](index_root(settings) / live_generation(settings).current)
        refused_with_the_fix(client)
        health = client.get("/v1/status").json()["index_health"]
        assert health["state"] == "damaged" and health["fix"] == "cpaudit index"
        assert client.get("/v1/documents").status_code == 200  # the listing still works
    monkeypatch.setenv("CPAUDIT_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("CPAUDIT_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        assert main(["status"]) == 0
        out = capsys.readouterr().out
        assert "索引已损坏" in out and "DAMAGED" in out and "cpaudit index" in out
        assert json.loads(_status_json(capsys))["index_health"]["state"] == "damaged"
        assert main(["index", "--quiet"]) == 0  # the fix it names
    finally:
        # the environment first, then the cached settings: cleared the other way round, the next
        # get_settings() would cache this test's corpus for the rest of the session
        monkeypatch.undo()
        get_settings.cache_clear()
    assert check_consistent(settings, files_of(settings.corpus_dir)) == set(SMALL)


def _status_json(capsys) -> str:
    assert main(["status", "--json"]) == 0
    return capsys.readouterr().out


def test_no_fallback_to_a_generation_that_cites_a_deleted_document(base, tmp_path):
    settings = copy_state(base, tmp_path)
    corpus_admin.remove_document(settings, "gx-plan-2021")  # the previous generation still has it
    with TestClient(create_app(settings)) as client:
        _empty(index_root(settings) / live_generation(settings).current)
        refused_with_the_fix(client)
    prepare(settings)
    assert check_consistent(settings, files_of(settings.corpus_dir)) == {
        "cleaner-production-law", "gz-action-plan"}


def test_verification_is_remembered_until_a_file_changes(base, tmp_path, monkeypatch):
    from assistant import integrity

    settings = copy_state(base, tmp_path)
    gen = live_generation(settings).gen
    assert (gen / integrity.VERIFIED).is_file()  # written by the first, full verification
    deep_checks = []
    monkeypatch.setattr(integrity, "_deep", lambda g, m: deep_checks.append(g))
    integrity._verdicts.clear()  # as in a new process: the record on disk is enough
    assert live_generation(settings).state == "ok" and deep_checks == []
    _zero_indptr(gen)  # rewritten in place, same size: a new mtime
    integrity._verdicts.clear()
    live_generation(settings)
    assert deep_checks == [gen]
