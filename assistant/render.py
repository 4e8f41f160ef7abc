"""Terminal rendering of answers (rich). Sources are a list, not a table: quotes are long
Chinese sentences that a narrow table column would cut off.

`shown()` is the one way text from a document or a user reaches the terminal (answers, check
tables, reviews, status, error messages): terminal control characters (ESC sequences, BEL,
bidirectional overrides…) become "�" so a title cannot rewrite the screen, and rich markup
is escaped so "[red]" in a report is shown, not applied."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from assistant.limits import CONTROL_CHARS
from assistant.models import Answer


def plain(text: object) -> str:
    """`text` without terminal control characters (line breaks and tabs kept)."""
    return CONTROL_CHARS.sub("\ufffd", str(text))


def shown(text: object) -> str:
    """`text` safe to print with rich: no control characters, markup escaped."""
    return escape(plain(text))


def print_answer(answer: Answer, console: Console | None = None) -> None:
    console = console or Console()
    if answer.resolved_question:
        console.print(f"[dim]（理解为：{shown(answer.resolved_question)}）[/dim]")
    console.print(shown(answer.answer), style="yellow" if answer.abstained else None,
                  highlight=False)
    if answer.citations:
        console.print("\n[bold]来源 / Sources[/bold]")
    for c in answer.citations:
        where = " > ".join(x for x in (c.section, c.article or "") if x)
        page = f" · 第 {c.page} 页" if c.page else ""
        console.print(f"[bold][{c.n}][/bold] 《{shown(c.title)}》{shown(where)}{page}",
                      highlight=False)
        console.print(f"    “{shown(c.quote or '')}”", style="dim", highlight=False)
    for note in answer.notes:
        console.print(f"[dim]· {shown(note)}[/dim]", highlight=False)
