"""LLM answers through any OpenAI-compatible endpoint (langchain-openai).

The LLM writes; we verify. Markers [n] that point at no retrieved passage are removed, every
sentence is checked against the passages it cites, and unsupported or uncited sentences are
flagged. Any failure — timeout, HTTP error, empty or malformed reply — falls back to the
extractive answer, and the answer says so.
"""

from __future__ import annotations

import logging
import re
import time

from assistant.answer import extractive_answer, mode_notes, term_weights
from assistant.evidence import quotes
from assistant.followup import Resolved
from assistant.models import Answer, Citation
from assistant.present import refusal_context
from assistant.retrieve import Retrieval, SearchIndex
from assistant.sentences import sentences
from assistant.settings import Settings
from assistant.textfold import bigram_overlap, squash
from assistant.tuning import tuning

log = logging.getLogger(__name__)

SYSTEM_PROMPT = """你是“清洁生产审核助手”，回答企业关于清洁生产政策的问题。
规则：
1. 只能依据下面编号的政策资料回答，不得使用资料以外的知识。
2. 每一个陈述句末尾都要用 [编号] 标注它依据的资料，例如 [1] 或 [1][3]。
3. 资料不足以回答时，只回答：现有政策文件中未找到相关规定。
4. 用简洁的中文回答，尽量引用原文措辞。"""

_MARKER = re.compile(r"\[(\d{1,2})\]")
# A sentence with the markers written after its full stop ("…审核。[1]") keeps them.
UNSUPPORTED = "〔未能在所引资料中核实〕"


def chat_model(settings: Settings, *, timeout: float | None = None):
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.llm_base_url, model=settings.llm_model,
        api_key=settings.llm_api_key or "not-needed", temperature=settings.llm_temperature,
        timeout=timeout or settings.llm_timeout, max_retries=0,
    )


def format_passages(retrieval: Retrieval) -> str:
    blocks = []
    for n, p in enumerate(retrieval.passages, start=1):
        where = " ".join(x for x in (p.section, p.article or "") if x)
        blocks.append(f"[{n}] 《{p.title}》{where}\n{p.text}")
    return "\n\n".join(blocks)


def llm_answer(
    index: SearchIndex, settings: Settings, asked: Resolved, retrieval: Retrieval
) -> Answer:
    gate = extractive_answer(index, asked, retrieval)
    if gate.abstained:
        return gate  # cite or abstain: no evidence, no LLM prose
    t0 = time.perf_counter()
    try:
        from langchain_core.messages import HumanMessage, SystemMessage

        reply = chat_model(settings).invoke([
            SystemMessage(SYSTEM_PROMPT),
            HumanMessage(f"政策资料：\n{format_passages(retrieval)}\n\n问题：{asked.query}"),
        ])
        text = reply.content if isinstance(reply.content, str) else ""
        if not text.strip():
            raise ValueError("empty reply")
    except Exception as exc:  # any LLM failure degrades to the extractive answer
        log.warning("LLM failed, falling back to extractive: %s", exc)
        gate.answerer = "extractive-fallback"
        gate.notes.append(f"大模型调用失败（{type(exc).__name__}），已改用摘录式回答 / "
                          f"LLM call failed, extractive answer shown")
        return gate
    result = verify(index, asked, text, retrieval)
    result.timings = {**gate.timings, "llm_ms": round((time.perf_counter() - t0) * 1000, 2)}
    return result


def verify(
    index: SearchIndex, asked: Resolved, text: str, retrieval: Retrieval
) -> Answer:
    passages = retrieval.passages
    notes = mode_notes(index)
    valid = range(1, len(passages) + 1)
    invented = sorted({int(n) for n in _MARKER.findall(text) if int(n) not in valid})
    if invented:
        notes.append(f"已删除指向不存在资料的引用标记：{', '.join(f'[{n}]' for n in invented)}")
    renumber: dict[int, int] = {}
    citations: list[Citation] = []
    lines: list[str] = []
    for line in text.split("\n"):  # lists and paragraphs keep their line breaks
        out: list[str] = []
        for sentence in sentences(line, markers=True):
            cited = [int(n) for n in _MARKER.findall(sentence) if int(n) in valid]
            claim = _MARKER.sub("", sentence).strip()
            if not claim:
                continue
            for n in cited:
                if n not in renumber:
                    renumber[n] = len(renumber) + 1
                    citations.append(_citation(index, renumber[n], passages[n - 1], claim))
            marks = "".join(f"[{renumber[n]}]" for n in dict.fromkeys(cited))
            body = _strip_end(claim)
            supported = cited and _supported(claim, [passages[n - 1].text for n in cited])
            if not supported and len(squash(claim)) > 6:
                notes.append(f"未能核实的句子 / unsupported: {claim}")
                out.append(f"{body}{marks}{UNSUPPORTED}{_end(claim)}")
            else:
                out.append(f"{body}{marks}{_end(claim)}")
        lines.append("".join(out))
    answer_text = "\n".join(line for line in lines if line).strip()
    abstained = not citations or "未找到" in answer_text[:30]
    # the LLM found no answer in passages the gate judged on topic: show the nearest as context
    context = refusal_context(index, term_weights(index, asked.query), passages) if abstained else []
    return Answer(
        question=asked.turn, resolved_question=asked.shown,
        answer=answer_text, abstained=abstained, citations=citations if not abstained else [],
        context=context,
        passages=passages, mode=retrieval.mode, answerer="llm", notes=notes,
    )


def _citation(index: SearchIndex, n: int, passage, claim: str) -> Citation:
    """Cite the passage by the sentence of it that best matches the claim, verbatim."""
    from assistant.answer import cite

    units = quotes(passage.text) or []
    best = max(units, key=lambda q: bigram_overlap(claim, q.text), default=None)
    if best is None:
        from assistant.evidence import Quote

        best = Quote(0, len(passage.text), passage.text)
    return cite(index, n, best, passage)


def _supported(claim: str, sources: list[str]) -> bool:
    return max(bigram_overlap(claim, s) for s in sources) >= tuning().llm_support_threshold


def _end(sentence: str) -> str:
    m = re.search(r"[。！？!?]+$", sentence)
    return m.group(0) if m else ""


def _strip_end(sentence: str) -> str:
    return re.sub(r"[。！？!?]+$", "", sentence)


def rewrite_followup(settings: Settings, question: str, previous: list[str]) -> str | None:
    """Ask the LLM to make a follow-up self-contained; None when it cannot."""
    from langchain_core.messages import HumanMessage, SystemMessage

    try:
        reply = chat_model(settings, timeout=min(settings.llm_timeout, 15)).invoke([
            SystemMessage("把用户的追问改写成一个可以独立理解的完整问题。只输出改写后的问题。"),
            HumanMessage("之前的问题：\n" + "\n".join(previous[-3:]) + f"\n追问：{question}"),
        ])
    except Exception as exc:
        log.warning("follow-up rewrite failed: %s", exc)
        return None
    text = reply.content.strip() if isinstance(reply.content, str) else ""
    return text if 2 <= len(text) <= 200 else None
