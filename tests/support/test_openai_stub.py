"""The OpenAI stub against the real `openai` and `langchain-openai` clients over a real socket."""

from __future__ import annotations

import threading
import time

import httpx
import openai
import pytest
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from .openai_stub import STUB_MODEL, OpenAIStub, Reply


class Finding(BaseModel):
    clause: str
    severity: int


def client(stub: OpenAIStub, **kwargs: object) -> openai.OpenAI:
    return openai.OpenAI(base_url=stub.base_url, api_key="x", max_retries=0, **kwargs)


def chat(stub: OpenAIStub, **kwargs: object) -> ChatOpenAI:
    kwargs.setdefault("max_retries", 0)
    return ChatOpenAI(base_url=stub.base_url, api_key="x", model=STUB_MODEL, **kwargs)


# --- official openai client -------------------------------------------------------------------


def test_openai_completion(stub: OpenAIStub) -> None:
    stub.push("你好, auditor")
    resp = client(stub).chat.completions.create(
        model=STUB_MODEL, messages=[{"role": "user", "content": "hi"}], temperature=0.2
    )
    assert resp.object == "chat.completion"
    assert resp.choices[0].message.role == "assistant"
    assert resp.choices[0].message.content == "你好, auditor"
    assert resp.choices[0].finish_reason == "stop"
    assert resp.usage is not None and resp.usage.total_tokens > 0


def test_openai_streaming(stub: OpenAIStub) -> None:
    stub.push("streamed reply text")
    chunks = list(
        client(stub).chat.completions.create(
            model=STUB_MODEL,
            messages=[{"role": "user", "content": "hi"}],
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "streamed reply text"
    assert len([c for c in chunks if c.choices and c.choices[0].delta.content]) > 1
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None and not chunks[-1].choices


def test_openai_models_list(stub: OpenAIStub) -> None:
    assert [m.id for m in client(stub).models.list()] == [STUB_MODEL]


def test_unknown_path_is_404(stub: OpenAIStub) -> None:
    resp = httpx.post(stub.base_url + "/embeddings", json={})
    assert resp.status_code == 404
    assert resp.json()["error"]["type"] == "invalid_request_error"


def test_api_key_check() -> None:
    with OpenAIStub(api_key="k") as stub:
        with pytest.raises(openai.AuthenticationError):
            client(stub).models.list()
        good = openai.OpenAI(base_url=stub.base_url, api_key="k", max_retries=0)
        assert [m.id for m in good.models.list()] == [STUB_MODEL]


def test_raw_malformed_body(stub: OpenAIStub) -> None:
    stub.push(Reply(raw="{not json"))
    with pytest.raises(ValueError):  # the openai client surfaces the JSONDecodeError as is
        chat(stub).invoke("hi")


# --- langchain-openai ----------------------------------------------------------------------


def test_langchain_invoke(stub: OpenAIStub) -> None:
    stub.push("canned answer")
    assert chat(stub).invoke("hi").content == "canned answer"


def test_default_and_callable_replies(stub: OpenAIStub) -> None:
    llm = chat(stub)
    assert llm.invoke("a").content == "stub reply"
    stub.default = Reply(content="fallback")
    assert llm.invoke("b").content == "fallback"
    stub.push(lambda req: "echo: " + req["messages"][-1]["content"])
    assert llm.invoke("ping").content == "echo: ping"


def test_langchain_timeout(stub: OpenAIStub) -> None:
    stub.push(Reply(content="late", delay=5))
    with pytest.raises(openai.APITimeoutError):  # the client gave up; it did not wait
        chat(stub, timeout=0.5).invoke("hi")
    # the abandoned request must not have broken the server
    assert chat(stub).invoke("again").content == "stub reply"


def test_langchain_server_error(stub: OpenAIStub) -> None:
    stub.push(Reply(status=500, body="model crashed"))
    with pytest.raises(openai.InternalServerError, match="model crashed"):
        chat(stub).invoke("hi")


def test_langchain_stream(stub: OpenAIStub) -> None:
    stub.push("a streamed langchain reply")
    pieces = [c.content for c in chat(stub).stream("hi")]
    assert "".join(pieces) == "a streamed langchain reply"  # type: ignore[arg-type]
    assert len([p for p in pieces if p]) > 1


# openai's streaming parse helper warns about its own generic `parsed` field; not our concern
@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")
@pytest.mark.parametrize("streaming", [False, True])
def test_structured_output_default_method(stub: OpenAIStub, streaming: bool) -> None:
    stub.push('{"clause": "4.2", "severity": 3}')
    result = chat(stub, streaming=streaming).with_structured_output(Finding).invoke("audit this")
    assert result == Finding(clause="4.2", severity=3)
    assert stub.requests[-1]["response_format"]["type"] == "json_schema"


@pytest.mark.parametrize("streaming", [False, True])
def test_structured_output_tool_calling(stub: OpenAIStub, streaming: bool) -> None:
    stub.push(Reply(tool_call={"name": "Finding", "arguments": {"clause": "5.1", "severity": 1}}))
    llm = chat(stub, streaming=streaming).with_structured_output(Finding, method="function_calling")
    assert llm.invoke("audit this") == Finding(clause="5.1", severity=1)
    sent = stub.requests[-1]
    assert sent["tools"][0]["function"]["name"] == "Finding"
    assert sent["tool_choice"]["function"]["name"] == "Finding"


# --- bookkeeping and lifecycle ------------------------------------------------------------


def test_requests_are_recorded(stub: OpenAIStub) -> None:
    chat(stub, temperature=0.1).invoke([("system", "be terse"), ("user", "hello")])
    [sent] = stub.requests
    assert sent["model"] == STUB_MODEL
    assert sent["temperature"] == 0.1
    assert sent["messages"] == [
        {"role": "system", "content": "be terse"},
        {"role": "user", "content": "hello"},
    ]


def test_stop_cuts_delayed_reply_short() -> None:
    stub = OpenAIStub().start()
    stub.push(Reply(content="never", delay=30))
    errors: list[Exception] = []

    def call() -> None:
        try:
            chat(stub).invoke("hi")
        except Exception as exc:  # noqa: BLE001 - any failure is what we expect here
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    deadline = time.monotonic() + 5
    while not stub.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    stub.stop()  # returns although a 30 s reply is still pending …
    caller.join(timeout=10)  # … and the waiting client is cut off, not left hanging
    assert not caller.is_alive()
    assert errors and isinstance(errors[0], openai.APIConnectionError)
