"""Request and response models of the OpenAI-compatible endpoints.

The request models accept unknown fields (extra="ignore") on purpose: chat clients send the
whole OpenAI parameter set (temperature, top_p, tools, user, …) and a compatible endpoint
must not refuse them. Everything we return is strict and typed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.models import Citation, Filters, Mode, Strict

MODEL_ID = "cpaudit"


class Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ChatMessage(Lenient):
    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # content parts: keep the text ones
            return "".join(str(p.get("text", "")) for p in self.content
                           if p.get("type") in ("text", "input_text"))
        return self.content or ""


class StreamOptions(Lenient):
    include_usage: bool = False


class ChatCompletionRequest(Lenient):
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    # cpaudit extensions, sent by OpenAI clients through `extra_body`:
    filters: Filters | None = None
    use_llm: bool | None = None


class Usage(Strict):
    """Approximate: counted in characters, since no tokenizer of the answering model exists."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class AssistantMessage(Strict):
    role: Literal["assistant"] = "assistant"
    content: str
    refusal: None = None


class Choice(Strict):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class CpauditExtra(Strict):
    abstained: bool
    mode: Mode
    answerer: str
    resolved_question: str | None
    notes: list[str]


class ChatCompletion(Strict):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    citations: list[Citation] = Field(description="the sources of the answer, structured")
    cpaudit: CpauditExtra


class Delta(Strict):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(Strict):
    index: int = 0
    delta: Delta
    finish_reason: Literal["stop"] | None = None
    logprobs: None = None


class ChatCompletionChunk(Strict):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: Usage | None = None
    citations: list[Citation] | None = None  # on the final chunk only
    cpaudit: CpauditExtra | None = None


class ModelCard(Strict):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(Strict):
    object: Literal["list"] = "list"
    data: list[ModelCard]
