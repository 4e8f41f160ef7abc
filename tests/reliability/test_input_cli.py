"""The input side from the command line and the models: encrypted PDFs, terminal escapes,
document metadata checks, cancellation of the loader."""

from __future__ import annotations

import threading

import pytest
from pydantic import ValidationError
from support.hostile_inputs import encrypted_pdf, report_text

from assistant.cli import main


def test_check_of_an_aes_pdf_needing_a_password_exits_2_with_a_message(settings, tmp_path, capsys):
    locked, open_ = tmp_path / "locked.pdf", tmp_path / "open.pdf"
    locked.write_bytes(encrypted_pdf("secret"))
    open_.write_bytes(encrypted_pdf(""))
    assert main(["check", str(locked)]) == 2
    err = capsys.readouterr().err
    assert "加密" in err and "encrypted" in err and "Traceback" not in err
    assert main(["check", "--json", str(open_)]) == 0


def test_check_output_carries_no_terminal_escapes_from_the_report(settings, tmp_path, capsys):
    report = tmp_path / "r.txt"
    report.write_text("\x1b]0;pwned\x07\x1b[2J" + report_text(), "utf-8")
    assert main(["check", str(report)]) == 0
    out = capsys.readouterr().out
    # escape sequences are dropped whole (an OSC title command is invisible by design)
    assert "\x1b" not in out and "\x07" not in out and "pwned" not in out


def test_answers_are_printed_without_control_sequences():
    from rich.console import Console

    from assistant.models import Answer, Citation
    from assistant.render import print_answer

    console = Console(record=True, width=200)
    print_answer(Answer(question="q", answer="答\x1b[31m案", abstained=False, mode="lexical",
                        passages=[], citations=[Citation(n=1, title="标题\x1b]8;;x\x07",
                                                         quote="引\u202e文")]), console)
    text = console.export_text()
    assert "\x1b" not in text and "\u202e" not in text and "答案" in text


@pytest.mark.parametrize("field, value, fragment", [
    ("title", "审核\x1b[2J办法", "control characters"),
    ("title", " \u3000 ", "empty"),
    ("issuer", "部\n委", "control characters"),
    ("date", "2024-13-45", "not a date"),
    ("date", "2024-02-30", "not a date"),
    ("aliases", ["别名\x00"], "control characters"),
])
def test_document_metadata_refuses_control_characters_blanks_and_bad_dates(field, value, fragment):
    from assistant.models import DocumentMeta

    entry = {"id": "x", "title": "办法", "short_title": "办法", "issuer": "部", "region": "全国",
             "kind": "notice", "file": "docs/x.txt", "date": "2024-02-29", field: value}
    with pytest.raises(ValidationError) as caught:
        DocumentMeta(**entry)
    error = caught.value.errors()[0]
    assert fragment in error["msg"] and error["ctx"]["zh"]  # the API shows the Chinese


def test_cancelled_work_stops_in_the_loader():
    from assistant.budget import cancellable
    from assistant.errors import WorkCancelled
    from assistant.loader import load_bytes

    stop = threading.Event()
    stop.set()
    with cancellable(stop), pytest.raises(WorkCancelled):
        load_bytes(report_text().encode("utf-8"), name="r.txt")
    assert load_bytes(report_text().encode("utf-8"), name="r.txt").blocks  # outside: untouched
