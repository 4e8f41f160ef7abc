"""The FastAPI application: `create_app(settings)`, also the factory uvicorn's workers call
(`uvicorn api.app:create_app --factory`). The app keeps no per-user state: conversation history
travels with each request and the index lives on disk, so any number of workers can serve it.
"""

from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

from api.deps import app_settings_of, run_blocking
from api.errors import install_error_handlers
from api.middleware import BodyLimitMiddleware, JSONCORSMiddleware, TimeoutMiddleware
from api.routes import (
    ask,
    docs_page,
    documents,
    feedback,
    openai_compat,
    report_exports,
    reports,
    system,
    viewer,
)
from api.same_origin import SameOriginMiddleware
from assistant import __version__
from assistant.settings import Settings, get_settings

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
# Multipart framing and form fields come on top of the file itself.
_FORM_OVERHEAD = 64 * 1024

DESCRIPTION = """清洁生产审核助手 HTTP 接口：带引用的政策问答、政策文件库管理、报告预审，
以及 OpenAI 兼容的 `/v1/chat/completions`。错误统一为
`{"error": {"code", "message_zh", "message_en", "message"}}`。
写操作在配置了 `CPAUDIT_API_KEY` 时需要请求头 `X-API-Key`。"""


def prepare_index(settings: Settings | None = None, *, show_progress: bool = False,
                  wait: bool = True) -> None:
    """Reconcile at start-up (assistant.startup): recover an interrupted corpus change, remove
    what interrupted builds left, and build the index on first start or when it is damaged, so
    a fresh install answers its first question and no request ever builds."""
    from assistant.startup import prepare

    prepare(settings or get_settings(), wait=wait, show_progress=show_progress)


# Asks for a quantity: the answer's part-of-speech tags and number patterns load with it.
WARM_UP_QUESTION = "清洁生产审核报告应当在多少日内报送？"


def warm_up(settings: Settings | None = None) -> None:
    """Load the index, the tokenizer's whole dictionary, and in hybrid mode the embedding
    model, before the first request: a worker is then ready when it says so, and no user waits
    for torch to import or for the dictionary to be built. One extractive answer loads what
    answering loads on first use (tags, patterns, models: ~0.1 s of the first request)."""
    from assistant.retrieve import load_index, retrieve
    from assistant.service import ask
    from assistant.tokenize import build_full_dictionary

    settings = settings or get_settings()
    build_full_dictionary()
    index = load_index(settings)
    retrieve(index, "清洁生产审核")
    ask(WARM_UP_QUESTION, settings=settings, index=index, use_llm=False)


@asynccontextmanager
async def lifespan(app: FastAPI):
    settings = app_settings_of(app)  # the injected ones, never the global ones instead
    try:
        # Usually `cpaudit serve` did this before the workers started; a worker that uvicorn
        # restarts after a crash recovers what it left.
        await run_blocking(prepare_index, settings, wait=False)
        await run_blocking(warm_up, settings)
    except Exception as exc:  # serve anyway: /v1/status and the errors tell the user what's wrong
        log.error("index not ready at startup: %s", exc)
    # What start-up loaded (modules, the index) lives as long as the worker: frozen, the garbage
    # collector's full passes skip it. Such a pass holds the interpreter, event loop included,
    # while it walks every object (0.6 s during a 380,000-character check, benchmarks/README.md).
    gc.freeze()
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app with `settings` used everywhere: start-up, every route (`api.deps.CoreSettings`)
    and the middleware limits. Without them, the environment's (`get_settings()`, read when
    used, so tests may change it)."""
    api = settings or get_settings()
    app = FastAPI(title="cpaudit 清洁生产审核助手", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)  # /docs: docs_page
    app.state.settings = settings
    install_error_handlers(app)
    for router in (system.router, ask.router, feedback.router, documents.router, viewer.router,
                   reports.router, report_exports.router, openai_compat.router,
                   docs_page.router):
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def timeout_for(scope: Scope) -> float:
        writes = scope["method"] in ("POST", "DELETE") and scope["path"].startswith(
            "/v1/documents")
        return api.index_timeout if writes else api.request_timeout

    # Last added is outermost: CORS wraps everything, so even a 413/504 carries its headers.
    app.add_middleware(BodyLimitMiddleware, max_bytes=api.max_upload_bytes + _FORM_OVERHEAD,
                       limit_mb=api.max_upload_mb)
    app.add_middleware(TimeoutMiddleware, timeout_for=timeout_for)
    app.add_middleware(SameOriginMiddleware, allowed_origins=api.cors_origins)
    if api.cors_origins:
        app.add_middleware(JSONCORSMiddleware, allow_origins=api.cors_origins, allow_methods=["*"],
                           allow_headers=["*"], allow_credentials=False)
    return app
