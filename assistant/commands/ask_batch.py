"""cpaudit ask --batch: a JSONL file of questions, one answer or error record per line."""

from __future__ import annotations

import json
import sys

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.errors import CpauditError
from assistant.service import ask, ensure_index


class BatchItem(BaseModel):
    """One line of a --batch file; other keys (expected answers of an eval set …) are ignored."""

    model_config = ConfigDict(extra="ignore")
    id: str | int | None = None
    question: str  # the caps of assistant.limits apply in ask()
    history_questions: list[str] | None = None
    previous_answer: str | None = None  # what the last of them was answered with


def _line_error(number: int, zh: str, en: str) -> dict:
    return {"id": None, "line": number, "error": f"第 {number} 行：{zh}",
            "error_en": f"line {number}: {en}"}


def answer_batch(args, settings, filters, use_llm) -> int:
    """Every line is answered or gets its own error record: a bad line (not JSON, not an
    object, a question that is not text or too long, bytes that are not UTF-8) never stops
    the batch. Blank lines are skipped."""
    if not args.batch.is_file():
        raise CpauditError(f"找不到批量问题文件：{args.batch}", f"Batch file not found: {args.batch}")
    index = ensure_index(settings)  # loaded once for the whole batch
    failures = 0
    with args.batch.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            record = _answer_line(number, raw, args, settings, filters, use_llm, index)
            if record is None:
                continue
            failures += "error" in record
            print(json.dumps(record, ensure_ascii=False))
            sys.stdout.flush()
    return 1 if failures else 0


def _answer_line(number, raw: bytes, args, settings, filters, use_llm, index) -> dict | None:
    """The output record of one line (an answer, or an error with "error"); None: blank."""
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        return _line_error(number, "不是 UTF-8 编码的文字", "is not UTF-8 text")
    if not line.strip():
        return None
    try:
        item = BatchItem.model_validate_json(line)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "json_invalid":
            return _line_error(number, '不是 {"id", "question"} JSON',
                               'is not a {"id", "question"} JSON object')
        where = ".".join(str(x) for x in first["loc"]) or "line"
        return _line_error(number, f"{where} 有误（应为文字的 question，可选 id）",
                           f"{where}: {first['msg']}")
    try:
        answer = ask(item.question, history=item.history_questions, filters=filters,
                     k=args.top_k, use_llm=use_llm, settings=settings, index=index,
                     previous_answer=item.previous_answer)
    except CpauditError as exc:  # one bad question must not stop the batch
        return {"id": item.id, "line": number, "error": exc.zh, "error_en": exc.en}
    return {"id": item.id, **json.loads(answer.model_dump_json())}
