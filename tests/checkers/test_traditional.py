"""A report in traditional characters (DOCX, UTF-8 or Big5 text) gets the findings its
simplified original gets, and every quote a finding shows is the report's own text.

The traditional versions are made here from dev reports (eval/data/reports/dev/generated) with
OpenCC: s2t (mainland terms, traditional characters) and s2tw (Taiwan standard).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import opencc
import pytest

from assistant.loader import load_bytes, load_file
from checkers.engine import check_report

DEV = Path(__file__).resolve().parents[2] / "eval" / "data" / "reports" / "dev" / "generated"
LABELS = DEV.parent / "labels.yaml"


def traditional_docx(path: Path, config: str) -> bytes:
    """The DOCX with the text of its body, headers and footers converted (XML markup is ASCII,
    so converting the XML converts the text and leaves the markup alone)."""
    convert = opencc.OpenCC(config).convert
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", info.filename):
                data = convert(data.decode("utf-8")).encode("utf-8")
            copy.writestr(info, data)
    return out.getvalue()


def big5_writable(text: str) -> str:
    """The text with the symbols Big5 lacks (³, ≤) as "?", which is what saving it as Big5
    does: the simplified original and its Big5 version then say the same."""
    taiwan = opencc.OpenCC("s2tw").convert
    missing = set()
    for ch in set(text):
        try:
            taiwan(ch).encode("big5")
        except UnicodeEncodeError:
            missing.add(ch)
    return "".join("?" if ch in missing else ch for ch in text)


def findings(result) -> list[tuple[str, str]]:
    return sorted((f.rule_id, f.severity) for f in result.findings)


def check(data: bytes, name: str, settings, index):
    return check_report(data, name=name, settings=settings, index=index)


def assert_quotes_are_the_reports_own(result, text: str) -> None:
    """Every piece of every quote is found in the report as written (not in simplified form)."""
    flat = " ".join(text.split())
    for finding in result.findings:
        for piece in re.split(r"\s+|[|；]", finding.evidence.rstrip("…")):
            assert piece in flat, (finding.rule_id, piece)
        for heading in finding.location.heading_path:
            assert " ".join(heading.split()) in flat, (finding.rule_id, heading)


@pytest.mark.slow
@pytest.mark.parametrize("name, config", [("shuini-hongji", "s2t"), ("jiudian-hubin", "s2tw")])
def test_a_complete_report_in_traditional_characters_gets_the_same_findings(
        name, config, settings, index):
    path = DEV / f"{name}.docx"
    simplified_docx = check(path.read_bytes(), path.name, settings, index)
    traditional = traditional_docx(path, config)
    converted = check(traditional, path.name, settings, index)
    assert simplified_docx.verdict == "可提交"
    assert findings(converted) == findings(simplified_docx)
    assert converted.verdict == simplified_docx.verdict
    assert converted.report.industry == simplified_docx.report.industry
    own = load_bytes(traditional, name=path.name)
    assert converted.report.title and converted.report.title in own.text
    assert converted.report.title != simplified_docx.report.title  # shown as written
    assert_quotes_are_the_reports_own(converted, own.text)

    # the same report as plain text, simplified UTF-8 against traditional UTF-8 and Big5 (Big5
    # is Taiwan's encoding: the text in Taiwan forms, 啟 not 啓, which Big5 lacks)
    text = big5_writable(load_file(path).text)
    as_text = check(text.encode("utf-8"), f"{name}.txt", settings, index)
    for encoding, form in (("utf-8", config), ("big5", "s2tw")):
        trad_text = opencc.OpenCC(form).convert(text)
        data = trad_text.encode(encoding)  # strict: nothing replaced
        result = check(data, f"{name}.txt", settings, index)
        assert findings(result) == findings(as_text), encoding
        assert_quotes_are_the_reports_own(result, trad_text)


@pytest.mark.slow
def test_a_traditional_report_with_planted_defects_still_gets_them(settings, index):
    import yaml

    planted = yaml.safe_load(LABELS.read_text("utf-8"))["dianduo-ruifeng"]["defects"]
    path = DEV / "dianduo-ruifeng.docx"
    traditional = traditional_docx(path, "s2t")
    result = check(traditional, path.name, settings, index)
    found = {(f.rule_id, f.severity) for f in result.findings}
    assert {(d["rule_id"], d["severity"]) for d in planted} <= found
    assert findings(result) == findings(check(path.read_bytes(), path.name, settings, index))
    leader = next(f for f in result.findings if f.rule_id == "TEAM-LEADER-NOT-PRINCIPAL")
    assert "副總經理" in leader.evidence  # quoted as the report writes it
    assert_quotes_are_the_reports_own(result, load_bytes(traditional, name=path.name).text)
