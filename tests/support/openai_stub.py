"""A local HTTP server that speaks the OpenAI chat API, so tests can drive the real clients.

    with OpenAIStub() as stub:
        stub.push("hello", Reply(status=500, body="boom"))
        llm = ChatOpenAI(base_url=stub.base_url, api_key="x", model="stub-model")

Structured output: in langchain-openai 1.x `ChatOpenAI.with_structured_output` defaults to
method="json_schema" (the default changed from "function_calling" in 0.3). It sends
`response_format={"type": "json_schema", ...}` and parses the message *content* as JSON, so a
plain `stub.push('{"field": 1}')` answers it. method="function_calling" sends `tools` with a
forced `tool_choice` and reads `tool_calls`: answer it with `Reply(tool_call={...})`.
method="json_mode" sends `response_format={"type": "json_object"}` and also reads the content.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeAlias

Json: TypeAlias = dict[str, Any]

STUB_MODEL = "stub-model"
_STREAM_PIECE = 4  # characters per streamed content delta: enough chunks to exercise the client
_MODEL = {"id": STUB_MODEL, "object": "model", "created": 0, "owned_by": "cpaudit-tests"}


@dataclass
class Reply:
    """One canned answer; `delay` (seconds) applies before any kind of answer.

    status != 200: an error; `body` is its message (str) or the whole JSON body (dict).
    raw: sent verbatim with status 200, for malformed-response tests.
    tool_call: {"name": ..., "arguments": dict or JSON string} -> assistant `tool_calls`.
    """

    content: str = ""
    delay: float = 0.0
    status: int = 200
    body: str | Json | None = None
    raw: bytes | str | None = None
    tool_call: Json | None = None


ReplySpec: TypeAlias = str | Reply | Callable[[Json], "str | Reply"]


def error_body(message: str, type_: str, code: str | None = None) -> Json:
    """OpenAI's error shape, which the openai client turns into `APIStatusError.message`."""
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def _words(text: Any) -> int:
    return len(str(text or "").split())


