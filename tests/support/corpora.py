"""Small corpora for tests: a subset of the repository's corpus copied to a temporary
directory, with its manifest written as an operator would (cpaudit never writes one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from assistant.corpus import load_manifest
from assistant.models import DocumentMeta

REPO_CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def write_manifest(corpus_dir: Path, docs: list[DocumentMeta]) -> None:
    body = {"documents": [d.model_dump(exclude_none=True) for d in docs]}
    (corpus_dir / "manifest.yaml").write_text(yaml.safe_dump(body, allow_unicode=True), "utf-8")


def corpus_subset(target: Path, ids: list[str], source: Path = REPO_CORPUS) -> list[DocumentMeta]:
    """Copy these documents of `source` and a manifest listing them into `target`."""
    docs = [d for d in load_manifest(source) if d.id in ids]
    (target / "docs").mkdir(parents=True)
    for doc in docs:
        shutil.copy(source / doc.file, target / doc.file)
    write_manifest(target, docs)
    return docs
