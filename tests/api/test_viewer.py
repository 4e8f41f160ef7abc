"""The document viewer's reads (GET /v1/documents/{id}/text and /file) and the offline /docs:
a citation's offsets mark its quote in the served text; files are found by doc_id only, never
outside the corpus; Swagger UI loads from the vendored assets."""

from __future__ import annotations

from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from api.app import create_app

ROOT = Path(__file__).resolve().parents[2]


def test_citation_offsets_mark_the_quote_in_the_served_text(client):
    answer = client.post("/v1/ask", json={"question": "什么情况下企业必须实施强制性清洁生产审核？"}).json()
    citation = next(c for c in answer["citations"] if c["doc_id"] == "cleaner-production-law")
    body = client.get("/v1/documents/cleaner-production-law/text").json()
    assert body["format"] == "pdf" and body["file_url"] == "/v1/documents/cleaner-production-law/file"
    quote = citation["quote"].split("……")[0]
    assert body["text"][citation["start"]:citation["end"]].startswith(quote)
    chapters = [h["title"] for h in body["outline"]]
    assert any(t.startswith("第三章") for t in chapters), chapters
    # the page the citation names is the page its offset lies on
    starts = [p for p in body["pages"] if p["offset"] <= citation["start"]]
    assert starts[-1]["number"] == citation["page"]


def test_docx_and_text_documents_have_an_outline(client):
    for doc_id, fmt in (("sc-notice-2016", "docx"), ("gz-action-plan", "txt"),
                        ("gd-plan-2023", "md")):
        body = client.get(f"/v1/documents/{doc_id}/text").json()
        assert body["format"] == fmt and body["outline"], doc_id
        first = body["outline"][0]
        assert body["text"][first["start"]:].startswith(first["title"][:2]), (doc_id, first)


def test_original_files_by_id(client):
    pdf = client.get("/v1/documents/cleaner-production-law/file")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline")
    assert pdf.headers["x-content-type-options"] == "nosniff"
    word = client.get("/v1/documents/sc-notice-2016/file")
    assert word.content.startswith(b"PK") and "attachment" in word.headers["content-disposition"]


def test_unknown_and_path_like_ids_are_refused(client):
    missing = client.get("/v1/documents/no-such-doc/text")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "document_not_found"
    for bad in ("..%2Fmanifest.yaml", "%2E%2E", "Manifest"):
        assert client.get(f"/v1/documents/{bad}/file").status_code in (404, 422), bad


def test_a_manifest_entry_outside_the_corpus_is_not_served(corpus):
    outside = corpus.corpus_dir.parent / "secret.txt"
    outside.write_text("不应被读取的文件内容。", "utf-8")
    manifest = corpus.corpus_dir / "manifest.yaml"
    data = yaml.safe_load(manifest.read_text("utf-8"))
    data["documents"].append({"id": "escape", "title": "越界", "short_title": "越界",
                              "issuer": "x", "region": "全国", "kind": "notice",
                              "file": "../secret.txt"})
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with TestClient(create_app()) as client:
        for route in ("text", "file"):
            response = client.get(f"/v1/documents/escape/{route}")
            assert response.status_code == 404, route
            assert "不应被读取" not in response.text


def test_docs_served_from_vendored_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    for asset in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css",
                  "pdfjs/pdf.min.mjs", "pdfjs/pdf.worker.min.mjs", "pdfjs/cmaps/UniGB-UCS2-H.bcmap"):
        assert client.get(f"/static/vendor/{asset}").status_code == 200, asset
    assert client.get("/openapi.json").json()["paths"]["/v1/feedback"]
