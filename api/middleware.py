"""Request limits as plain ASGI middleware: body size and time.

Plain ASGI rather than BaseHTTPMiddleware so that streamed (SSE) responses pass through
untouched and an over-long upload is refused from its Content-Length before it is read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import (
    ErrorHTTPException,
    RequestTimeoutError,
    ServiceError,
    error_response,
    upload_too_large,
)


class BodyLimitMiddleware:
    """Refuses bodies over `max_bytes` (the upload limit plus the form's framing); the message
    names the upload limit the user can act on, `limit_mb`."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, limit_mb: float) -> None:
        self.app, self.max_bytes, self.limit_mb = app, max_bytes, limit_mb

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = Headers(scope=scope).get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            # Refused before reading: the client learns at once, the server reads nothing.
            return await error_response(upload_too_large(self.limit_mb))(scope, receive, send)
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:  # chunked uploads carry no Content-Length
                    raise ErrorHTTPException(upload_too_large(self.limit_mb))
            return message

        await self.app(scope, limited_receive, send)


class TimeoutMiddleware:
    """Answers 504 when a request runs too long. Blocking work runs in abandonable threads
    (api.deps.run_blocking), so the timeout really frees the request; the thread finishes
    in the background (an index build, once started, completes and is kept)."""

    def __init__(self, app: ASGIApp, *, timeout_for: Callable[[Scope], float]) -> None:
        self.app, self.timeout_for = app, timeout_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        seconds = self.timeout_for(scope)
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            async with asyncio.timeout(seconds):
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            if started:
                return  # a stream already under way can only be cut short
            error = RequestTimeoutError(
                f"请求处理超时（{seconds:g} 秒）。", f"The request timed out after {seconds:g} s.",
                hint_zh="请稍后重试；如为文件库操作，索引可能仍在后台更新，请稍后刷新列表。",
                hint_en="Retry later; a corpus change may still be completing in the background.",
            )
            await error_response(error)(scope, receive, send)


class JSONCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, with a refused preflight in the service's JSON error shape instead
    of plain text."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        refused = response.body.decode("utf-8", "replace").removeprefix("Disallowed CORS ")
        error = ServiceError(
            "cors_refused", f"跨域请求被拒绝（不允许的 {refused}）。",
            f"Cross-origin request refused (disallowed {refused}).",
            hint_zh="请由管理员在 CPAUDIT_CORS_ORIGINS 中加入该来源。",
            hint_en="Ask the operator to add the origin to CPAUDIT_CORS_ORIGINS.")
        json_response = error_response(error, 400)
        for name in ("access-control-allow-methods", "access-control-max-age", "vary"):
            if name in response.headers:
                json_response.headers[name] = response.headers[name]
        return json_response
