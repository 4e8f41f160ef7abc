"""Render a layout-fixture source as the text a consultant sends when not sending Word or PDF:
Markdown (`NAME.md`, UTF-8, as exported from Word: # headings or **bold** ones, pipe tables) or
plain text (`NAME.txt`, GB18030, as Word's "save as plain text": one line per paragraph, table
cells separated by tabs, one line per row).

Merged cells come out as Word's exports write them: the text in the first cell of the span, the
covered cells empty. A unit row (`unit:`) is the line "单位：…" above the header; a group row is
its text in the first cell. Neither format has pages, so there is no running header or footer; a
table split with a 续表 caption stays split, as it is in the Word file the text came from.
"""

from __future__ import annotations

from pathlib import Path

from layout_spec import COVERED, SPANNED, Spec, header_rows, heading_text, level_of, table_parts

TXT_ENCODING = "gb18030"


def _cell(cell: object) -> str:
    if isinstance(cell, dict):
        return str(cell.get("text", ""))
    return "" if cell in (COVERED, SPANNED) else str(cell)


def _grid(table: Spec) -> list[list[str]]:
    """Header rows then body rows, every row as wide as the header, spans left empty."""
    headers = header_rows(table)
    ncols = len(headers[0])
    grid = [[_cell(c) for c in row] for row in headers]
    for row in table["rows"]:
        if isinstance(row, dict):  # group row: one cell across the table
            grid.append([row["group"]] + [""] * (ncols - 1))
        else:
            grid.append([_cell(c) for c in row])
    return grid


def _md_table(table: Spec) -> list[str]:
    grid = _grid(table)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    lines = [line(grid[0]), "|" + "---|" * len(grid[0])]
    return lines + [line(row) for row in grid[1:]]


def _lines(spec: Spec, fmt: str) -> list[str]:
    """The document as paragraphs (blank-line separated in Markdown, one per line in text)."""
    out: list[str] = []
    bold = spec.get("headings") == "bold"
    if "cover" in spec:
        out.append(f"**{spec['title']}**" if fmt == "md" else spec["title"])
        out += spec["cover"]
    if "toc" in spec:
        out.append(spec["toc"]["title"])
        out += [f"{text}\t{page}" for text, page in spec["toc"]["entries"]]
    for block in spec["body"]:
        if "title" in block:
            out.append(f"# {block['title']}" if fmt == "md" and not bold else block["title"])
        elif level := level_of(block):
            text = heading_text(block, level)
            if fmt == "md":
                text = f"**{text}**" if bold else f"{'#' * (level + 1)} {text}"
            out.append(text)
        elif "para" in block:
            out.append(block["para"])
        elif "article" in block:
            first, *rest = block["paras"]
            out.append(f"{block['article']}　{first}")
            out += rest
        elif "list" in block:
            marks = (f"（{n + 1}）" for n in range(len(block["list"]["items"])))
            for item in block["list"]["items"]:
                out.append(f"{next(marks) if block['list']['kind'] == 'number' else '●'}{item}")
        elif "table" in block:
            for caption, part in table_parts(block["table"]):
                out.append(caption)
                if part.get("unit"):
                    out.append(f"单位：{part['unit']}")
                if fmt == "md":
                    out.append("\n".join(_md_table(part)))
                else:
                    out.append("\n".join("\t".join(row) for row in _grid(part)))
    return out


def build_md(spec: Spec, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n\n".join(_lines(spec, "md")) + "\n", encoding="utf-8")


def build_txt(spec: Spec, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    text = "\r\n".join(_lines(spec, "txt")).replace("\n", "\r\n").replace("\r\r\n", "\r\n")
    target.write_bytes((text + "\r\n").encode(TXT_ENCODING))


def md_text(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def txt_text(path: Path) -> list[str]:
    return path.read_bytes().decode(TXT_ENCODING).splitlines()
