"""kill -9 at every step of an upload, a delete and a reindex, then a restart: the corpus, its
manifest and the index are the old ones or the new ones, never a mix, and a client's retry gets
the right result (no 409 for an upload that went through, no 404 for a delete that did).

The process doing the change is a forked child that SIGKILLs itself at the named step
(CPAUDIT_CRASH_AT, assistant.faults); "restart" is the start-up reconciliation the server and
the CLI run (assistant.startup.prepare). One case runs through the real HTTP server.
"""

from __future__ import annotations

import httpx
import pytest
from support.server import serve
from support.state_check import (
    ASK_NOTICE,
    NOTICE,
    NOTICE_META,
    SMALL,
    check_consistent,
    copy_state,
    crash_at,
    files_of,
    small_corpus,
)

from assistant import corpus_admin
from assistant.index import build_index
from assistant.retrieve import load_index, retrieve
from assistant.startup import prepare

BUILD_BEFORE_SWAP = ["build:writing", "build:written", "build:renamed"]
BUILD_AFTER_SWAP = ["build:swapped"]
NOTICE_ID = NOTICE_META.id


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The small corpus indexed (base), and the same with the notice uploaded (with_notice)."""
    base = small_corpus(tmp_path_factory.mktemp("base"))
    build_index(base)
    with_notice = copy_state(base, tmp_path_factory.mktemp("with-notice"))
    corpus_admin.add_document(with_notice, NOTICE.encode(), "notice.txt", NOTICE_META)
    return {"base": base, "with_notice": with_notice}


def add(settings):
    return corpus_admin.add_document(settings, NOTICE.encode(), "notice.txt", NOTICE_META)


def remove(doc_id):
    return lambda settings: corpus_admin.remove_document(settings, doc_id)


UPLOAD_STEPS = [(s, "old") for s in ["add:journal", "add:file", *BUILD_BEFORE_SWAP]] + [
    (s, "new") for s in [*BUILD_AFTER_SWAP, "add:index", "add:manifest"]]
DELETE_STEPS = [(s, "old") for s in ["remove:journal", *BUILD_BEFORE_SWAP]] + [
    (s, "new") for s in [*BUILD_AFTER_SWAP, "remove:index", "remove:manifest", "remove:file"]]
BUNDLED_DELETE_STEPS = [(s, "old") for s in ["remove:journal", "build:written"]] + [
    (s, "new") for s in ["build:swapped", "remove:index", "remove:manifest"]]


@pytest.mark.parametrize("step, expect", UPLOAD_STEPS)
def test_kill_during_upload(template, tmp_path, step, expect):
    settings = copy_state(template["base"], tmp_path)
    bundled = files_of(settings.corpus_dir)
    crash_at(step, add, settings)
    prepare(settings)  # the restart
    ids = check_consistent(settings, bundled)
    assert ids == set(SMALL) | ({NOTICE_ID} if expect == "new" else set())
    retry = add(settings)  # the client did not see an answer: it sends the upload again
    assert retry.document.id == NOTICE_ID and retry.report.chunks > 0
    assert check_consistent(settings, bundled) == set(SMALL) | {NOTICE_ID}


@pytest.mark.parametrize("step, expect", DELETE_STEPS)
def test_kill_during_delete_of_an_upload(template, tmp_path, step, expect):
    settings = copy_state(template["with_notice"], tmp_path)
    bundled = files_of(settings.corpus_dir)
    crash_at(step, remove(NOTICE_ID), settings)
    prepare(settings)
    ids = check_consistent(settings, bundled)
    assert ids == set(SMALL) | ({NOTICE_ID} if expect == "old" else set())
    corpus_admin.remove_document(settings, NOTICE_ID)  # the retry: done, not "not found"
    assert check_consistent(settings, bundled) == set(SMALL)


@pytest.mark.parametrize("step, expect", BUNDLED_DELETE_STEPS)
def test_kill_during_delete_of_a_bundled_document(template, tmp_path, step, expect):
    settings = copy_state(template["base"], tmp_path)
    bundled = files_of(settings.corpus_dir)
    crash_at(step, remove("gx-plan-2021"), settings)
    prepare(settings)
    ids = check_consistent(settings, bundled)  # corpus/ itself is untouched either way
    assert ("gx-plan-2021" in ids) == (expect == "old") and {"cleaner-production-law",
                                                             "gz-action-plan"} <= ids
    corpus_admin.remove_document(settings, "gx-plan-2021")
    assert check_consistent(settings, bundled) == {"cleaner-production-law", "gz-action-plan"}


@pytest.mark.parametrize("step", [*BUILD_BEFORE_SWAP, *BUILD_AFTER_SWAP])
def test_kill_during_reindex(template, tmp_path, step):
    settings = copy_state(template["base"], tmp_path)
    plan = settings.corpus_dir / "docs" / "gz-action-plan.txt"  # the operator updates corpus/
    plan.write_text(plan.read_text("utf-8") + "\n（十三）企业应当每年报送清洁生产年报。\n", "utf-8")
    bundled = files_of(settings.corpus_dir)
    crash_at(step, corpus_admin.reindex, settings)
    prepare(settings)
    assert check_consistent(settings, bundled) == set(SMALL)
    corpus_admin.reindex(settings)
    assert check_consistent(settings, bundled) == set(SMALL)
    assert retrieve(load_index(settings), "清洁生产年报").passages[0].doc_id == "gz-action-plan"


@pytest.mark.slow
def test_kill_during_upload_and_delete_through_the_server(template, tmp_path):
    settings = copy_state(template["base"], tmp_path / "state")
    bundled = files_of(settings.corpus_dir)
    env = {"CPAUDIT_CORPUS_DIR": str(settings.corpus_dir),
           "CPAUDIT_DATA_DIR": str(settings.data_dir), "CPAUDIT_EMBEDDING_MODEL": ""}
    form = {"title": NOTICE_META.title, "issuer": NOTICE_META.issuer, "region": "某市",
            "id": NOTICE_ID}
    files = {"file": ("notice.txt", NOTICE.encode())}
    # killed after the index swap, before the manifest: the case that used to give 0 chunks + 409
    with serve(tmp_path, env={**env, "CPAUDIT_CRASH_AT": "add:index"}) as server:
        with pytest.raises(httpx.TransportError):
            httpx.post(f"{server.url}/v1/documents", files=files, data=form, timeout=60)
        server.process.wait(timeout=10)
    with serve(tmp_path, env={**env, "CPAUDIT_CRASH_AT": "remove:manifest"}) as server:
        listed = {d["id"]: d["chunks"] for d in
                  httpx.get(f"{server.url}/v1/documents", timeout=60).json()["documents"]}
        assert listed.get(NOTICE_ID, 0) > 0  # rolled forward at start-up: listed, with chunks
        answer = httpx.post(f"{server.url}/v1/ask", json={"question": ASK_NOTICE},
                            timeout=60).json()
        assert answer["citations"][0]["doc_id"] == NOTICE_ID
        retry = httpx.post(f"{server.url}/v1/documents", files=files, data=form, timeout=60)
        assert retry.status_code == 201, retry.text
        assert retry.json()["document"]["id"] == NOTICE_ID
        with pytest.raises(httpx.TransportError):  # killed after the swap, before the manifest
            httpx.delete(f"{server.url}/v1/documents/{NOTICE_ID}", timeout=60)
        server.process.wait(timeout=10)
    prepare(settings)  # what the next start runs (tested through the server above)
    assert check_consistent(settings, bundled) == set(SMALL)
    corpus_admin.remove_document(settings, NOTICE_ID)  # the retry: done, not 404
    assert check_consistent(settings, bundled) == set(SMALL)
