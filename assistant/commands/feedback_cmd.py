"""cpaudit feedback export: users' 赞/踩 from the web UI as Q&A items `cpaudit eval --qa` runs.

    cpaudit feedback export > eval/data/feedback-dev.jsonl
    cpaudit feedback export --rating down --out feedback.jsonl
    cpaudit eval --qa feedback.jsonl --no-checkers

What each record becomes (ids are qa-9NNNNN from the record's number, stable across exports):
- 赞 on an answer: a regression item; the cited quotes are its evidence, the answer its
  reference, and its keywords the cited quotes' key terms that the answer contains.
- 赞 on an abstention, or 踩 marked "文件中没有相关规定": an unanswerable item (the system must
  not answer it — a confident wrong answer is the worst failure).
- 踩 with the passage that should have been quoted: an item whose evidence is that passage,
  when it is found in the corpus (a dev question to fix).
- 踩 with neither: listed on stderr for a person to triage; it says only that the answer was
  wrong, not what is right, so it cannot be scored.
Items are for the dev side of evaluation: they come from use, not from a frozen set.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.errors import CpauditError
from assistant.feedback import FeedbackRecord, records
from assistant.settings import get_settings

ID_BASE = 900000
MIN_KEYWORDS, MAX_KEYWORDS = 2, 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = sub.add_parser("export", help="写出为问答评测题（JSONL）/ write as Q&A items")
    export.add_argument("--out", type=Path, help="JSONL file (default: stdout)")
    export.add_argument("--rating", choices=["up", "down", "all"], default="all")


def _keywords(quotes: list[str], answer: str) -> list[str]:
    """Key terms of the quotes (jieba's TF-IDF) that the answer contains, best first."""
    import jieba.analyse

    terms = jieba.analyse.extract_tags("\n".join(quotes), topK=20)
    return [t for t in terms if len(t) >= 2 and t in answer][:MAX_KEYWORDS]


def _history(record: FeedbackRecord) -> list[dict]:
    turns = []
    for turn in record.history:
        turns += [{"role": "user", "content": turn.question},
                  {"role": "assistant", "content": turn.answer or "（无回答）"}]
    return turns


def _find_in_corpus(expected: str) -> str | None:
    """The document that holds the passage (compared as the evaluation compares quotes)."""
    from assistant.service import ensure_index
    from eval.relevance import flatten

    wanted = flatten(expected)
    index = ensure_index(get_settings())
    return next((c.doc_id for c in index.chunks if wanted and wanted in flatten(c.text)), None)


def to_item(record: FeedbackRecord) -> tuple[dict | None, str]:
    """The Q&A item of one record, or None and why not."""
    from eval.models import QAItem

    base = {"id": f"qa-{ID_BASE + record.id}", "question": record.question,
            "history": _history(record),
            "tags": ["feedback", f"feedback-{record.rating}"]}
    answered_type = "multi_turn" if record.history else "fact"
    if (record.rating == "down" and record.no_basis) or (record.rating == "up" and record.abstained):
        reference = record.comment if len(record.comment) >= 2 else "现有政策文件没有相关规定，无法回答。"
        item = {**base, "reference_answer": reference, "type": "unanswerable"}
    elif record.rating == "up":
        quotes = [q for c in record.citations if c.doc_id and (q := _longest_piece(c.quote))]
        evidence = list({(c.doc_id, q): None for c in record.citations if c.doc_id
                         and (q := _longest_piece(c.quote))})[:3]
        keywords = _keywords(quotes, record.answer)
        if not evidence or len(keywords) < MIN_KEYWORDS:
            return None, "赞的回答没有可作依据的引用或关键词 / no citations or key terms to score"
        item = {**base, "reference_answer": record.answer, "type": answered_type,
                "evidence": [{"doc_id": d, "quote": q} for d, q in evidence],
                "answer_keywords": keywords}
    elif record.expected:
        doc_id = _find_in_corpus(record.expected)
        if doc_id is None:
            return None, "填写的正确原文在语料中找不到 / the expected passage is not in the corpus"
        keywords = _keywords([record.expected], record.expected)
        if len(keywords) < MIN_KEYWORDS:
            return None, "正确原文太短，提取不出关键词 / the expected passage is too short"
        item = {**base, "reference_answer": record.expected, "type": answered_type,
                "evidence": [{"doc_id": doc_id, "quote": record.expected}],
                "answer_keywords": keywords}
    else:
        return None, "踩未说明正确答案，需人工整理 / a 踩 without the right answer: triage it"
    return QAItem.model_validate(item).model_dump(exclude_defaults=True), ""


def _longest_piece(quote: str | None) -> str:
    """A quote's longest verbatim piece: "……" marks a cut inside it."""
    return max((quote or "").split("……"), key=len).strip()


def run(args: argparse.Namespace) -> int:
    chosen = [r for r in records(get_settings()) if args.rating in ("all", r.rating)]
    lines, skipped = [], []
    for record in chosen:
        item, why = to_item(record)
        if item is None:
            skipped.append((record, why))
        else:
            lines.append(json.dumps(item, ensure_ascii=False))
    text = "".join(line + "\n" for line in lines)
    if args.out:
        try:
            args.out.write_text(text, "utf-8")
        except OSError as exc:
            raise CpauditError(f"无法写入 {args.out}：{exc}", f"Cannot write {args.out}: {exc}")
    else:
        sys.stdout.write(text)
    print(f"已导出 {len(lines)} 道题（共 {len(chosen)} 条反馈）/ exported {len(lines)} items "
          f"from {len(chosen)} feedback records", file=sys.stderr)
    for record, why in skipped:
        print(f"  未导出 #{record.id}「{record.question[:40]}」：{why}"
              + (f"；留言：{record.comment[:80]}" if record.comment else ""), file=sys.stderr)
    return 0
