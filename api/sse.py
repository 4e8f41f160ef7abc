"""Server-sent events: the wire format, and the pieces an answer is streamed in."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

# A citation marker "[3]" is never cut in two, so a client may render markers as they arrive.
_PIECE = re.compile(r"\[\d{1,3}\]|[^\[]{1,12}|\[")


def event(name: str | None, data: object) -> bytes:
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {payload}\n\n".encode()


def pieces(text: str) -> Iterator[str]:
    yield from _PIECE.findall(text)


SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # no proxy buffering
