"""`cpaudit check` and `cpaudit review` in an 80-column terminal, as a user reads them: the
verdict first, no line wider than the terminal (a Chinese character is two columns), level
and category words and rule ids whole, each policy basis printed once and referenced."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from assistant.cli import main
from checkers.render import CATEGORY_ZH, SEVERITY_ZH, basis_text

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
DONE_WHEN = REPORTS / "generated" / "done-when.docx"
HEADER = re.compile(r"^\s*\d+\. (错误|警告|提示) · (章节|审核小组|指标|一致性|引用|格式) · ")


def columns(line: str) -> int:
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def run_check(capsys, monkeypatch, report: Path, width: int) -> tuple[list[str], dict]:
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["check", str(report)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert main(["check", str(report), "--json"]) == 0
    return lines, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("report, width", [
    (DONE_WHEN, 80), (REPORTS / "src" / "defect-citations.md", 80),
    (REPORTS / "generated" / "defect-consistency.pdf", 80), (DONE_WHEN, 120),
])
def test_check_fits_the_terminal_with_the_verdict_first(settings, capsys, monkeypatch,
                                                        report, width):
    lines, data = run_check(capsys, monkeypatch, report, width)
    too_wide = [line for line in lines if columns(line) > width]
    assert not too_wide, too_wide
    assert lines[0].startswith(f"判定：{data['verdict']}")
    counts = data["summary"]["by_severity"]
    assert lines[1].startswith(" · ".join(f"{SEVERITY_ZH[s]} {n}" for s, n in counts.items()))
    # One header line per finding, its level and category whole and in order.
    headers = [line for line in lines if HEADER.match(line)]
    assert [HEADER.match(h).groups() for h in headers] == [
        (SEVERITY_ZH[f["severity"]], CATEGORY_ZH[f["category"]]) for f in data["findings"]]
    # Every rule id is printed whole, once per finding that has it.
    for rule_id in {f["rule_id"] for f in data["findings"]}:
        expected = sum(f["rule_id"] == rule_id for f in data["findings"])
        assert sum(line.count(rule_id) for line in lines) == expected, rule_id


def test_each_basis_is_printed_once_and_referenced_by_number(settings, capsys, monkeypatch):
    lines, data = run_check(capsys, monkeypatch, DONE_WHEN, 80)
    from checkers.findings import CheckResult

    result = CheckResult.model_validate(data)
    bases = list(dict.fromkeys(basis_text(f.basis) for f in result.findings if basis_text(f.basis)))
    assert len(bases) < len([f for f in result.findings if basis_text(f.basis)])  # shared ones
    flat = squashed("".join(lines))
    for n, basis in enumerate(bases, start=1):
        assert flat.count(squashed(basis)) == 1, basis
        assert flat.count(f"[依据{n}]") == 1 + sum(basis_text(f.basis) == basis
                                                  for f in result.findings)
    section = lines.index(f"依据（{len(bases)} 条）")
    assert all(not HEADER.match(line) for line in lines[section:])


def test_document_text_cannot_drive_the_terminal(settings, tmp_path, capsys, monkeypatch):
    """Escape sequences planted in a report are not passed to the terminal."""
    source = (REPORTS / "src" / "done-when.md").read_text("utf-8").replace(
        "## 1.1 审核背景与依据",
        "## 1.1 审核背景与依据\n\n根据《某某\x1b]0;pwned\x07办法\x1b[2J》第五十二条开展审核。")
    path = tmp_path / "escapes.md"
    path.write_text(source, encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "某某办法" in squashed(out)


def test_review_fits_the_terminal_with_ids_whole(settings, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["review", str(DONE_WHEN), "--no-llm"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert main(["review", str(DONE_WHEN), "--no-llm", "--json"]) == 0
    review = json.loads(capsys.readouterr().out)
    assert [line for line in lines if columns(line) > 80] == []
    assert lines[0].startswith(f"结论 / verdict: {review['verdict']}")
    for finding in review["findings"]:
        assert any(finding["rule_id"] in line for line in lines), finding["rule_id"]
    refs = [line for line in lines if re.match(r"^\[\d+\] ", line)]
    assert len(refs) == len({line.split(" ", 1)[0] for line in refs})  # each passage once
