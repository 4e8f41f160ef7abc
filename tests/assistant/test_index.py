"""The on-disk index: incremental builds, atomic swaps, interrupted builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support.corpora import corpus_subset, write_manifest

from assistant.corpus import load_manifest
from assistant.index import build_index
from assistant.live_index import live_generation
from assistant.retrieve import load_index, retrieve
from assistant.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SMALL = ["cleaner-production-law", "gz-action-plan", "gx-plan-2021"]


def current_generation(settings: Settings):
    return live_generation(settings).gen


@pytest.fixture
def small_corpus(tmp_path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus_subset(corpus, SMALL)
    return Settings(corpus_dir=corpus, data_dir=tmp_path / "data", embedding_model="")


def _chunk_ids(settings: Settings, doc_id: str) -> list[str]:
    return [c.id for c in load_index(settings).chunks if c.doc_id == doc_id]


def test_first_build_then_nothing_to_do(small_corpus):
    first = build_index(small_corpus)
    assert sorted(first.added) == sorted(SMALL) and first.mode == "lexical"
    second = build_index(small_corpus)
    assert sorted(second.unchanged) == sorted(SMALL)
    assert not (second.added or second.updated or second.removed)
    assert second.generation == first.generation  # the live index was left alone


def test_changing_one_document_touches_only_its_chunks(small_corpus):
    build_index(small_corpus)
    before = load_index(small_corpus)
    law_chunks = [c for c in before.chunks if c.doc_id == "cleaner-production-law"]
    path = small_corpus.corpus_dir / "docs" / "gz-action-plan.txt"
    path.write_text(path.read_text("utf-8") + "\n（十二）新增条款。企业应当每年报送清洁生产年报。\n",
                    "utf-8")
    report = build_index(small_corpus)
    assert report.updated == ["gz-action-plan"]
    assert sorted(report.unchanged) == ["cleaner-production-law", "gx-plan-2021"]
    after = load_index(small_corpus)
    assert [c for c in after.chunks if c.doc_id == "cleaner-production-law"] == law_chunks
    hits = retrieve(after, "清洁生产年报").passages
    assert hits and hits[0].doc_id == "gz-action-plan" and "年报" in hits[0].text


def test_adding_and_removing_a_document(small_corpus):
    build_index(small_corpus)
    docs = load_manifest(small_corpus.corpus_dir)
    extra = next(d for d in load_manifest(CORPUS) if d.id == "eia-law")
    shutil.copy(CORPUS / extra.file, small_corpus.corpus_dir / extra.file)
    write_manifest(small_corpus.corpus_dir, docs + [extra])
    added = build_index(small_corpus)
    assert added.added == ["eia-law"] and len(added.unchanged) == 3
    assert retrieve(load_index(small_corpus), "环境影响报告书").passages[0].doc_id == "eia-law"

    write_manifest(small_corpus.corpus_dir, [d for d in docs if d.id != "gx-plan-2021"])
    removed = build_index(small_corpus)
    assert removed.removed == ["eia-law", "gx-plan-2021"]
    assert _chunk_ids(small_corpus, "gx-plan-2021") == []


def test_interrupted_build_leaves_the_previous_index_usable(small_corpus, monkeypatch):
    build_index(small_corpus)
    live = current_generation(small_corpus)
    path = small_corpus.corpus_dir / "docs" / "gz-action-plan.txt"
    path.write_text(path.read_text("utf-8") + "\n追加内容。\n", "utf-8")

    import bm25s

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # the user pressed Ctrl-C while the index was being written

    monkeypatch.setattr(bm25s.BM25, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index(small_corpus)
    assert current_generation(small_corpus) == live
    answer = retrieve(load_index(small_corpus), "强制性清洁生产审核").passages
    assert answer, "the previous generation still answers"
    # An interrupted build removes its partial generation (what kill -9 leaves is removed by the
    # next build or start-up: tests/reliability/test_state_crash.py).
    assert not list((small_corpus.data_dir / "index").glob(".building-*"))

    monkeypatch.undo()
    report = build_index(small_corpus)
    assert report.updated == ["gz-action-plan"]


def test_corrupt_manifest_entry_is_reported(small_corpus):
    manifest = small_corpus.corpus_dir / "manifest.yaml"
    data = yaml.safe_load(manifest.read_text("utf-8"))
    data["documents"][0]["kind"] = "poem"
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    from assistant.errors import CorpusError

    with pytest.raises(CorpusError) as info:
        build_index(small_corpus)
    assert "清单" in info.value.zh


@pytest.mark.parametrize("text", ["documents: [\n  - id: x\n  bad indent", "documents:\n  - just a string\n"])
def test_broken_manifest_is_a_clear_error(small_corpus, text, capsys, monkeypatch):
    (small_corpus.corpus_dir / "manifest.yaml").write_text(text, "utf-8")
    from assistant.errors import CorpusError

    with pytest.raises(CorpusError):
        build_index(small_corpus)
    from assistant.cli import main

    monkeypatch.setenv("CPAUDIT_CORPUS_DIR", str(small_corpus.corpus_dir))
    monkeypatch.setenv("CPAUDIT_DATA_DIR", str(small_corpus.data_dir))
    from assistant.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["index", "--quiet"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "语料清单" in err and "Traceback" not in err


def test_field_index_read_back_from_the_data_directory_is_the_one_built(index):
    """The article-field BM25 (assistant.lexical.FieldIndex) is kept in the index's data dir
    after its first build; what the next process reads back is the same, array for array."""
    import numpy as np

    from assistant.lexical import FieldIndex
    from assistant.tokenize import tokenize

    built = FieldIndex.__new__(FieldIndex)
    built._build(index)
    FieldIndex(index)  # builds and keeps it, or reads what an earlier test kept
    stored = FieldIndex(index)
    assert list(index.settings.data_dir.glob("cache/fields-*.npz"))
    assert stored.vocab == built.vocab and np.array_equal(stored.rows, built.rows)
    assert built.matrix is not None
    for key in ("data", "indices", "indptr"):
        assert stored.matrix[key].dtype == built.matrix[key].dtype
        assert np.array_equal(stored.matrix[key], built.matrix[key])
    assert stored.matrix["num_docs"] == built.matrix["num_docs"]
    tokens = tokenize("清洁生产促进法 法律责任")
    assert np.array_equal(stored.field_doc_scores(tokens), built.field_doc_scores(tokens))


def _files_table(settings: Settings) -> dict[str, str]:
    return {name: rec.sha256 for name, rec in live_generation(settings).meta.files.items()}


def test_pool_build_writes_the_same_files_as_the_in_process_build(tmp_path):
    # Worker processes number tokens per document; the parent must turn them into the ids
    # the in-process loop assigns, in document order, or the files differ byte for byte.
    corpus = tmp_path / "corpus"
    corpus_subset(corpus, SMALL)
    alone = Settings(corpus_dir=corpus, data_dir=tmp_path / "alone", embedding_model="")
    pooled = Settings(corpus_dir=corpus, data_dir=tmp_path / "pooled", embedding_model="")
    build_index(alone, use_dense=False)
    report = build_index(pooled, use_dense=False, pool_threshold=0)
    assert sorted(report.added) == sorted(SMALL)
    assert _files_table(pooled) == _files_table(alone)
    assert len(_files_table(alone)) >= 4


def test_an_index_built_not_durably_is_the_same_and_waits_for_no_disk(tmp_path, monkeypatch):
    """`cpaudit eval` builds its index in a temporary directory with durable=False: the same
    files, but no fsync (0.1–0.2 s of every eval on a busy disk); a normal build syncs."""
    import os

    corpus = tmp_path / "corpus"
    corpus_subset(corpus, SMALL[:1])
    durable = Settings(corpus_dir=corpus, data_dir=tmp_path / "durable", embedding_model="")
    quick = Settings(corpus_dir=corpus, data_dir=tmp_path / "quick", embedding_model="")
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    build_index(durable, use_dense=False)
    assert synced
    synced.clear()
    build_index(quick, use_dense=False, durable=False)
    assert synced == []
    assert _files_table(quick) == _files_table(durable)
    assert [c.id for c in load_index(quick).chunks] == [c.id for c in load_index(durable).chunks]


def test_a_change_to_jiebas_dictionary_retokenizes_every_document(small_corpus, tmp_path,
                                                                    monkeypatch):
    """jieba's dict.txt scores every segmentation: an upgrade that changes it must rebuild
    the index, as a change to our user words does (assistant.tokenize.tokenizer_fingerprint)."""
    from assistant import jieba_dict
    from assistant.tokenize import tokenizer_fingerprint

    source = jieba_dict.jieba_dict_path()
    if source is None:
        pytest.skip("jieba's dict.txt is not installed")
    copy = tmp_path / "dict.txt"
    shutil.copy2(source, copy)
    monkeypatch.setattr(jieba_dict, "jieba_dict_path", lambda: copy)
    build_index(small_corpus)
    before = tokenizer_fingerprint()
    assert sorted(build_index(small_corpus).unchanged) == sorted(SMALL)
    with open(copy, "a", encoding="utf-8") as out:
        out.write("清洁生产审核师 30 n\n")
    assert tokenizer_fingerprint() != before
    assert sorted(build_index(small_corpus).updated) == sorted(SMALL)
