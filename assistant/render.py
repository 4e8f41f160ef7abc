"""Terminal rendering of answers (rich). Sources are a list, not a table: quotes are long
Chinese sentences that a narrow table column would cut off."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from assistant.models import Answer


def print_answer(answer: Answer, console: Console | None = None) -> None:
    console = console or Console()
    if answer.resolved_question:
        console.print(f"[dim]（理解为：{escape(answer.resolved_question)}）[/dim]")
    console.print(escape(answer.answer), style="yellow" if answer.abstained else None,
                  highlight=False)
    if answer.citations:
        console.print("\n[bold]来源 / Sources[/bold]")
    for c in answer.citations:
        where = " > ".join(x for x in (c.section, c.article or "") if x)
        page = f" · 第 {c.page} 页" if c.page else ""
        console.print(f"[bold][{c.n}][/bold] 《{escape(c.title)}》{escape(where)}{page}",
                      highlight=False)
        console.print(f"    “{escape(c.quote or '')}”", style="dim", highlight=False)
    for note in answer.notes:
        console.print(f"[dim]· {escape(note)}[/dim]", highlight=False)
