"""Dense retrieval: a sentence-transformers model and a Chroma collection, both optional.

No machine here reaches a model hub, so a model is used only when it is already on disk: a
local directory, or a copy in the Hugging Face cache. Anything else means lexical-only mode,
decided before torch is ever imported, so lexical mode starts fast. Vectors are keyed by chunk
id and text hash: a vector never goes stale, and the index generation decides which are live.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from assistant.lexical import field_fingerprint, indexed_text
from assistant.models import Chunk, DocumentMeta
from assistant.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class ModelLocation:
    path: Path | None
    reason: str  # why there is no model, in a sentence a user can act on


def locate_model(name: str) -> ModelLocation:
    if not name:
        return ModelLocation(None, "未配置向量模型（CPAUDIT_EMBEDDING_MODEL 为空）")
    local = Path(name).expanduser()
    if local.is_dir():
        return ModelLocation(local, "")
    if "/" in name:
        hub = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "hub"
        snapshots = hub / f"models--{name.replace('/', '--')}" / "snapshots"
        found = sorted(snapshots.glob("*/config.json")) if snapshots.is_dir() else []
        if found:
            return ModelLocation(found[-1].parent, "")
    return ModelLocation(
        None,
        f"向量模型 {name} 不在本机（无法联网下载）；请将模型下载到本地并把 CPAUDIT_EMBEDDING_MODEL "
        f"设为其目录 / embedding model {name} is not on this machine; download it and point "
        "CPAUDIT_EMBEDDING_MODEL at its directory",
    )


class Embedder:
    def __init__(self, name: str, path: Path, device: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer  # imports torch: slow, so late

        self.name = name
        self.model = SentenceTransformer(str(path), device=device)
        # BGE Chinese models want an instruction in front of short queries.
        self.query_prefix = "为这个句子生成表示以用于检索相关文章：" if "bge" in name.lower() \
            and "zh" in name.lower() else ""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.encode(texts, batch_size=32, normalize_embeddings=True).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.model.encode([self.query_prefix + text], normalize_embeddings=True)[0].tolist()


def load_embedder(settings: Settings) -> tuple[Embedder | None, str]:
    """The embedder, or None and the reason for lexical-only mode. Never raises."""
    location = locate_model(settings.embedding_model)
    if location.path is None:
        return None, location.reason
    try:
        return Embedder(settings.embedding_model, location.path, settings.embedding_device), ""
    except Exception as exc:  # a broken model directory must not take the assistant down
        log.warning("embedding model failed to load: %s", exc)
        return None, f"向量模型加载失败 / embedding model failed to load: {exc}"


def vector_key(chunk: Chunk) -> str:
    # The fields embedded with the text (assistant/lexical.py) are part of what is embedded.
    embedded = f"{field_fingerprint()}\n{chunk.text}" if field_fingerprint() else chunk.text
    return f"{chunk.id}@{hashlib.sha1(embedded.encode()).hexdigest()[:12]}"


def chroma_client(settings: Settings):
    """The embedded store under data_dir, or the Chroma server at CPAUDIT_CHROMA_URL."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    options = ChromaSettings(anonymized_telemetry=False)
    if not settings.chroma_url:
        return chromadb.PersistentClient(path=str(settings.data_dir / "chroma"), settings=options)
    from urllib.parse import urlparse

    url = urlparse(settings.chroma_url)
    https = url.scheme == "https"
    return chromadb.HttpClient(host=url.hostname or "127.0.0.1",
                               port=url.port or (443 if https else 8000), ssl=https,
                               settings=options)


class VectorStore:
    """The Chroma collection for one embedding model."""

    def __init__(self, settings: Settings, model_name: str) -> None:
        client = chroma_client(settings)
        slug = hashlib.sha1(model_name.encode()).hexdigest()[:10]
        self.collection = client.get_or_create_collection(
            f"chunks-{slug}", metadata={"hnsw:space": "cosine", "model": model_name}
        )

    def missing(self, keys: list[str]) -> set[str]:
        present: set[str] = set()
        for i in range(0, len(keys), 5000):
            present.update(self.collection.get(ids=keys[i:i + 5000], include=[])["ids"])
        return set(keys) - present

    def add(self, chunks: list[Chunk], docs: dict[str, DocumentMeta], embedder: Embedder,
            progress=None) -> None:
        batch = 64
        for i in range(0, len(chunks), batch):
            part = chunks[i:i + batch]
            self.collection.upsert(
                ids=[vector_key(c) for c in part],
                embeddings=embedder.embed_documents(
                    [indexed_text(docs[c.doc_id], c) for c in part]),
                metadatas=[{
                    "doc_id": c.doc_id, "region": docs[c.doc_id].region,
                    "kind": docs[c.doc_id].kind,
                } for c in part],
            )
            if progress:
                progress(len(part))

    def prune(self, live_keys: set[str], doc_ids: set[str]) -> None:
        """Delete the vectors of these documents that the live index no longer uses."""
        for doc_id in doc_ids:
            ids = self.collection.get(where={"doc_id": doc_id}, include=[])["ids"]
            stale = [k for k in ids if k not in live_keys]
            if stale:
                self.collection.delete(ids=stale)

    def query(self, vector: list[float], n: int, where: dict | None) -> list[str]:
        result = self.collection.query(
            query_embeddings=[vector], n_results=n, where=where or None, include=["distances"]
        )
        return result["ids"][0]
