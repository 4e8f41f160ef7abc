"""Corpus management over HTTP: list, upload, delete, reindex — incremental, and a refused
upload leaves corpus and index untouched."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader, PdfWriter

GREEN_FACTORY = """某市工业和信息化局关于开展绿色工厂梯度培育工作的通知

一、工作目标
到2027年，全市累计培育市级绿色工厂不少于60家，推动重点行业企业全部完成清洁生产审核。

二、申报条件
申报企业应当近三年未发生较大及以上安全、环保、质量事故，且单位产品综合能耗达到行业先进值。

三、支持政策
对新认定的市级绿色工厂，给予一次性奖励30万元。
"""
QUESTION = "申报市级绿色工厂的企业应当满足什么条件？"
META = {"title": "某市关于开展绿色工厂梯度培育工作的通知", "issuer": "某市工业和信息化局",
        "region": "某市", "kind": "notice", "date": "2025-03-01", "aliases": "绿色工厂通知，梯度培育通知"}


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(client, name: str, data: bytes, **fields):
    return client.post("/v1/documents", files={"file": (name, data)}, data={**META, **fields})


def test_list_documents_with_metadata_and_chunks(client):
    body = client.get("/v1/documents").json()
    assert body["total"] == len(body["documents"]) == 11
    law = next(d for d in body["documents"] if d["id"] == "cleaner-production-law")
    assert law["title"] == "中华人民共和国清洁生产促进法" and law["kind"] == "law"
    assert law["chunks"] > 10


def test_upload_then_answer_from_it(corpus, corpus_client):
    response = upload(corpus_client, "green-factory.txt", GREEN_FACTORY.encode("gb18030"))
    assert response.status_code == 201, response.text
    body = response.json()
    doc = body["document"]
    assert doc["id"] == "green-factory" and doc["file"] == "docs/green-factory.txt"
    assert doc["aliases"] == ["绿色工厂通知", "梯度培育通知"] and doc["chunks"] >= 1
    # incremental: only the new document was read and chunked
    assert body["index"]["added"] == ["green-factory"] and body["index"]["unchanged"] == 11
    assert (corpus.user_dir / "docs/green-factory.txt").is_file()
    assert not (corpus.corpus_dir / "docs/green-factory.txt").exists()  # corpus/ is read-only

    answer = corpus_client.post("/v1/ask", json={"question": QUESTION}).json()
    assert not answer["abstained"]
    assert answer["citations"][0]["doc_id"] == "green-factory"
    assert "综合能耗达到行业先进值" in answer["citations"][0]["quote"]
    assert corpus_client.get("/v1/status").json()["documents"] == 12
    listed = {d["id"] for d in corpus_client.get("/v1/documents").json()["documents"]}
    assert "green-factory" in listed


def test_type_is_decided_by_content_not_extension(corpus, corpus_client):
    # a Word document named .pdf is stored and indexed as the DOCX it is
    response = upload(corpus_client, "notice.pdf", docx_bytes(GREEN_FACTORY), id="gf-docx")
    assert response.status_code == 201, response.text
    assert response.json()["document"]["file"] == "docs/gf-docx.docx"


def test_pdf_upload(corpus, corpus_client, settings):
    data = (settings.corpus_dir / "docs/cleaner-production-law.pdf").read_bytes()
    response = upload(corpus_client, "law.pdf", data, id="law-copy", kind="law",
                      title="清洁生产促进法（副本）")
    assert response.status_code == 201, response.text
    assert response.json()["document"]["chunks"] > 10


def test_filename_is_sanitized(corpus, corpus_client):
    response = upload(corpus_client, "../../../etc/evil\x00name.txt", GREEN_FACTORY.encode())
    assert response.status_code == 201, response.text
    doc = response.json()["document"]
    assert doc["file"].startswith("docs/") and "/" not in doc["file"][5:]
    assert (corpus.user_dir / doc["file"]).resolve().parent == corpus.user_dir / "docs"
    assert not (corpus.corpus_dir.parent / "etc").exists()
    assert "\x00" not in doc["notes"]


def encrypted_pdf(source: bytes) -> bytes:
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(source)).pages[:1]:
        writer.add_page(page)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name, make, words", [
    ("truncated.pdf", lambda law: law[:2000], "PDF"),
    ("encrypted.pdf", encrypted_pdf, "加密"),
    ("empty.txt", lambda law: b"   \n", "为空"),
    ("archive.docx", lambda law: _zip_bytes(), "ZIP"),
    ("binary.txt", lambda law: b"\x00\x01\x02" * 400, "二进制"),
    ("fake.docx", lambda law: "这不是Word文件".encode(), "DOCX"),
])
def test_corrupt_upload_is_refused_and_changes_nothing(corpus, corpus_client, settings,
                                                       name, make, words):
    law = (settings.corpus_dir / "docs/cleaner-production-law.pdf").read_bytes()
    before = corpus.snapshot()
    response = upload(corpus_client, name, make(law))
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "unreadable_file"
    assert words in error["message_zh"] + error["message_en"]
    assert corpus.snapshot() == before


def _zip_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def test_duplicate_id_and_bad_metadata_change_nothing(corpus, corpus_client):
    before = corpus.snapshot()
    response = upload(corpus_client, "x.txt", GREEN_FACTORY.encode(), id="cleaner-production-law")
    assert response.status_code == 409 and response.json()["error"]["code"] == "document_exists"
    response = upload(corpus_client, "x.txt", GREEN_FACTORY.encode(), kind="poem")
    assert response.status_code == 422
    response = upload(corpus_client, "x.txt", GREEN_FACTORY.encode(), date="March 2025")
    assert response.status_code == 422
    response = corpus_client.post("/v1/documents", files={"file": ("x.txt", b"abc")})
    assert response.status_code == 422 and "title" in response.json()["error"]["message_en"]
    assert corpus.snapshot() == before


def test_too_large_upload_is_413_and_changes_nothing(corpus, app_factory):
    from fastapi.testclient import TestClient

    before = corpus.snapshot()
    big = GREEN_FACTORY.encode() * 2000  # ~0.6 MB
    with TestClient(app_factory(max_upload_mb=0.1)) as client:
        response = upload(client, "big.txt", big)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "upload_too_large"

        # without Content-Length (chunked), the limit applies while reading
        def chunks():
            yield b"--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nt\r\n"
            yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
            for _ in range(40):
                yield b"x" * 10_000
            yield b"\r\n--b--\r\n"

        response = client.post("/v1/documents", content=chunks(),
                               headers={"Content-Type": "multipart/form-data; boundary=b"})
        assert response.status_code == 413, response.text
        assert response.json()["error"]["code"] == "upload_too_large"
    assert corpus.snapshot() == before


def test_delete_removes_file_manifest_entry_and_index_chunks(corpus, corpus_client):
    assert upload(corpus_client, "green-factory.txt", GREEN_FACTORY.encode()).status_code == 201
    response = corpus_client.delete("/v1/documents/green-factory")
    assert response.status_code == 200, response.text
    assert response.json()["index"]["removed"] == ["green-factory"]
    assert not (corpus.user_dir / "docs/green-factory.txt").exists()
    listed = {d["id"] for d in corpus_client.get("/v1/documents").json()["documents"]}
    assert "green-factory" not in listed
    answer = corpus_client.post("/v1/ask", json={"question": QUESTION}).json()
    assert all(c["doc_id"] != "green-factory" for c in answer["citations"])
    # a client's retry of the delete is told it is done; an id that never existed is a 404
    again = corpus_client.delete("/v1/documents/green-factory")
    assert again.status_code == 200 and again.json()["index"]["removed"] == []
    missing = corpus_client.delete("/v1/documents/never-was-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "document_not_found"
    assert corpus_client.delete("/v1/documents/..%2Fmanifest").status_code in (404, 422)


def test_reindex_is_incremental(corpus, corpus_client):
    body = corpus_client.post("/v1/documents/reindex").json()
    assert body["added"] == body["updated"] == body["removed"] == []
    assert body["unchanged"] == 11
    # a document edited on disk is picked up by a reindex, alone
    path = corpus.corpus_dir / "docs/gz-action-plan.txt"
    path.write_text(path.read_text("utf-8") + "\n附：本方案自印发之日起施行。\n", "utf-8")
    body = corpus_client.post("/v1/documents/reindex").json()
    assert body["updated"] == ["gz-action-plan"] and body["unchanged"] == 10


def test_the_bundled_corpus_stays_read_only(settings, tmp_path):
    """Uploads, deletes and hides go to the data dir: the tracked corpus/ never changes."""
    import shutil
    import subprocess

    from fastapi.testclient import TestClient

    from api.app import create_app
    from assistant.settings import Settings

    data = tmp_path / "data"
    shutil.copytree(settings.data_dir / "index", data / "index", ignore=shutil.ignore_patterns(".lock"))
    own = Settings(corpus_dir=settings.corpus_dir, data_dir=data, embedding_model="")
    tracked = {p: p.read_bytes() for p in sorted(settings.corpus_dir.rglob("*")) if p.is_file()}
    with TestClient(create_app(own)) as client:
        assert upload(client, "green-factory.txt", GREEN_FACTORY.encode()).status_code == 201
        assert client.delete("/v1/documents/green-factory").status_code == 200
        # deleting a bundled document hides it; the file and the tracked manifest stay
        assert client.delete("/v1/documents/gz-action-plan").status_code == 200
        listed = {d["id"] for d in client.get("/v1/documents").json()["documents"]}
        assert "gz-action-plan" not in listed and len(listed) == 10
        answer = client.post("/v1/ask", json={"question": "广州市清洁生产审核行动方案"}).json()
        assert all(c["doc_id"] != "gz-action-plan" for c in answer["citations"])
    assert {p: p.read_bytes() for p in sorted(settings.corpus_dir.rglob("*")) if p.is_file()} == tracked
    git = subprocess.run(["git", "status", "--porcelain", "--", str(settings.corpus_dir)],
                         capture_output=True, text=True, cwd=settings.corpus_dir)
    assert git.returncode != 0 or git.stdout == ""
    layer = (data / "corpus" / "manifest.yaml").read_text("utf-8")
    assert "gz-action-plan" in layer and "removed:" in layer
