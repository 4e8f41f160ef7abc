"""cpaudit ask: one question, or a JSONL batch of them, answered with citations."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import get_args

from assistant.errors import CpauditError
from assistant.models import DocKind, Filters
from assistant.service import ask
from assistant.settings import get_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", nargs="?", help="问题 / the question")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--batch", type=Path, help='JSONL file of {"id", "question"} lines')
    parser.add_argument("--region", help="只检索该地区的文件，如 广东省 / filter by region")
    parser.add_argument("--doc", help="只检索该文件（doc_id）/ filter by document id")
    parser.add_argument("--kind", choices=get_args(DocKind))
    parser.add_argument("-k", "--top-k", type=_positive, default=None,
                        help="passages to retrieve (1–50)")
    parser.add_argument("--no-llm", action="store_true", help="extractive answer even if an "
                        "LLM is configured")


def _positive(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 50:
        raise argparse.ArgumentTypeError("k 应在 1 到 50 之间 / k must be between 1 and 50")
    return value


def answer_json(answer) -> str:
    return answer.model_dump_json()


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    filters = Filters(region=args.region, doc_id=args.doc, kind=args.kind)
    use_llm = False if args.no_llm else None
    if args.batch:
        from assistant.commands.ask_batch import answer_batch  # its line model: only here

        return answer_batch(args, settings, filters, use_llm)
    if not args.question or not args.question.strip():
        raise CpauditError("请输入问题，例如：cpaudit ask \"什么情况下必须实施强制性清洁生产审核？\"",
                           "Give a question, e.g. cpaudit ask \"...\"")
    answer = ask(args.question, filters=filters, k=args.top_k, use_llm=use_llm,
                 settings=settings)
    if args.json:
        print(answer_json(answer))
    else:
        from assistant.render import print_answer

        print_answer(answer)
    return 0
