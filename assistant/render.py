"""Terminal rendering: answers (rich), and the plain-text layout every terminal view shares —
the terminal's width, display width of Chinese text, wrapping that never breaks a word, and
`terminal_safe`, through which every piece of document text passes before it is printed.

Sources are a list, not a table: quotes are long Chinese sentences that a narrow table column
would cut off. Each quote is printed once: an extractive answer already holds it.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import unicodedata
from typing import TYPE_CHECKING

from assistant.limits import CONTROL_CHARS
from assistant.models import Answer, Citation

if TYPE_CHECKING:
    from rich.console import Console

MIN_WIDTH = 40  # below this no layout is readable; lines then overflow rather than fold

# Escape sequences (CSI, OSC, and two-character ones) and the control characters left after
# them: document text must not move the cursor, retitle the window or recolour the terminal.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?")
_CONTROLS = CONTROL_CHARS  # C0/C1 controls and bidirectional overrides (assistant.limits)
# Kinsoku: punctuation that may not start a line, and that may not end one.
_NO_LINE_START = set("，。、；：？！）》」』】〕”’…—·%,.;:?!)]}")
_NO_LINE_END = set("（《「『【〔“‘([{")


def terminal_safe(text: str) -> str:
    """Document text made harmless for a terminal: escape sequences and control characters
    removed (tabs become spaces; line breaks are kept)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\t", " ")))


def plain(text: object) -> str:
    """Any text bound for the terminal (titles, paths, error messages) made harmless."""
    return terminal_safe(str(text))


def shown(text: object) -> str:
    """`plain`, with rich markup escaped: "[red]" in a report is shown, not applied."""
    from rich.markup import escape

    return escape(plain(text))


def terminal_width() -> int:
    """Columns to lay out for: $COLUMNS, else the terminal's width, else 80."""
    return max(shutil.get_terminal_size((80, 24)).columns, MIN_WIDTH)


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: each wide character alone, a run of narrow
    characters (a rule id, a number, an English word) whole, and spaces; punctuation stays
    with its neighbour."""
    pieces: list[str] = []
    for ch in text:
        last = pieces[-1][-1] if pieces else " "
        glue = not last.isspace() and not ch.isspace() and (
            ch in _NO_LINE_START or last in _NO_LINE_END
            or (char_width(ch) < 2 and char_width(last) < 2))
        if glue or (ch.isspace() and last.isspace() and pieces):
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    """`text` wrapped to `width` display columns, the first line prefixed by `first`, the
    others by `rest` (a hanging indent; default: spaces as wide as `first`). A piece wider
    than a whole line is cut, as the only way to fit it."""
    rest = " " * display_width(first) if rest is None else rest
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = first if not lines else rest, display_width(first if not lines else rest)
        start = len(line)
        for piece in _tokens(paragraph):
            size = display_width(piece)
            if piece.isspace():  # kept inside a line (column alignment), dropped at a break
                if len(line) > start and used + size < width:
                    line, used = line + piece, used + size
                continue
            if used + size > width and len(line) > start:
                lines.append(line.rstrip())
                line, used = rest, display_width(rest)
                start = len(line)
            while used + size > width and len(line) == start and size > 1:
                cut, cut_width = _fit(piece, width - used)
                lines.append(line + cut)
                piece, size = piece[len(cut):], size - cut_width
                line, used = rest, display_width(rest)
                start = len(line)
            line, used = line + piece, used + size
        lines.append(line.rstrip())
    return lines


def _fit(piece: str, room: int) -> tuple[str, int]:
    out, used = "", 0
    for ch in piece:
        if used + char_width(ch) > room and out:
            break
        out, used = out + ch, used + char_width(ch)
    return out, used


class TerminalView:
    """The lines of a terminal view, each with its rich style, wrapped to one width; printed
    as rich Text, so document text is never read as markup."""

    def __init__(self, width: int | None = None) -> None:
        self.width = width or terminal_width()
        self.lines: list[tuple[str, str | None]] = []

    def add(self, text: str, style: str | None = None, first: str = "",
            rest: str | None = None) -> None:
        self.lines.extend((line, style) for line in wrap(text, self.width, first, rest))

    def heading(self, text: str) -> None:
        self.lines += [("", None), (text, "bold")]

    def text(self) -> str:
        return "\n".join(line for line, _ in self.lines)

    def print(self, console: Console | None = None) -> None:
        if console is None and not _styled_stdout():
            # What rich writes where styles are off: each line as it is (tests/assistant/
            # test_render.py compares the two), without importing rich for it.
            sys.stdout.write("".join(f"{line}\n" for line, _ in self.lines))
            return
        from rich.console import Console
        from rich.text import Text

        console = console or Console(soft_wrap=True, highlight=False)
        for line, style in self.lines:
            console.print(Text(line, style=style or ""), soft_wrap=True, highlight=False)


def _styled_stdout() -> bool:
    """Would rich's default console style its output? On a terminal, or when the environment
    forces it (TTY_COMPATIBLE=1, a non-empty FORCE_COLOR), as rich decides."""
    if os.environ.get("TTY_COMPATIBLE") in ("0", "1"):
        return os.environ["TTY_COMPATIBLE"] == "1"
    if os.environ.get("FORCE_COLOR") is not None:
        return os.environ["FORCE_COLOR"] != ""
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


CONTEXT_LABEL = "相关内容（仅供参考，不是答案）"


def _where(c: Citation) -> str:
    return " > ".join(x for x in (c.section, c.article or "") if x)


def _page(c: Citation) -> str:
    return f" · 第 {c.page} 页" if c.page else ""


def print_answer(answer: Answer, console: Console | None = None,
                 shown_notes: set[str] | None = None) -> None:
    """An answer, its sources and its notes, wrapped to the terminal's width. A source's quote
    is printed only when the answer text does not already hold it; a note in `shown_notes`
    (a chat session's) is not repeated."""
    answer_view(answer, shown_notes).print(console)


def answer_view(answer: Answer, shown_notes: set[str] | None = None,
                width: int | None = None) -> TerminalView:
    safe = terminal_safe
    view = TerminalView(width)
    if answer.resolved_question:
        view.add(f"（理解为：{safe(answer.resolved_question)}）", "dim")
    view.add(safe(answer.answer), "yellow" if answer.abstained else None)
    if answer.citations:
        view.heading("来源 / Sources")
    for c in answer.citations:
        view.add(f"《{safe(c.title or '')}》{safe(_where(c))}{_page(c)}", None, f"[{c.n}] ")
        if c.quote and c.quote not in answer.answer:
            view.add(f"“{safe(c.quote)}”", "dim", "    ")
    if answer.context:
        view.heading(f"{CONTEXT_LABEL} / Related text (for reference, not an answer)")
    for c in answer.context:
        view.add(f"《{safe(c.title or '')}》{safe(_where(c))}{_page(c)}", "dim", "· ")
        view.add(f"“{safe(c.quote or '')}”", "dim", "    ")
    for note in answer.notes:
        if shown_notes is not None:
            if note in shown_notes:
                continue
            shown_notes.add(note)
        view.add(safe(note), "dim", "· ")
    return view
