"""Settings: one pydantic-settings object, read from CPAUDIT_* environment variables."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


def _user_cache() -> Path:
    """$XDG_CACHE_HOME/cpaudit, else ~/.cache/cpaudit, else the default data dir's cache."""
    base = os.environ.get("XDG_CACHE_HOME")
    try:
        return (Path(base) if base else Path.home() / ".cache") / "cpaudit"
    except RuntimeError:  # no home directory
        return REPO_ROOT / "data" / "cache"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CPAUDIT_", extra="forbid", env_file=None)

    # The bundled corpus is read only at run time; what users upload or delete lives in
    # data_dir/corpus (assistant.corpus_layers).
    corpus_dir: Path = Field(REPO_ROOT / "corpus",
                             description="bundled policy documents + manifest.yaml (read only)")
    data_dir: Path = Field(REPO_ROOT / "data",
                           description="index, vector store and the user's documents live here")
    # Rebuildable files derived from the installation, not from any data dir (assistant.derived):
    # the tokenizer's compact dictionary, the gazetteer's tables, parsed data files.
    cache_dir: Path = Field(default_factory=_user_cache,
                            description="files derived from the installed data, rebuilt at will")

    # Dense retrieval. A hub name only works where the model is already cached; a local path
    # always works. Set to "" to force lexical-only mode.
    embedding_model: str = "BAAI/bge-small-zh-v1.5"
    embedding_device: str = "cpu"
    # Vector store: unset → embedded Chroma under data_dir/chroma (one process at a time);
    # a URL such as http://127.0.0.1:8001 → a Chroma server (`chroma run`) that several API
    # workers or hosts can share.
    chroma_url: str | None = None

    # LLM: any OpenAI-compatible endpoint (DeepSeek, Qwen compatible mode, vLLM, Ollama,
    # llama.cpp server). Unset base URL → no LLM, extractive answers.
    llm_base_url: str | None = None
    llm_model: str = "deepseek-chat"
    llm_api_key: str | None = None
    llm_timeout: float = 30.0
    llm_temperature: float = 0.1

    # Answering thresholds, weights and question patterns; unset → assistant/data/answering.yaml.
    tuning_file: Path | None = None

    chunk_max_chars: int = 600
    chunk_min_chars: int = 200
    top_k: int = 5
    rrf_k: int = 60

    # Inputs larger than this are refused before they are read.
    max_file_mb: float = 50.0
    # Budgets of one document (a report or a corpus upload), enforced by the loader as it reads
    # (assistant.budget): work stops at the first excess. A 300-page report holds about 300,000
    # characters; a DOCX inflates to a few MB of XML.
    max_pages: int = Field(1000, gt=0)
    max_document_chars: int = Field(1_000_000, gt=0)
    max_unpacked_mb: float = Field(100.0, gt=0, description="a DOCX package, inflated")

    # HTTP service (cpaudit serve). When api_key is set, write endpoints (corpus changes) need
    # `X-API-Key: <key>` or `Authorization: Bearer <key>`; unset, they are open, as on a
    # single-user machine.
    api_key: str | None = None
    # With a key set, report checks and reviews need it too (they read whole files and take
    # seconds of CPU each); false keeps them open while corpus changes stay protected.
    reports_need_key: bool = True
    max_upload_mb: float = Field(20.0, gt=0, description="largest accepted upload")
    # Origins allowed to call the API from a browser, comma-separated or a JSON list; empty
    # means same-origin only, which is all the bundled web UI needs.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    request_timeout: float = Field(60.0, gt=0, description="seconds per request")
    # Corpus changes rebuild the index, which with a dense model can take minutes.
    index_timeout: float = Field(900.0, gt=0, description="seconds per corpus-changing request")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
