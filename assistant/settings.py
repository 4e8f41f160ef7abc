"""Settings: one pydantic-settings object, read from CPAUDIT_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CPAUDIT_", extra="forbid", env_file=None)

    corpus_dir: Path = Field(REPO_ROOT / "corpus", description="policy documents + manifest.yaml")
    data_dir: Path = Field(REPO_ROOT / "data", description="index and vector store live here")

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

    chunk_max_chars: int = 600
    chunk_min_chars: int = 200
    top_k: int = 5
    rrf_k: int = 60

    # Inputs larger than this are refused before they are read.
    max_file_mb: float = 50.0


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
