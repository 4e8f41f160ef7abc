"""The terminal layout every CLI view shares, on real corpus text: lines fit the width
(a Chinese character is two columns), nothing is lost or reordered, no line starts with
closing punctuation, and words (rule ids, numbers, English) are never broken."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.loader import decode_text
from assistant.render import display_width, terminal_safe, terminal_width, wrap

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "docs"


@pytest.mark.parametrize("width", [40, 61, 80, 132])
@pytest.mark.parametrize("name", ["gz-action-plan.txt", "gx-plan-2021.txt", "eia-law.md"])
def test_wrapping_real_text_keeps_every_character_and_fits(name, width):
    text, _ = decode_text((CORPUS / name).read_bytes(), name)  # gx-plan is GB18030
    text = text[:6000]
    for paragraph in filter(None, (p.strip() for p in text.splitlines())):
        lines = wrap(paragraph, width, "[依据12] ")
        assert all(display_width(line) <= width for line in lines), lines
        assert re.sub(r"\s+", "", "".join(lines)) == re.sub(r"\s+", "", "[依据12]" + paragraph)
        for line in lines[1:]:
            assert line.startswith(" " * 9)
            assert line.strip()[0] not in "，。、；：？！）》」”", line
        words = re.findall(r"[A-Za-z0-9][A-Za-z0-9.\-/]*", paragraph)
        joined = "\n".join(lines)
        assert all(word in joined for word in words if len(word) < width - 9)


def test_a_rule_id_moves_to_the_next_line_whole():
    lines = wrap("规则：" + "审" * 30 + " TEAM-LEADER-NOT-PRINCIPAL · [依据2]", 80, "    ")
    assert any("TEAM-LEADER-NOT-PRINCIPAL" in line for line in lines)
    assert all(display_width(line) <= 80 for line in lines)


def test_columns_decides_the_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert terminal_width() == 100
    monkeypatch.setenv("COLUMNS", "10")
    assert terminal_width() == 40  # the narrowest layout that stays readable


def test_terminal_safe_drops_escape_sequences_and_controls():
    text = "第二十七条\x1b[31m红\x1b[0m\x1b]0;title\x07\x08\x9b 正文\t续\n下一行"
    assert terminal_safe(text) == "第二十七条红 正文 续\n下一行"


def test_unstyled_output_is_what_rich_writes(index, monkeypatch, capsys):
    """Where styles are off (a pipe, a file), answers are written without importing rich:
    byte for byte what rich's console writes there, on real answers with sources, quotes,
    context and notes."""
    import io

    from rich.console import Console

    from assistant.render import answer_view
    from assistant.service import ask

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    for question in ["清洁生产审核报告应当包括哪些内容？", "什么情况下必须实施强制性清洁生产审核？",
                     "广西的清洁生产目标是什么？", "火星上的排污费是多少？"]:
        view = answer_view(ask(question, index=index), width=61)
        rich_out = io.StringIO()
        view.print(Console(file=rich_out, soft_wrap=True, highlight=False, force_terminal=False))
        view.print()  # capsys's stdout is not a terminal
        assert capsys.readouterr().out == rich_out.getvalue() != ""


def test_forced_colour_still_goes_through_rich(monkeypatch):
    from assistant import render

    monkeypatch.setenv("FORCE_COLOR", "1")
    assert render._styled_stdout()
    monkeypatch.setenv("FORCE_COLOR", "")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    assert render._styled_stdout()