def _message(reply: Reply) -> tuple[Json, str]:
    """The assistant message for `reply` and its finish_reason."""
    if reply.tool_call is None:
        return {"role": "assistant", "content": reply.content, "refusal": None}, "stop"
    args = reply.tool_call.get("arguments", {})
    # a str passes through untouched so tests can send malformed arguments
    fn = {"name": reply.tool_call["name"], "arguments": args}
    if not isinstance(args, str):
        fn["arguments"] = json.dumps(args)
    call = {"id": f"call_stub{time.monotonic_ns()}", "type": "function", "function": fn}
    return {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for handlers; it cuts them short instead
    stub: OpenAIStub


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streaming, like api.openai.com
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.stub._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.stub._track(self.connection, add=False)

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:
            pass  # the client gave up (timeout, reset) or stop() closed the socket: nobody to tell

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output free of access logs

    def do_GET(self) -> None:
        if self._authorized():
            if self._route() == "/v1/models":
                self._send_json(200, {"object": "list", "data": [_MODEL]})
            else:
                self._not_found()

    def do_DELETE(self) -> None:  # also PUT/PATCH: OpenAI answers unknown routes with 404
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._not_found()

    do_PUT = do_PATCH = do_DELETE

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self._authorized():
            return
        if self._route() != "/v1/chat/completions":
            return self._not_found()
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        if not isinstance(request, dict):
            msg = "We could not parse the JSON body of your request."
            return self._send_json(400, error_body(msg, "invalid_request_error"))
        self._chat(request)

    def _route(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/")

    def _authorized(self) -> bool:
        key = self.server.stub.api_key
        if key is None or self.headers.get("Authorization") == f"Bearer {key}":
            return True
        msg = "Incorrect API key provided."
        self._send_json(401, error_body(msg, "invalid_request_error", "invalid_api_key"))
        return False

    def _not_found(self) -> None:
        msg = f"Invalid URL ({self.command} {self.path})"
        self._send_json(404, error_body(msg, "invalid_request_error"))

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json")

    def _chat(self, request: Json) -> None:
        stub = self.server.stub
        reply = stub._take_reply(request)
        if reply.delay and stub._stopping.wait(reply.delay):
            self.close_connection = True  # shutting down: drop the request, don't hold up stop()
            return
        if reply.raw is not None:
            raw = reply.raw.encode() if isinstance(reply.raw, str) else reply.raw
            return self._send(200, raw, "application/json")
        if reply.status != 200:
            kind = "server_error" if reply.status >= 500 else "invalid_request_error"
            body = reply.body if isinstance(reply.body, dict) else None
            return self._send_json(reply.status, body or error_body(reply.body or "error", kind))
        message, finish = _message(reply)
        n_in = sum(_words(m.get("content")) for m in request.get("messages") or [])
        n_out = _words(reply.content)
        usage = {"prompt_tokens": n_in, "completion_tokens": n_out, "total_tokens": n_in + n_out}
        head = {"id": f"chatcmpl-stub{next(stub._ids)}", "created": int(time.time())}
        head["model"] = request.get("model") or STUB_MODEL
        if not request.get("stream"):
            choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
            head.update(object="chat.completion", choices=[choice], usage=usage)
            return self._send_json(200, head)
        include_usage = (request.get("stream_options") or {}).get("include_usage")
        self._stream(head, message, finish, usage if include_usage else None)

    def _stream(self, head: Json, message: Json, finish: str, usage: Json | None) -> None:
        # OpenAI's shape: role delta, content deltas, finish chunk, [usage chunk], [DONE]
        head = {**head, "object": "chat.completion.chunk"}
        if usage:
            head["usage"] = None  # null on every chunk but the last when usage is requested

        def chunk(delta: Json, finish_reason: str | None = None) -> Json:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            return {**head, "choices": [choice]}

        events = [chunk({"role": "assistant", "content": ""})]
        if "tool_calls" in message:
            events.append(chunk({"tool_calls": [{"index": 0, **message["tool_calls"][0]}]}))
        text = message["content"] or ""
        step = _STREAM_PIECE
        events += [chunk({"content": text[i : i + step]}) for i in range(0, len(text), step)]
        events.append(chunk({}, finish))
        if usage:
            events.append({**head, "choices": [], "usage": usage})

        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for line in [json.dumps(e) for e in events] + ["[DONE]"]:
            data = f"data: {line}\n\n".encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.write(b"0\r\n\r\n")


class OpenAIStub:
    """OpenAI-compatible chat server on 127.0.0.1 with a random port, run in a daemon thread."""

    def __init__(self, *, api_key: str | None = None, default: ReplySpec = "stub reply") -> None:
        self.api_key = api_key
        self.default: ReplySpec = default  # answers whenever the queue is empty
        self._replies: deque[ReplySpec] = deque()
        self._requests: list[Json] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stub = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def requests(self) -> list[Json]:
        """JSON bodies of the chat-completion requests received so far (a snapshot copy)."""
        with self._lock:
            return list(self._requests)

    def push(self, *replies: ReplySpec) -> None:
        """Queue replies; each chat completion request consumes one, in order."""
        with self._lock:
            self._replies.extend(replies)

    def start(self) -> OpenAIStub:
        if self._thread is None:
            # a short poll interval is what makes shutdown() return quickly
            loop = self._server.serve_forever
            self._thread = threading.Thread(target=loop, args=(0.05,), name="openai-stub")
            self._thread.daemon = True
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping on a delayed reply
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # idle keep-alive connections would otherwise linger
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._server.server_close()

    def __enter__(self) -> OpenAIStub:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _take_reply(self, request: Json) -> Reply:
        with self._lock:
            self._requests.append(request)
            spec = self._replies.popleft() if self._replies else self.default
        if callable(spec):
            spec = spec(request)
        return Reply(content=spec) if isinstance(spec, str) else spec

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            (self._connections.add if add else self._connections.discard)(conn)
