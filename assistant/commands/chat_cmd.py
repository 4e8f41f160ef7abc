"""cpaudit chat: a multi-turn conversation; follow-ups are resolved against earlier turns."""

from __future__ import annotations

import argparse

from rich.console import Console

from assistant.errors import CpauditError
from assistant.models import Filters
from assistant.render import print_answer, shown
from assistant.service import ask, ensure_index
from assistant.settings import get_settings

EXIT_WORDS = {"exit", "quit", "q", "退出", "再见"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", help="filter by region")
    parser.add_argument("--no-llm", action="store_true", help="extractive answers only")


def run(args: argparse.Namespace) -> int:
    console = Console()
    settings = get_settings()
    index = ensure_index(settings)
    filters = Filters(region=args.region)
    history: list[str] = []
    previous = ""  # what the last answer quoted
    shown_notes: set[str] = set()  # the mode note is said once a session, not every turn
    console.print("清洁生产审核助手：请输入问题（输入 exit 退出）/ type exit to leave", style="bold")
    while True:
        try:
            question = console.input("[bold cyan]问> [/bold cyan]").strip()
        except EOFError:
            break
        if not question:
            continue
        if question.lower() in EXIT_WORDS:
            break
        try:
            answer = ask(question, history=history, filters=filters, index=index,
                         settings=settings, use_llm=False if args.no_llm else None,
                         previous_answer=previous)
        except CpauditError as exc:  # say what was wrong and keep the conversation going
            console.print(shown(exc.message()), style="red", highlight=False)
            continue
        print_answer(answer, console, shown_notes)
        history.append(answer.resolved_question or question)
        previous = answer.quoted
    return 0
