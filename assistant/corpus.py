"""The policy corpus: corpus/manifest.yaml and the documents it lists (read only: what a user
adds or deletes lives in the data directory, assistant.corpus_layers)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from assistant.datafile import is_syntax_error, parse_yaml
from assistant.errors import CorpusError
from assistant.models import DocumentMeta

MANIFEST = "manifest.yaml"


def load_manifest(corpus_dir: Path) -> list[DocumentMeta]:
    path = corpus_dir / MANIFEST
    if not path.is_file():
        from assistant.lawlib import is_law_library, scan_library

        if is_law_library(corpus_dir):  # the national law library needs no manifest
            return scan_library(corpus_dir)
        raise CorpusError(
            f"找不到语料清单：{path}", f"Corpus manifest not found: {path}",
            hint_zh="请检查 CPAUDIT_CORPUS_DIR 设置。", hint_en="Check CPAUDIT_CORPUS_DIR.",
        )
    try:
        raw = parse_yaml(path.read_text("utf-8"), source=path) or {}
    except Exception as exc:
        if not is_syntax_error(exc):
            raise
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise CorpusError(
            f"语料清单不是有效的 YAML（{where}）：{path}",
            f"The corpus manifest is not valid YAML ({'line ' + str(mark.line + 1) if mark else ''}): "
            f"{path}",
            hint_zh="请修正该文件的格式。", hint_en="Fix the file's syntax.",
        ) from exc
    entries = raw.get("documents") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CorpusError(
            f"语料清单格式不对：应为 documents: 下的条目列表，每条包含 id、title 等字段：{path}",
            f"The manifest must hold `documents:`, a list of entries with id, title, …: {path}",
        )
    documents = []
    for entry in entries:
        entry = {k: (str(v) if k == "date" and v is not None else v) for k, v in entry.items()}
        try:
            documents.append(DocumentMeta(**entry))
        except ValidationError as exc:
            raise CorpusError(
                f"语料清单条目有误（{entry.get('id', '?')}）：{exc.errors()[0]['msg']}",
                f"Bad manifest entry ({entry.get('id', '?')}): {exc.errors()[0]['msg']}",
                hint_zh=f"请修改 {path}。", hint_en=f"Fix {path}.",
            ) from exc
    ids = [d.id for d in documents]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CorpusError(
            f"语料清单中有重复的文档编号：{', '.join(duplicates)}",
            f"Duplicate document ids in the manifest: {', '.join(duplicates)}",
        )
    for doc in documents:
        if not (corpus_dir / doc.file).is_file():
            raise CorpusError(
                f"清单列出的文件不存在：{doc.file}（{doc.id}）",
                f"File listed in the manifest does not exist: {doc.file} ({doc.id})",
                hint_zh="请补充文件或从清单中删除该条目。",
                hint_en="Add the file or remove the entry.",
            )
    return documents


def content_hash(path: Path, doc: DocumentMeta, salt: str) -> str:
    """Changes when the file, its metadata or the chunking rules change."""
    h = hashlib.sha256(salt.encode())
    h.update(doc.model_dump_json().encode())
    h.update(path.read_bytes())
    return h.hexdigest()[:20]
