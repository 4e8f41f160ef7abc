"""Errors of the HTTP service and the handlers that turn every failure into one JSON shape:

    {"error": {"code": "...", "message_zh": "...", "message_en": "...", "message": "..."}}

`message` repeats both languages in one string because OpenAI clients (which read
`error.message`) are among our callers. No handler ever returns a stack trace.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import CpauditError

log = logging.getLogger(__name__)


class UnauthorizedError(CpauditError):
    code = "unauthorized"


class UploadTooLargeError(CpauditError):
    code = "upload_too_large"


class RequestTimeoutError(CpauditError):
    code = "timeout"


class InvalidRequestError(CpauditError):
    code = "invalid_request"


class ServiceError(CpauditError):
    """An error whose code is chosen where it is raised (HTTP-level failures)."""

    def __init__(self, code: str, zh: str, en: str, **hints: str) -> None:
        super().__init__(zh, en, **hints)
        self.code = code


# HTTP status per error code; a CpauditError with an unlisted code is the caller's fault: 400.
STATUS = {
    "unreadable_file": 400,
    "invalid_request": 422,
    "invalid_metadata": 422,
    "unauthorized": 401,
    "cross_origin": 403,
    "not_found": 404,
    "document_not_found": 404,
    "method_not_allowed": 405,
    "document_exists": 409,
    "corpus_error": 409,
    "upload_too_large": 413,
    "internal_error": 500,
    "index_missing": 503,
    "index_damaged": 503,
    "timeout": 504,
    "disk_full": 507,
}


class ErrorHTTPException(StarletteHTTPException):
    """Carries a CpauditError through code paths that only let HTTPExceptions pass
    (FastAPI re-raises those from body parsing instead of turning them into a 400)."""

    def __init__(self, error: CpauditError) -> None:
        super().__init__(status_code=STATUS.get(error.code, 400), detail=error.en)
        self.error = error


def error_body(error: CpauditError) -> dict:
    body = error.to_dict()
    body["message"] = f"{body['message_zh']} / {body['message_en']}"
    return {"error": body}


def error_response(error: CpauditError, status: int | None = None) -> JSONResponse:
    status = status or STATUS.get(error.code, 400)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(error), status_code=status, headers=headers)


def upload_too_large(limit_mb: float) -> UploadTooLargeError:
    return UploadTooLargeError(
        f"上传的文件过大（上限 {limit_mb:g} MB）。",
        f"The upload is too large (limit {limit_mb:g} MB).",
        hint_zh="请压缩或拆分文件后重试，或由管理员调高 CPAUDIT_MAX_UPLOAD_MB。",
        hint_en="Compress or split the file, or ask the operator to raise CPAUDIT_MAX_UPLOAD_MB.",
    )


def _http_error(exc: StarletteHTTPException, request: Request) -> CpauditError:
    if isinstance(exc, ErrorHTTPException):
        return exc.error
    if exc.status_code == 404:
        return ServiceError("not_found", f"找不到该地址：{request.url.path}。",
                            f"Not found: {request.url.path}",
                            hint_zh="接口列表见 /docs。", hint_en="See /docs for the endpoints.")
    if exc.status_code == 405:
        return ServiceError("method_not_allowed",
                            f"该地址不支持 {request.method} 方法：{request.url.path}。",
                            f"{request.method} is not allowed on {request.url.path}.")
    if exc.status_code == 413:
        return ServiceError("upload_too_large", "请求内容过大。", "The request body is too large.")
    if exc.status_code == 400:  # the body could not be parsed: broken multipart framing …
        return ServiceError(
            "invalid_request", "无法解析请求内容（表单或上传数据格式不正确）。",
            f"The request body could not be parsed: {exc.detail}",
            hint_zh="请以 multipart/form-data 上传文件，或检查客户端的请求格式。",
            hint_en="Upload files as multipart/form-data, or check the client's request.")
    return ServiceError("http_error", f"请求失败（HTTP {exc.status_code}）：{exc.detail}。",
                        f"Request failed (HTTP {exc.status_code}): {exc.detail}")


# Chinese for the validation errors a user meets most; others show pydantic's English.
_ZH = {
    "missing": "缺少该字段",
    "string_too_long": "过长（最多 {max_length} 个字符）",
    "string_too_short": "过短（至少 {min_length} 个字符）",
    "too_long": "条目过多（最多 {max_length} 项）",
    "too_short": "条目过少（至少 {min_length} 项）",
    "string_type": "应为文字",
    "string_pattern_mismatch": "格式不正确",
    "literal_error": "取值不在允许范围内（{expected}）",
    "json_invalid": "不是有效的 JSON",
    "extra_forbidden": "不是可用的字段",
    "int_parsing": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "less_than_equal": "不能大于 {le}",
    "greater_than_equal": "不能小于 {ge}",
}


def _validation_message(exc: RequestValidationError) -> tuple[str, str]:
    zh_parts, en_parts = [], []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "body"
        ctx = err.get("ctx") or {}
        # assistant.limits puts its own Chinese in ctx["zh"]
        template = ctx.get("zh") or _ZH.get(err.get("type", ""))
        try:
            zh = template.format(**ctx) if template else err.get("msg", "无效")
        except (KeyError, IndexError, ValueError):
            zh = template
        zh_parts.append(f"{where}：{zh}")
        en_parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return f"请求参数有误：{'；'.join(zh_parts)}。", f"Invalid request: {'; '.join(en_parts)}."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CpauditError)
    async def _cpaudit(request: Request, exc: CpauditError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        zh, en = _validation_message(exc)
        error = InvalidRequestError(zh, en, hint_zh="请对照 /docs 中的接口说明修改请求。",
                                    hint_en="Check the request against /docs.")
        return error_response(error, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = error_response(_http_error(exc, request), exc.status_code)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged with its traceback for the operator; the caller gets a plain message.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        error = ServiceError(
            "internal_error", f"服务器内部错误（{type(exc).__name__}）。",
            f"Internal server error ({type(exc).__name__}).",
            hint_zh="请稍后重试；如持续出现，请把服务日志提供给管理员。",
            hint_en="Retry later; if it persists, send the service log to the operator.",
        )
        return error_response(error, 500)
