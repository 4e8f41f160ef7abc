"""Render a layout-fixture source as Markdown (UTF-8) or plain text (GB18030), the way such
files reach a reviewer: a Markdown draft written by hand or exported, and a Word file saved as
"纯文本" on a Chinese Windows machine.

Markdown: chapter headings `#`/`##`/`###`, captions as their own line, pipe tables (a merged
unit row becomes a `单位：…` line under the caption, a rowspan cell is repeated in the rows it
covers, a group row keeps its label in the first cell; a header of several rows is the first
as the Markdown header, the rest as rows under it), no page furniture and no 目录. A table the
source splits under a 续表 caption stays split, as in the Word file the text came from.
Text: what Word's plain-text export writes — cover lines, the 目录 as "entry<TAB>page", headings
and paragraphs as lines, one table row per line with tab-separated cells; no header or footer.
A source asks for these with `text_formats: [md]`, `[txt]` or both.
"""

from __future__ import annotations

from pathlib import Path

from layout_spec import COVERED, SPANNED, Spec, header_rows, heading_text, level_of, table_parts

_LIST_MARK = {"number": "（{n}）", "bullet": "● "}


def _cell_text(cell: object) -> str:
    return cell["text"] if isinstance(cell, dict) else str(cell)


def table_rows(table: Spec) -> list[list[str]]:
    """The table's body rows as text, a rowspan cell repeated in every row it covers and a
    group row as its label followed by empty cells."""
    ncols = len(header_rows(table)[0])
    spans: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    out: list[list[str]] = []
    for cells in table["rows"]:
        if isinstance(cells, dict):
            out.append([cells["group"]] + [""] * (ncols - 1))
            continue
        row = []
        for c, cell in enumerate(cells):
            if cell == COVERED:
                text, left = spans[c]
                row.append(text)
                spans[c] = (text, left - 1)
                continue
            row.append(_cell_text(cell))
            if isinstance(cell, dict) and int(cell.get("rowspan", "1")) > 1:
                spans[c] = (cell["text"], int(cell["rowspan"]) - 1)
        out.append(row)
    return out


def header_lines(table: Spec) -> list[list[str]]:
    """The header row(s) as text: a cell spanned from above ("^") repeats the text above it, as
    a body rowspan does; a cell spanned from the left ("<") is empty, as a group row's are."""
    out: list[list[str]] = []
    for row in header_rows(table):
        out.append([out[-1][c] if text == COVERED else "" if text == SPANNED else text
                    for c, text in enumerate(row)])
    return out


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _list_lines(block: Spec) -> list[str]:
    mark = _LIST_MARK[block["list"]["kind"]]
    return [mark.format(n=n) + item for n, item in enumerate(block["list"]["items"], 1)]


def build_markdown(spec: Spec, target: Path) -> None:
    lines = [f"**{spec['title']}**", ""]
    for line in spec.get("cover", []):
        lines += [line, ""]
    for block in spec["body"]:
        if "title" in block:
            lines += [f"**{block['title']}**", ""]
        elif level := level_of(block):
            lines += [f"{'#' * level} {heading_text(block, level)}", ""]
        elif "para" in block:
            lines += [block["para"], ""]
        elif "article" in block:
            first, *rest = block["paras"]
            lines += [f"**{block['article']}**　{first}", ""]
            for text in rest:
                lines += [text, ""]
        elif "list" in block:
            lines += _list_lines(block) + [""]
        elif "table" in block:
            for caption, table in table_parts(block["table"]):
                lines += [caption, ""]
                if unit := table.get("unit"):
                    lines += [f"单位：{unit}", ""]
                first, *more = header_lines(table)
                lines += [_md_row(first), "|" + "|".join(["---"] * len(first)) + "|"]
                lines += [_md_row(row) for row in [*more, *table_rows(table)]] + [""]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), encoding="utf-8")


def build_text(spec: Spec, target: Path) -> None:
    lines = [spec["title"], *spec.get("cover", []), ""]
    if toc := spec.get("toc"):
        lines += [toc["title"], *(f"{text}\t{page}" for text, page in toc["entries"]), ""]
    for block in spec["body"]:
        if "title" in block:
            lines.append(block["title"])
        elif level := level_of(block):
            lines.append(heading_text(block, level))
        elif "para" in block:
            lines.append(block["para"])
        elif "article" in block:
            first, *rest = block["paras"]
            lines += [f"{block['article']}　{first}", *rest]
        elif "list" in block:
            lines += _list_lines(block)
        elif "table" in block:
            for caption, table in table_parts(block["table"]):
                lines.append(caption)
                if unit := table.get("unit"):
                    lines.append(f"单位：{unit}")
                lines += ["\t".join(r) for r in [*header_lines(table), *table_rows(table)]]
    target.parent.mkdir(parents=True, exist_ok=True)
    # Windows line ends and GB18030, as 记事本/Word "纯文本" on a Chinese system writes them.
    target.write_bytes("\r\n".join(lines).encode("gb18030") + b"\r\n")


def text_of(path: Path) -> list[str]:
    """The lines of a rendered .md or .txt (for the generators' --check)."""
    encoding = "gb18030" if path.suffix == ".txt" else "utf-8"
    return path.read_bytes().decode(encoding).splitlines()
