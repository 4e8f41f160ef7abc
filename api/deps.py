"""Dependencies shared by the routes: settings, the API key check, blocking work off the loop."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, TypeVar

from fastapi import Depends, FastAPI, Header, Request

from api.errors import UnauthorizedError
from assistant import budget
from assistant.errors import WorkCancelled
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


# The threads blocking work runs in, one pool per worker process, as many as anyio's default
# limit (40). A plain executor rather than anyio's to_thread, whose capacity limiter, cancel
# scope and worker-thread bookkeeping cost ~90,000 instructions more per request (8 % of
# /v1/ask's HTTP path; benchmarks/README.md, issue 15, ninth round).
_THREADS = ThreadPoolExecutor(max_workers=40, thread_name_prefix="cpaudit-work")


async def run_blocking(fn: Callable[..., T], *args, cancellable: bool = True, **kwargs) -> T:
    """Run CPU-bound or disk-bound work in a worker thread. A cancelled await returns at once
    (the request timeout answers without waiting for the thread); a thread cannot be killed, so
    the work is told to stop: its loops call assistant.budget.checkpoint(), which raises once
    the request is cancelled. Corpus changes pass cancellable=False: an index build, once
    started, completes and is kept."""
    stop = threading.Event()

    def work() -> T:
        if not cancellable:
            return fn(*args, **kwargs)
        with budget.cancellable(stop):
            try:
                return fn(*args, **kwargs)
            except WorkCancelled:
                log.warning("stopped the work of a timed-out request (%s)",
                            getattr(fn, "__name__", "work"))
                raise

    try:
        # in a copy of the request's context, as anyio ran it (tracing spans, context vars)
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(_THREADS, context.run, work)
    except BaseException:  # cancelled (timeout, shutdown) or failed: stop the thread's work
        stop.set()
        raise


def live_index(settings: Settings) -> SearchIndex:
    """The live index generation, never built inside a request (start-up builds it): no index,
    or a damaged one with nothing to fall back to, is a 503 that names the fix."""
    return open_index(settings)


ApiKeyHeader = Annotated[str | None, Header(description="API key (when one is configured)")]
BearerHeader = Annotated[str | None, Header(include_in_schema=False)]


async def require_api_key(api: CoreSettings, x_api_key: ApiKeyHeader = None,
                          authorization: BearerHeader = None) -> None:
    """Write endpoints need the configured key, sent as `X-API-Key` or `Authorization: Bearer`.
    Async: no thread hop for a comparison of two strings."""
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


async def require_key_for_reports(api: CoreSettings, x_api_key: ApiKeyHeader = None,
                                  authorization: BearerHeader = None) -> None:
    """Report checks and reviews need the key too when one is set, unless the operator opened
    them (CPAUDIT_REPORTS_NEED_KEY=false): each reads a whole file and takes seconds of CPU."""
    if api.reports_need_key:
        await require_api_key(api, x_api_key, authorization)


ReportAccess = Depends(require_key_for_reports)
