"""Cross-site request protection: requests that can change something (POST, PUT, PATCH,
DELETE) are accepted only from the service's own pages, from an origin listed in
CPAUDIT_CORS_ORIGINS, or from clients that are not browsers.

Without an API key (the default) any page a user visits could otherwise post a document into
the corpus with a `no-cors` form post: the browser sends it, only the answer is hidden from the
page. Browsers say where a request comes from, and a page cannot forge it:

- `Origin` (sent on every cross-origin POST, and on same-origin fetch POSTs): its host must be
  the Host the request was sent to (or the X-Forwarded-Host a reverse proxy set: a page cannot
  set that header without a CORS preflight, which fails), or a configured CORS origin;
  "null" (a sandboxed frame, a file: page) is refused;
- without Origin, `Sec-Fetch-Site` (every current browser): cross-site or same-site is refused;
- without either, `Referer`, when present, is judged like Origin.

A request with none of the three comes from curl, a script or an SDK, which a web page cannot
make: it passes (the API key, when set, is what guards those). Safe methods always pass.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import ServiceError, error_response

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_DEFAULT_PORT = {"http": "80", "https": "443"}


def _host_port(netloc: str, scheme: str) -> str:
    parts = urlsplit(f"//{netloc}")
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{(parts.hostname or '').lower()}:{port or _DEFAULT_PORT.get(scheme, '')}"


def _origin_of(url: str) -> tuple[str, str] | None:
    """(normalized "scheme://host:port", scheme) of an Origin or Referer value."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{_host_port(parts.netloc, parts.scheme)}", parts.scheme


class SameOriginMiddleware:
    def __init__(self, app: ASGIApp, *, allowed_origins: list[str]) -> None:
        self.app = app
        self.allowed = {o[0] for o in map(_origin_of, allowed_origins) if o}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            return await self.app(scope, receive, send)
        refusal = self.refusal(Headers(scope=scope))
        if refusal is None:
            return await self.app(scope, receive, send)
        error = ServiceError(
            "cross_origin", f"拒绝来自其他网站的写请求（{refusal}）。",
            f"Refused a request from another site ({refusal}).",
            hint_zh="请在本服务自己的网页中操作；其他网站需由管理员加入 CPAUDIT_CORS_ORIGINS。",
            hint_en="Use the service's own web page; another site must be listed in "
                    "CPAUDIT_CORS_ORIGINS by the operator.",
        )
        await error_response(error, 403)(scope, receive, send)

    def refusal(self, headers: Headers) -> str | None:
        """None when the request may proceed, else what gave it away."""
        origin = headers.get("origin")
        if origin is not None:
            return None if self._ours(origin, headers) else f"Origin: {origin}"
        fetch_site = headers.get("sec-fetch-site", "").lower()
        if fetch_site in ("cross-site", "same-site"):
            return f"Sec-Fetch-Site: {fetch_site}"
        referer = headers.get("referer")
        if referer and fetch_site != "same-origin" and not self._ours(referer, headers):
            return f"Referer: {urlsplit(referer).netloc or referer}"
        return None

    def _ours(self, url: str, headers: Headers) -> bool:
        found = _origin_of(url)
        if found is None:
            return False  # "null", or not a web origin
        origin, scheme = found
        if origin in self.allowed:
            return True
        hosts = [headers.get("host", "")]
        hosts += [h.strip() for h in headers.get("x-forwarded-host", "").split(",") if h.strip()]
        return any(h and origin == f"{scheme}://{_host_port(h, scheme)}" for h in hosts)
