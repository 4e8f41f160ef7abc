"""POST /v1/ask: a cited answer, whole (JSON) or streamed (server-sent events).

The stream carries `passages` (what was retrieved and cited), `delta` events with pieces of the
answer text, then `done` with the complete answer object — the same object the JSON form and
`cpaudit ask --json` return, so a client can render deltas and then trust `done`.
The answer is computed before the stream opens, so every error is still a plain JSON 4xx/5xx.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse
from pydantic import TypeAdapter

from api.deps import CoreSettings, live_index, run_blocking
from api.schemas import ERRORS, AskRequest
from api.sse import SSE_HEADERS, event, pieces
from assistant.models import Answer
from assistant.service import ask
from assistant.settings import Settings

router = APIRouter(prefix="/v1", tags=["ask"])

STREAM_DOC = {
    200: {
        "description": "JSON answer, or with `stream: true` a `text/event-stream` of events "
                       "`passages` {question, resolved_question, mode, passages, citations}, "
                       "`delta` {text} (repeated), `done` {the answer object}.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    },
    **ERRORS,
}


# The answer's JSON as bytes, straight from its model's serializer: model_dump_json would
# decode them to a str that Response then encodes again (~5 KB each way per answer).
_ANSWER_JSON = TypeAdapter(Answer)


def answer_question(request: AskRequest, settings: Settings) -> Answer:
    index = live_index(settings)
    return ask(request.question, history=request.history, filters=request.filters, k=request.k,
               use_llm=request.use_llm, settings=settings, index=index,
               previous_answer=request.previous_answer)


def answer_events(answer: Answer) -> Iterator[bytes]:
    yield event("passages", {
        "question": answer.question, "resolved_question": answer.resolved_question,
        "mode": answer.mode,
        "passages": [p.model_dump() for p in answer.passages],
        "citations": [c.model_dump() for c in answer.citations],
    })
    for piece in pieces(answer.answer):
        yield event("delta", {"text": piece})
    yield event("done", answer.model_dump())


@router.post("/ask", response_model=Answer, responses=STREAM_DOC,
             summary="提问并获得带引用的回答 / ask a question, get a cited answer")
async def ask_route(request: AskRequest, settings: CoreSettings):
    answer = await run_blocking(answer_question, request, settings)
    if request.stream:
        return StreamingResponse(answer_events(answer), media_type="text/event-stream",
                                 headers=SSE_HEADERS)
    # Serialised once by the model that made it: returned as an object, the answer would be
    # validated again against response_model (it is one already) before being serialised.
    return Response(_ANSWER_JSON.dump_json(answer), media_type="application/json")
