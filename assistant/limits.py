"""Caps and checks on the text a user sends: the one home of every limit on user-supplied
strings. The API's request models and form fields (api/schemas.py, api/routes/documents.py),
the OpenAI-compatible route, the service (`assistant.service.ask`, so the CLI, `--batch`,
`cpaudit chat` and the evaluation) and the document metadata model (assistant.models) all
read them from here.

Why caps: every string is tokenized and matched by the answering patterns; without a cap one
60,000-character history item kept a worker busy for 30 s. Why refuse control characters in
stored fields: a title is printed to terminals (`cpaudit ask`) and web pages; an ESC sequence
in it would be replayed there.

Errors are bilingual. In pydantic models they are PydanticCustomError with the Chinese text in
`ctx["zh"]` (api/errors.py shows it); elsewhere InputError (code invalid_request, HTTP 422).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from assistant.errors import InputError

MAX_QUESTION_CHARS = 2000
MAX_HISTORY_ITEMS = 50
MAX_HISTORY_ITEM_CHARS = 2000  # a history item is an earlier (resolved) question
MAX_PREVIOUS_ANSWER_CHARS = 8000  # the previous answer: a few quotes
MAX_TITLE_CHARS = 200
MAX_NAME_CHARS = 100  # short title, issuer, 文号
MAX_REGION_CHARS = 50
MAX_ALIASES_CHARS = 500
MAX_NOTES_CHARS = 2000

# C0 and C1 controls, DEL, and the bidirectional overrides/isolates that reorder what a
# terminal or page shows. Tab and newline are allowed only where a field may hold several lines.
_BIDI = "\u202a-\u202e\u2066-\u2069"
CONTROL_CHARS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_LINE_BREAKS = re.compile("[\t\n]")
# A lone UTF-16 surrogate (JSON's "\ud800" escape decodes to one) is no character: it cannot be
# encoded, and the tokenizer failed on it with a 500 (the OpenAI-compatible route, the CLI)
_SURROGATE = re.compile("[\ud800-\udfff]")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _custom(kind: str, en: str, zh: str) -> PydanticCustomError:
    return PydanticCustomError(kind, en, {"zh": zh})


def _refuse_controls(value: str, *, multiline: bool) -> str:
    if CONTROL_CHARS.search(value) or (not multiline and _LINE_BREAKS.search(value)):
        raise _custom("control_characters", "contains control characters or line breaks",
                      "含有控制字符或换行符")
    return value


def single_line(value: str) -> str:
    """A stored one-line field (title, issuer, region…): no control characters, not blank."""
    _refuse_controls(value, multiline=False)
    if not value.strip():
        raise _custom("blank", "must not be empty or only spaces", "不能为空或只有空格")
    return value


def optional_line(value: str | None) -> str | None:
    return None if value is None else _refuse_controls(value, multiline=False)


def multi_line(value: str | None) -> str | None:
    """Notes: line breaks allowed, other control characters not."""
    return None if value is None else _refuse_controls(value, multiline=True)


def calendar_date(value: str | None) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real date (2024-13-45 is refused); a form's empty
    field is no date."""
    if not value:
        return None
    m = _DATE.match(value)
    try:
        if m is None:
            raise ValueError
        year, month, day = (int(g) if g else 1 for g in m.groups())
        dt.date(year, month, day)
    except ValueError:
        raise _custom("invalid_date", "is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                      "不是有效日期（格式 YYYY、YYYY-MM 或 YYYY-MM-DD）") from None
    return value


Line = Annotated[str, AfterValidator(single_line)]
OptionalLine = Annotated[str | None, AfterValidator(optional_line)]
Notes = Annotated[str | None, AfterValidator(multi_line)]
Date = Annotated[str | None, AfterValidator(calendar_date)]


def capped(kind: object, max_chars: int) -> object:
    """A form field's type: `kind` (Line, OptionalLine, Notes) at most `max_chars` long, the
    length checked first (so its error names the length, not the check after it)."""
    text = Annotated[str, StringConstraints(max_length=max_chars)]
    validator = kind.__metadata__[0]
    return Annotated[text, validator] if kind is Line else Annotated[text | None, validator]


def check_question(question: object) -> str:
    """The question, stripped; refuses what is not a question at all. Odd but real questions
    get an answer or an abstention, never an error."""
    if not isinstance(question, str):
        raise InputError("问题必须是文字。", "The question must be a string.")
    text = question.strip()
    if not text:
        raise InputError("问题为空，请输入要咨询的问题。", "The question is empty.",
                         hint_en="Type the question to ask.")
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(
            f"问题过长（{len(text)} 字），请精简到 {MAX_QUESTION_CHARS} 字以内。",
            f"The question is too long ({len(text)} characters; at most {MAX_QUESTION_CHARS}).",
            hint_zh="如需核对整份报告，请使用 cpaudit check。",
            hint_en="To check a whole report, use cpaudit check.",
        )
    _refuse_surrogates(text, "问题", "The question")
    return text


def _refuse_surrogates(text: str, what_zh: str, what_en: str) -> None:
    if _SURROGATE.search(text):
        raise InputError(f"{what_zh}含有无效字符（孤立的 UTF-16 代理码位）。",
                         f"{what_en} holds an invalid character (a lone UTF-16 surrogate).",
                         hint_zh="请检查客户端的文字编码。", hint_en="Check the client's text encoding.")


def check_history(history: object) -> list[str]:
    """The earlier questions of a conversation: at most MAX_HISTORY_ITEMS strings of at most
    MAX_HISTORY_ITEM_CHARS each."""
    if history is None:
        return []
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        raise InputError("对话历史必须是文字列表。", "The history must be a list of strings.")
    if len(history) > MAX_HISTORY_ITEMS:
        raise InputError(
            f"对话历史过长（{len(history)} 条，上限 {MAX_HISTORY_ITEMS} 条）。",
            f"The history is too long ({len(history)} items; at most {MAX_HISTORY_ITEMS}).",
            hint_zh="只需发送最近的提问。", hint_en="Send only the most recent questions.")
    for i, item in enumerate(history):
        if len(item) > MAX_HISTORY_ITEM_CHARS:
            raise InputError(
                f"对话历史第 {i + 1} 条过长（{len(item)} 字，上限 {MAX_HISTORY_ITEM_CHARS} 字）。",
                f"History item {i + 1} is too long ({len(item)} characters; "
                f"at most {MAX_HISTORY_ITEM_CHARS}).")
        _refuse_surrogates(item, f"对话历史第 {i + 1} 条", f"History item {i + 1}")
    return history


def check_previous_answer(answer: object) -> str:
    """The answer the conversation's last question got: a string of at most
    MAX_PREVIOUS_ANSWER_CHARS (only what it quoted matters, so a client may send just that)."""
    if answer is None:
        return ""
    if not isinstance(answer, str):
        raise InputError("上一轮回答必须是文字。", "The previous answer must be a string.")
    if len(answer) > MAX_PREVIOUS_ANSWER_CHARS:
        raise InputError(
            f"上一轮回答过长（{len(answer)} 字，上限 {MAX_PREVIOUS_ANSWER_CHARS} 字）。",
            f"The previous answer is too long ({len(answer)} characters; "
            f"at most {MAX_PREVIOUS_ANSWER_CHARS}).",
            hint_zh="只需发送上一轮回答引用的原文。",
            hint_en="Send only the passages the previous answer quoted.")
    _refuse_surrogates(answer, "上一轮回答", "The previous answer")
    return answer


def history_window(items: list[str]) -> list[str]:
    """What a chat client's whole conversation contributes as history: the last
    MAX_HISTORY_ITEMS user messages, each cut to MAX_HISTORY_ITEM_CHARS. Chat clients resend
    every earlier message, refused ones included, so the window keeps a long conversation
    usable; a follow-up only needs the recent questions."""
    return [item[:MAX_HISTORY_ITEM_CHARS] for item in items[-MAX_HISTORY_ITEMS:]]


def within_question_cap(text: str) -> str:
    """A resolved follow-up kept within the question cap, so that a client that sends it back
    as history (the web UI, `cpaudit chat`) never exceeds the history item cap."""
    return text if len(text) <= MAX_QUESTION_CHARS else text[:MAX_QUESTION_CHARS]
