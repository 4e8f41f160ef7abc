"""Optional LLM-judged answer quality: faithfulness and correctness, scored by our own prompts.

Used only with `cpaudit eval --judge` and an LLM configured (CPAUDIT_LLM_BASE_URL). Scores are
an LLM's opinion, not a measurement: every output marks them "LLM-judged". An item the judge
cannot score (timeout, malformed reply) gets no score and a note, never a guess.

- faithfulness: is every statement of the answer supported by the passages it cites? (0–1)
- correctness: does the answer say what the reference answer says? (0–1)
"""

from __future__ import annotations

import json
import logging
import re

from assistant.models import Answer
from assistant.settings import Settings
from eval.models import ItemResult, QAItem

log = logging.getLogger(__name__)

FAITHFULNESS_PROMPT = """你是严格的评审员。判断“回答”中的每一个陈述是否都能在“引用资料”中找到依据。
只输出一个 JSON 对象：{{"score": 0 到 1 之间的数, "reason": "一句话理由"}}。
1 表示全部有依据，0 表示全部无依据，按有依据的陈述所占比例给分。

引用资料：
{passages}

回答：
{answer}"""

CORRECTNESS_PROMPT = """你是严格的评审员。对照“参考答案”，判断“回答”是否正确、完整地回答了“问题”。
只输出一个 JSON 对象：{{"score": 0 到 1 之间的数, "reason": "一句话理由"}}。
1 表示与参考答案要点一致且完整，0.5 表示部分正确或不完整，0 表示错误或未回答。

问题：{question}

参考答案：{reference}

回答：
{answer}"""

_JSON = re.compile(r"\{.*\}", re.S)


def parse_score(text: str) -> tuple[float | None, str]:
    match = _JSON.search(text or "")
    if not match:
        return None, "judge reply had no JSON object"
    try:
        data = json.loads(match.group(0))
        score = float(data["score"])
    except (ValueError, KeyError, TypeError) as exc:
        return None, f"judge reply unreadable: {exc}"
    if not 0.0 <= score <= 1.0:
        return None, f"judge score out of range: {score}"
    return score, str(data.get("reason", ""))


class LLMJudge:
    def __init__(self, settings: Settings) -> None:
        from assistant.llm import chat_model

        self.model = chat_model(settings)

    def _ask(self, prompt: str) -> tuple[float | None, str]:
        try:
            reply = self.model.invoke(prompt)
        except Exception as exc:  # a judge failure costs one score, not the run
            log.warning("LLM judge failed: %s", exc)
            return None, f"judge call failed: {type(exc).__name__}"
        return parse_score(reply.content if isinstance(reply.content, str) else "")

    def score(self, item: QAItem, answer: Answer, result: ItemResult) -> None:
        """Fill result.faithfulness / result.correctness (answerable items only)."""
        if not item.answerable:
            return
        if answer.abstained:
            result.correctness, result.judge_note = 0.0, "abstained"
            return
        passages = "\n\n".join(f"[{c.n}] 《{c.title}》{c.article or c.section}\n{c.quote}"
                               for c in answer.citations) or "（无）"
        result.faithfulness, note_f = self._ask(
            FAITHFULNESS_PROMPT.format(passages=passages, answer=answer.answer))
        result.correctness, note_c = self._ask(CORRECTNESS_PROMPT.format(
            question=answer.resolved_question or item.question,
            reference=item.reference_answer, answer=answer.answer))
        result.judge_note = " / ".join(n for n in (note_f, note_c) if n)
