"""OpenAI-compatible chat: existing chat clients use cpaudit as a model named "cpaudit".

The last user message is the question and the earlier user messages its history (follow-ups
are resolved against them, as in `cpaudit chat`); the assistant's reply right before it is the
previous answer (a follow-up asking something new is not answered with the same quote again).
The reply text ends with a numbered source list, so plain chat clients show the citations; the
`citations` field carries them structured.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.deps import CoreSettings, live_index, run_blocking
from api.errors import InvalidRequestError, ServiceError
from api.openai_models import (
    MODEL_ID,
    AssistantMessage,
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionRequest,
    Choice,
    ChunkChoice,
    CpauditExtra,
    Delta,
    ModelCard,
    ModelList,
    Usage,
)
from api.schemas import ERRORS
from api.sse import SSE_HEADERS, event, pieces
from assistant.limits import MAX_PREVIOUS_ANSWER_CHARS, history_window
from assistant.models import Answer, Citation
from assistant.render import CONTEXT_LABEL
from assistant.service import ask
from assistant.settings import Settings

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
_CREATED = int(time.time())


def _where(c: Citation) -> str:
    where = c.article or (c.section.split(" > ")[-1] if c.section else "")
    return where + (f"，第 {c.page} 页" if c.page else "")


def source_line(c: Citation, answer_text: str) -> str:
    line = f"[{c.n}] 《{c.title}》{_where(c)}"
    # An extractive answer already quotes the passage; an LLM answer paraphrases, so the
    # quote is what lets the reader check it.
    return line if (c.quote or "") in answer_text else f"{line}：“{c.quote}”"


def reply_text(answer: Answer) -> str:
    if answer.context:  # a refusal's nearest passage, labelled as what it is
        shown = "\n".join(f"- 《{c.title}》{_where(c)}：“{c.quote}”" for c in answer.context)
        return f"{answer.answer}\n\n{CONTEXT_LABEL}：\n{shown}"
    if not answer.citations:
        return answer.answer
    sources = "\n".join(source_line(c, answer.answer) for c in answer.citations)
    return f"{answer.answer}\n\n来源：\n{sources}"


def extra(answer: Answer) -> CpauditExtra:
    return CpauditExtra(abstained=answer.abstained, mode=answer.mode, answerer=answer.answerer,
                        resolved_question=answer.resolved_question, notes=answer.notes)


def split_messages(request: ChatCompletionRequest) -> tuple[str, list[str]]:
    users = [m.text().strip() for m in request.messages if m.role == "user"]
    users = [u for u in users if u]
    if request.messages[-1].role != "user" or not users:
        raise InvalidRequestError(
            "最后一条消息必须是用户的问题。", "The last message must be the user's question.",
            hint_zh="messages 的最后一项应为 role=user 的提问。",
            hint_en="End `messages` with a role=user message.",
        )
    # The question gets the caps of /v1/ask (refused when too long, in ask()); the earlier
    # messages are context only: the recent window of them (assistant.limits.history_window).
    return users[-1], history_window(users[:-1])


def previous_reply(request: ChatCompletionRequest) -> str:
    """The assistant's reply to the previous question (the message right before the question,
    when it is the assistant's), cut to the cap: a follow-up asking something new of it is not
    answered with the same quote again."""
    before = request.messages[-2] if len(request.messages) > 1 else None
    if before is None or before.role != "assistant":
        return ""
    return before.text()[:MAX_PREVIOUS_ANSWER_CHARS]


def answer_chat(request: ChatCompletionRequest, settings: Settings) -> Answer:
    question, history = split_messages(request)
    return ask(question, history=history, filters=request.filters, use_llm=request.use_llm,
               settings=settings, index=live_index(settings),
               previous_answer=previous_reply(request))


def usage(request: ChatCompletionRequest, text: str) -> Usage:
    prompt = sum(len(m.text()) for m in request.messages)
    return Usage(prompt_tokens=prompt, completion_tokens=len(text),
                 total_tokens=prompt + len(text))


def chunks(request: ChatCompletionRequest, answer: Answer, text: str) -> Iterator[bytes]:
    head = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": MODEL_ID}

    def chunk(**fields) -> bytes:
        return event(None, ChatCompletionChunk(**head, **fields).model_dump_json())

    yield chunk(choices=[ChunkChoice(delta=Delta(role="assistant", content=""))])
    for piece in pieces(text):
        yield chunk(choices=[ChunkChoice(delta=Delta(content=piece))])
    yield chunk(choices=[ChunkChoice(delta=Delta(), finish_reason="stop")],
                citations=answer.citations, cpaudit=extra(answer))
    if request.stream_options and request.stream_options.include_usage:
        yield chunk(choices=[], usage=usage(request, text))
    yield event(None, "[DONE]")


@router.post("/chat/completions", response_model=ChatCompletion, responses=ERRORS,
             summary="OpenAI 兼容的对话接口 / OpenAI-compatible chat completions")
async def chat_completions(request: ChatCompletionRequest, settings: CoreSettings):
    answer = await run_blocking(answer_chat, request, settings)
    text = reply_text(answer)
    if request.stream:
        return StreamingResponse(chunks(request, answer, text), media_type="text/event-stream",
                                 headers=SSE_HEADERS)
    return ChatCompletion(
        id=f"chatcmpl-{uuid.uuid4().hex}", created=int(time.time()), model=MODEL_ID,
        choices=[Choice(message=AssistantMessage(content=text))], usage=usage(request, text),
        citations=answer.citations, cpaudit=extra(answer),
    )


@router.get("/models", response_model=ModelList, summary="可用模型 / models")
async def list_models() -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL_ID, created=_CREATED, owned_by="cpaudit")])


@router.get("/models/{model_id}", response_model=ModelCard, responses=ERRORS,
            summary="模型信息 / one model")
async def get_model(model_id: str) -> ModelCard:
    if model_id != MODEL_ID:
        raise ServiceError("not_found", f"没有该模型：{model_id}（可用：{MODEL_ID}）。",
                           f"No such model: {model_id} (available: {MODEL_ID}).")
    return ModelCard(id=MODEL_ID, created=_CREATED, owned_by="cpaudit")
