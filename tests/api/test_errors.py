"""Every failure is JSON with a code and a Chinese and an English message; never a traceback."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from api.routes import ask as ask_route


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message_zh"] and error["message_en"]
    assert error["message"] == f"{error['message_zh']} / {error['message_en']}"
    assert "Traceback" not in response.text
    return error


def test_unknown_route_and_method(client):
    assert_error(client.get("/v1/nothing"), 404, "not_found")
    assert_error(client.put("/v1/ask", json={}), 405, "method_not_allowed")


def test_malformed_json_is_a_422(client):
    response = client.post("/v1/ask", content=b"{not json",
                           headers={"Content-Type": "application/json"})
    assert_error(response, 422, "invalid_request")


def test_unexpected_failure_is_a_500_without_details(settings, app_factory, monkeypatch):
    def boom(request, settings):
        raise RuntimeError("secret internal detail /etc/passwd")

    monkeypatch.setattr(ask_route, "answer_question", boom)
    with TestClient(app_factory(), raise_server_exceptions=False) as client:
        response = client.post("/v1/ask", json={"question": "清洁生产审核"})
    error = assert_error(response, 500, "internal_error")
    assert "secret" not in response.text and "/etc/passwd" not in response.text
    assert "RuntimeError" in error["message_en"]


def test_slow_request_times_out_with_504(settings, app_factory, monkeypatch):
    release, finished = threading.Event(), threading.Event()

    def slow(request, settings):
        release.wait(30)
        finished.set()

    monkeypatch.setattr(ask_route, "answer_question", slow)
    with TestClient(app_factory(request_timeout=0.3)) as client:
        response = client.post("/v1/ask", json={"question": "清洁生产审核"})
        # The 504 came while the work was still running, not when it finished.
        assert not finished.is_set()
        release.set()
    assert_error(response, 504, "timeout")


def test_broken_manifest_is_reported(corpus, corpus_client):
    (corpus.corpus_dir / "manifest.yaml").write_text(
        "documents:\n  - id: x\n    title: t\n", "utf-8")
    error = assert_error(corpus_client.get("/v1/documents"), 409, "corpus_error")
    assert "清单" in error["message_zh"]

