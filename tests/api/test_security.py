"""API key on write endpoints, CORS, and the service settings read from the environment."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings

TEXT = "某市关于清洁生产审核的通知\n\n一、工作要求\n重点企业应当在两年内完成清洁生产审核并公布结果。\n"


def write_requests(client: TestClient, headers: dict[str, str]):
    yield client.post("/v1/documents", headers=headers, files={"file": ("n.txt", TEXT.encode())},
                      data={"title": "某市通知", "id": "key-test"})
    yield client.post("/v1/documents/reindex", headers=headers)
    yield client.delete("/v1/documents/key-test", headers=headers)


def test_write_endpoints_need_the_key_when_configured(corpus, app_factory):
    before = corpus.snapshot()
    with TestClient(app_factory(api_key="s3cret")) as client:
        for headers in ({}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"}):
            for response in write_requests(client, headers):
                assert response.status_code == 401, response.text
                assert response.json()["error"]["code"] == "unauthorized"
                assert "密钥" in response.json()["error"]["message_zh"]
        assert corpus.snapshot() == before
        # reads stay open
        assert client.get("/v1/documents").status_code == 200
        assert client.post("/v1/ask", json={"question": "清洁生产审核"}).status_code == 200
        assert client.post("/v1/chat/completions", json={
            "messages": [{"role": "user", "content": "清洁生产审核"}]}).status_code == 200
        codes = [r.status_code for r in write_requests(client, {"X-API-Key": "s3cret"})]
        assert codes == [201, 200, 200]
        codes = [r.status_code for r in write_requests(client, {"Authorization": "Bearer s3cret"})]
        assert codes == [201, 200, 200]


def test_no_key_configured_means_open_writes(corpus, corpus_client):
    assert corpus_client.post("/v1/documents/reindex").status_code == 200


def test_cors_only_for_configured_origins(settings, app_factory):
    preflight = {"Origin": "https://portal.example.org", "Access-Control-Request-Method": "POST"}
    with TestClient(app_factory(cors_origins=["https://portal.example.org"])) as client:
        ok = client.options("/v1/ask", headers=preflight)
        assert ok.headers["access-control-allow-origin"] == "https://portal.example.org"
        other = client.get("/v1/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    with TestClient(app_factory()) as client:
        response = client.get("/v1/health", headers={"Origin": "https://portal.example.org"})
        assert "access-control-allow-origin" not in response.headers


def test_settings_from_environment(monkeypatch):
    monkeypatch.setenv("CPAUDIT_API_KEY", "k")
    monkeypatch.setenv("CPAUDIT_MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("CPAUDIT_CORS_ORIGINS", "http://a.example, http://b.example")
    monkeypatch.setenv("CPAUDIT_REQUEST_TIMEOUT", "12")
    settings = Settings()
    assert settings.api_key == "k" and settings.max_upload_bytes == 5 * 1024 * 1024
    assert settings.cors_origins == ["http://a.example", "http://b.example"]
    assert settings.request_timeout == 12
    monkeypatch.setenv("CPAUDIT_CORS_ORIGINS", '["http://c.example"]')
    assert Settings().cors_origins == ["http://c.example"]


def _form_post(client: TestClient, headers: dict[str, str]):
    """What a `<form method=post enctype=multipart/form-data>` on any page sends."""
    return client.post("/v1/documents", headers=headers, files={"file": ("n.txt", TEXT.encode())},
                       data={"title": "某市通知", "id": "csrf-test"})


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},  # a sandboxed frame or a file: page
    {"Origin": "http://testserver.evil.example"},
    {"Origin": "http://testserver:8080"},  # another port is another origin
    {"Sec-Fetch-Site": "cross-site"},  # a browser that left Origin out
    {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is still another site
    {"Referer": "https://evil.example/page.html"},
])
def test_cross_site_writes_are_refused_without_a_key(corpus, corpus_client, headers):
    before = corpus.snapshot()
    for response in (_form_post(corpus_client, headers),
                     corpus_client.delete("/v1/documents/gz-action-plan", headers=headers),
                     corpus_client.post("/v1/documents/reindex", headers=headers)):
        assert response.status_code == 403, response.text
        error = response.json()["error"]
        assert error["code"] == "cross_origin"
        assert "其他网站" in error["message_zh"] and "another site" in error["message_en"]
    assert corpus.snapshot() == before
    # reads stay open to any page (CORS decides what it may read)
    assert corpus_client.get("/v1/documents", headers=headers).status_code == 200


def test_same_origin_and_non_browser_writes_pass(corpus, corpus_client, app_factory):
    # the bundled UI: a same-origin fetch sends its own origin (TestClient's host is testserver)
    same = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin",
            "Referer": "http://testserver/"}
    assert _form_post(corpus_client, same).status_code == 201
    assert corpus_client.delete("/v1/documents/csrf-test", headers=same).status_code == 200
    # curl, scripts, SDKs send none of these headers
    assert corpus_client.post("/v1/documents/reindex").status_code == 200
    # behind a reverse proxy that rewrites Host, the public host arrives as X-Forwarded-Host
    proxied = {"Origin": "https://audit.example.cn", "X-Forwarded-Host": "audit.example.cn"}
    assert corpus_client.post("/v1/documents/reindex", headers=proxied).status_code == 200
    with TestClient(app_factory(cors_origins=["https://portal.example.org"])) as client:
        allowed = {"Origin": "https://portal.example.org"}
        assert client.post("/v1/documents/reindex", headers=allowed).status_code == 200
        assert client.post("/v1/documents/reindex",
                           headers={"Origin": "https://evil.example"}).status_code == 403
