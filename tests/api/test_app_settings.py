"""create_app(Settings(...)): the settings given are the ones used, start-up included — the
first-start index is built from that corpus into that data dir, and every route reads them."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]


def one_document_corpus(target: Path) -> Path:
    """A corpus holding only the Guangxi plan (small, plain text)."""
    manifest = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text("utf-8"))
    manifest["documents"] = [d for d in manifest["documents"] if d["id"] == "gx-plan-2021"]
    (target / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "docs" / "gx-plan-2021.txt", target / "docs")
    (target / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), "utf-8")
    return target


def test_start_up_and_routes_use_the_injected_settings(settings, tmp_path, monkeypatch):
    # The process's global settings point elsewhere: nothing may be built or read there.
    elsewhere = tmp_path / "global-data"
    monkeypatch.setenv("CPAUDIT_DATA_DIR", str(elsewhere))
    get_settings.cache_clear()
    try:
        injected = Settings(corpus_dir=one_document_corpus(tmp_path / "corpus"),
                            data_dir=tmp_path / "data")
        with TestClient(create_app(injected)) as client:
            # start-up (prepare_index) built the first index from the injected corpus and dir
            assert (tmp_path / "data" / "index" / "CURRENT").is_file()
            assert not elsewhere.exists()
            body = client.get("/v1/status").json()
            assert body["documents"] == 1
            documents = client.get("/v1/documents").json()["documents"]
            assert [d["id"] for d in documents] == ["gx-plan-2021"]
            answer = client.post("/v1/ask", json={"question": "广西清洁生产审核工作的目标是什么？"})
            assert answer.status_code == 200, answer.text
            assert {c["doc_id"] for c in answer.json()["citations"]} <= {"gx-plan-2021"}
        assert not elsewhere.exists()
    finally:
        get_settings.cache_clear()
