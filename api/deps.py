"""Dependencies shared by the routes: settings, the API key check, blocking work off the loop."""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable
from typing import Annotated, TypeVar

import anyio
from fastapi import Depends, FastAPI, Header, Request

from api.errors import UnauthorizedError
from assistant.retrieve import SearchIndex
from assistant.service import open_index
from assistant.settings import Settings, get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")


def app_settings_of(app: FastAPI) -> Settings:
    """The settings the app was created with (`create_app(settings)`), else the environment's."""
    return getattr(app.state, "settings", None) or get_settings()


async def app_settings(request: Request) -> Settings:
    """The app's settings, for the routes: the same ones its start-up used. Async so that
    FastAPI calls it on the event loop instead of hopping to a worker thread per request."""
    return app_settings_of(request.app)


CoreSettings = Annotated[Settings, Depends(app_settings)]


async def run_blocking(fn: Callable[..., T], *args, **kwargs) -> T:
    """Run CPU-bound or disk-bound work in a worker thread. abandon_on_cancel lets the request
    timeout answer at once instead of waiting for the thread to finish."""
    return await anyio.to_thread.run_sync(
        functools.partial(fn, *args, **kwargs), abandon_on_cancel=True
    )


def live_index(settings: Settings) -> SearchIndex:
    """The live index generation, never built inside a request (start-up builds it): no index,
    or a damaged one with nothing to fall back to, is a 503 that names the fix."""
    return open_index(settings)


async def require_api_key(  # async: no thread hop for a comparison of two strings
    api: CoreSettings,
    x_api_key: Annotated[str | None, Header(description="API key (when one is configured)")]
    = None,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> None:
    """Write endpoints need the configured key, sent as `X-API-Key` or `Authorization: Bearer`."""
    if not api.api_key:
        return
    given = x_api_key
    if given is None and authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if given is None or not secrets.compare_digest(given.encode(), api.api_key.encode()):
        raise UnauthorizedError(
            "此操作需要有效的 API 密钥。" if given is None else "API 密钥不正确。",
            "This operation needs a valid API key." if given is None else "Wrong API key.",
            hint_zh="请在请求头 X-API-Key 中提供密钥（网页端：在“政策文件库”页填写）。",
            hint_en="Send it in the X-API-Key header (web UI: enter it on the corpus page).",
        )


WriteAccess = Depends(require_api_key)
