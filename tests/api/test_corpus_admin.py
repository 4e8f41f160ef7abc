"""assistant.corpus_admin: validation before writing, rollback when the build fails."""

from __future__ import annotations

import pytest

from assistant import corpus_admin
from assistant.corpus_admin import NewDocument, derive_id, safe_filename
from assistant.errors import UnreadableFileError
from assistant.settings import get_settings

TEXT = "某市关于清洁生产审核的通知\n\n一、工作要求\n重点企业应当在两年内完成清洁生产审核并公布结果。\n"
NEW = NewDocument(title="某市通知", issuer="某市", region="某市", kind="notice")


def test_failed_build_rolls_the_corpus_back(corpus, monkeypatch):
    before = corpus.snapshot()

    def broken_build(settings, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(corpus_admin, "build_index", broken_build)
    with pytest.raises(OSError):
        corpus_admin.add_document(get_settings(), TEXT.encode(), "n.txt", NEW)
    with pytest.raises(OSError):
        corpus_admin.remove_document(get_settings(), "gz-action-plan")
    assert corpus.snapshot() == before


def test_nothing_is_written_for_an_unreadable_file(corpus, monkeypatch):
    before = corpus.snapshot()
    monkeypatch.setattr(corpus_admin, "write_durably", lambda *a: pytest.fail("wrote a file"))
    with pytest.raises(UnreadableFileError):
        corpus_admin.add_document(get_settings(), b"%PDF-1.7 broken", "a.pdf", NEW)
    assert corpus.snapshot() == before


def test_ids_and_names():
    assert safe_filename("../../a/b\\c<d>.txt") == "c_d_.txt"
    assert safe_filename("") == "upload"
    assert derive_id("Green Factory 2025.txt", b"x", set()) == "green-factory-2025"
    assert derive_id("绿色工厂.txt", b"x", set()).startswith("doc-")
    assert derive_id("notice.txt", b"x", {"notice", "notice-2"}) == "notice-3"
