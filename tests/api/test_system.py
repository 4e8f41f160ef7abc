"""GET /v1/health, GET /v1/status, the OpenAPI schema and the static web UI."""

from __future__ import annotations

import os

from assistant import __version__

MANDATORY = "什么情况下企业必须实施强制性清洁生产审核？"


def test_health(client):
    response = client.get("/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__, "worker": os.getpid()}


def test_status_reports_corpus_mode_llm_and_version(client):
    body = client.get("/v1/status").json()
    assert body["version"] == __version__
    assert body["documents"] == 11
    assert body["chunks"] > 100
    assert body["mode"] == "lexical"
    assert body["index"]["lexical_reason"]
    assert body["llm"] == {"configured": False, "model": None}
    assert body["api_key_required"] is False
    # The checkers are imported with the service: a broken checkers package fails at start-up
    # (and in these tests), it is never reported as a missing feature.
    assert body["features"] == {"report_check": True, "report_review": True}


def test_status_shows_a_configured_llm_and_api_key(app_factory, settings, monkeypatch):
    from fastapi.testclient import TestClient

    from assistant.settings import get_settings

    monkeypatch.setenv("CPAUDIT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("CPAUDIT_LLM_MODEL", "qwen-plus")
    get_settings.cache_clear()
    try:
        with TestClient(app_factory(api_key="k")) as client:
            body = client.get("/v1/status").json()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert body["llm"] == {"configured": True, "model": "qwen-plus"}
    assert body["api_key_required"] is True


def test_openapi_schema_is_complete(client):
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    expected = {
        ("/v1/ask", "post"), ("/v1/health", "get"), ("/v1/status", "get"),
        ("/v1/documents", "get"), ("/v1/documents", "post"), ("/v1/documents/{doc_id}", "delete"),
        ("/v1/documents/reindex", "post"), ("/v1/reports/check", "post"),
        ("/v1/reports/review", "post"), ("/v1/chat/completions", "post"), ("/v1/models", "get"),
    }
    assert expected <= {(p, m) for p, ops in paths.items() for m in ops}
    components = schema["components"]["schemas"]
    for name in ("AskRequest", "Answer", "Citation", "ErrorResponse", "StatusResponse",
                 "DocumentList", "ChatCompletion", "ChatCompletionRequest"):
        assert name in components, name
    error_ref = paths["/v1/ask"]["post"]["responses"]["422"]["content"]["application/json"]
    assert error_ref["schema"]["$ref"].endswith("/ErrorResponse")
    assert "text/event-stream" in paths["/v1/ask"]["post"]["responses"]["200"]["content"]


def test_web_ui_is_served_without_external_assets(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "清洁生产审核助手" in page.text
    for asset in ("/static/app.js", "/static/app.css", "/static/chat.js", "/static/corpus.js",
                  "/static/check.js", "/static/util.js"):
        response = client.get(asset)
        assert response.status_code == 200, asset
        # No CDN: nothing the page loads may come from another host.
        assert "http://" not in response.text and "https://" not in response.text, asset
    assert "http://" not in page.text and "https://" not in page.text
