"""Settings of the HTTP service, read from CPAUDIT_* environment variables.

They live apart from assistant.settings because only the service needs them; the corpus,
index and LLM settings stay in assistant.settings and are shared with the CLI.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ApiSettings(BaseSettings):
    # extra="ignore": the CPAUDIT_ prefix is shared with assistant.settings.Settings, so the
    # environment legitimately holds variables that belong to the other class.
    model_config = SettingsConfigDict(env_prefix="CPAUDIT_", extra="ignore", env_file=None)

    # When set, write endpoints (corpus changes) need `X-API-Key: <key>` or
    # `Authorization: Bearer <key>`. Unset: open, as on a single-user machine.
    api_key: str | None = Field(None, description="API key required on write endpoints")
    max_upload_mb: float = Field(20.0, gt=0, description="largest accepted upload")
    # Comma-separated list (or JSON list) of origins allowed to call the API from a browser;
    # empty means same-origin only, which is all the bundled web UI needs.
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
                import json

                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


@lru_cache(maxsize=1)
def get_api_settings() -> ApiSettings:
    return ApiSettings()
