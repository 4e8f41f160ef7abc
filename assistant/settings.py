"""Settings: one object, read from CPAUDIT_* environment variables by pydantic-settings.

pydantic-settings (with the asyncio it imports) costs a quarter of a second of CPU at every
start, more than answering a question. So `get_settings()` keeps what it read, as JSON, in
the cache directory under a fingerprint of the raw environment it read (every CPAUDIT_*
variable in any case, HOME and XDG_CACHE_HOME for the default cache directory), of this file
and of the installed pydantic-settings: a later process with the same environment validates
that JSON into the same `Settings` with plain pydantic. Any change of the environment is a new
fingerprint, read by pydantic-settings again. `Settings(...)` itself always reads the
environment (values given come first), as before.
"""

from __future__ import annotations

import json
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

REPO_ROOT = Path(__file__).resolve().parent.parent


def _user_cache() -> Path:
    """$XDG_CACHE_HOME/cpaudit, else ~/.cache/cpaudit, else the default data dir's cache."""
    base = os.environ.get("XDG_CACHE_HOME")
    try:
        return (Path(base) if base else Path.home() / ".cache") / "cpaudit"
    except RuntimeError:  # no home directory
        return REPO_ROOT / "data" / "cache"


class _Fields(BaseModel):
    """Every setting, its type and default; the environment is read by `_from_environment`."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

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
    # A plain default (pydantic copies it), not `default_factory=list`: building the schema
    # asks `inspect.signature(list)`, which compiles the tokenize module's patterns (~10 M
    # instructions of every start) to read the builtin's text signature.
    cors_origins: list[str] = []  # read whole (`_from_environment`)
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


class Settings(_Fields):
    def __init__(self, **values: object) -> None:
        """The environment's values, with those given here first (pydantic-settings)."""
        super().__init__(**_from_environment(values))


ENV_PREFIX = "cpaudit_"


@lru_cache(maxsize=1)
def _environment_reader() -> type:
    from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

    class FromEnvironment(BaseSettings, _Fields):
        model_config = SettingsConfigDict(env_prefix=ENV_PREFIX.upper(), extra="forbid",
                                          env_file=None)
        # a comma-separated list in the variable, not JSON: split by _split_origins
        cors_origins: Annotated[list[str], NoDecode] = []

    return FromEnvironment


def _from_environment(values: dict[str, object]) -> dict[str, object]:
    read = _environment_reader()(**values)
    return {name: getattr(read, name) for name in _Fields.model_fields}


log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings; what pydantic-settings read from this same environment before,
    when the cache directory holds it (see the module's note)."""
    kept = _kept_settings_file()
    if kept is not None:
        try:  # validated by the same fields; Settings' own validation would read the environment
            read = _Fields.model_validate_json(kept.read_bytes())
            return Settings.model_construct(**read.__dict__)
        except (OSError, ValueError, ValidationError):
            pass
    settings = Settings()
    if kept is not None:
        _keep(kept, settings)
    return settings


# Environments kept at once: the CLI, `serve` with its API key, a checkout beside another
# each keep their own file instead of replacing each other's at every start.
_KEPT_ENVIRONMENTS = 8


def _keep(path: Path, settings: Settings) -> None:
    from assistant.derived import replace_file

    try:
        replace_file(path, [settings.model_dump_json().encode("utf-8")])
        others = sorted(path.parent.glob("settings-*.json"), key=lambda p: p.stat().st_mtime_ns)
        for stale in others[:-_KEPT_ENVIRONMENTS]:
            stale.unlink(missing_ok=True)
    except (OSError, ValueError) as exc:  # unwritable, a file another process removed,
        log.debug("cannot keep the settings in %s (%s)", path.parent, exc)  # not JSON-able


def _kept_settings_file() -> Path | None:
    """Where the settings read from this environment are kept; None: not kept (no HOME, the
    cache directory named twice in different cases, or named empty)."""
    from importlib.util import find_spec

    from assistant.derived import fingerprint

    home = os.environ.get("HOME")
    ours = sorted((k, v) for k, v in os.environ.items() if k.lower().startswith(ENV_PREFIX))
    named = [v for k, v in ours if k.lower() == ENV_PREFIX + "cache_dir"]
    spec = find_spec("pydantic_settings")
    if home is None or len(named) > 1 or (named and not named[0].strip()) or spec is None \
            or spec.origin is None:
        return None
    where = Path(named[0]) if named else _user_cache()
    environment = json.dumps([ours, home, os.environ.get("XDG_CACHE_HOME"), __file__])
    fp = fingerprint([Path(spec.origin)], __file__, environment.encode("utf-8"))
    return where / f"settings-{fp}.json"
