"""GET /docs: Swagger UI from the vendored assets under /static/vendor/swagger-ui, so the API
reference that error messages point to opens offline (FastAPI's default loads it from a CDN)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
VENDOR = "/static/vendor/swagger-ui"


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title="cpaudit 清洁生产审核助手 — API",
        swagger_js_url=f"{VENDOR}/swagger-ui-bundle.js",
        swagger_css_url=f"{VENDOR}/swagger-ui.css", swagger_favicon_url="data:,",
    )
