"""Bad input gets a clear, bilingual error (CLI: exit code 2), never a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from assistant.cli import main
from assistant.errors import CpauditError

GOOD_PDF = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "generated" / \
    "complete-ceramics.pdf"


def _encrypted(path: Path) -> Path:
    writer = PdfWriter(clone_from=str(GOOD_PDF))
    writer.encrypt(user_password="secret", owner_password="owner")
    writer.write(str(path))
    return path


def _zip_not_docx(path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("data.csv", "a,b\n1,2\n")
    path.write_bytes(buffer.getvalue())
    return path


def _huge(path: Path) -> Path:
    with path.open("wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    return path


BAD = {
    "encrypted.pdf": (_encrypted, "加密"),
    "corrupt.pdf": (lambda p: p.write_bytes(GOOD_PDF.read_bytes()[:2000]) and p, "损坏"),
    "empty.md": (lambda p: p.write_bytes(b"") or p, "为空"),
    "blank.txt": (lambda p: p.write_bytes(b"  \n\n ") or p, "为空"),
    "archive.docx": (_zip_not_docx, "ZIP"),
    "huge.pdf": (_huge, "过大"),
    "missing.pdf": (lambda p: p, "找不到"),
}


@pytest.fixture(params=sorted(BAD))
def bad_file(request, tmp_path) -> tuple[Path, str]:
    make, words = BAD[request.param]
    path = tmp_path / request.param
    made = make(path)
    return (made if isinstance(made, Path) else path), words


def test_check_report_raises_a_clear_error(bad_file, settings, index):
    from checkers import check_report

    path, words = bad_file
    with pytest.raises(CpauditError) as info:
        check_report(path, index=index)
    assert words in info.value.zh and info.value.en and info.value.hint_zh


def test_cli_exit_code_2_without_traceback(bad_file, settings, capsys):
    path, words = bad_file
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Error" in err and "Traceback" not in err


def test_bytes_input_is_checked_the_same(settings, index):
    from checkers import check_report

    with pytest.raises(CpauditError):
        check_report(b"", name="empty.pdf", index=index)
    result = check_report(GOOD_PDF.read_bytes(), name="upload.pdf", index=index)
    assert result.report.name == "upload.pdf" and result.verdict == "可提交"


def test_unknown_profile_and_industry(settings, capsys):
    report = str(GOOD_PDF.with_suffix(".docx"))
    assert main(["check", report, "--profile", "nowhere"]) == 2
    assert "nowhere" in capsys.readouterr().err
    assert main(["check", report, "--profile", "ceramics"]) == 2  # an industry, not a profile


def test_a_profile_name_never_leaves_the_rule_pack(settings, tmp_path, capsys):
    """A profile is loaded only by a name listed in rules/profiles/: a path that climbs out of
    it is an unknown profile, and nothing of the file it points at is shown."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: x\nkind: region\ntitle: t\npassword: hunter2-TOPSECRET\n", "utf-8")
    climb = "../" * 12 + str(secret.with_suffix("")).lstrip("/")
    report = str(GOOD_PDF.with_suffix(".docx"))
    for option in ("--profile", "--industry"):
        assert main(["check", report, option, climb]) == 2
        err = capsys.readouterr().err
        assert "未知的" in err and "hunter2" not in err and "password" not in err
        assert "Traceback" not in err


def test_a_broken_rule_file_names_the_file_not_its_contents(settings, server_rules, capsys):
    (server_rules / "profiles" / "broken.yaml").write_text(
        "name: broken\nkind: region: token-hunter2\ntitle: 坏\n", "utf-8")
    report = str(GOOD_PDF.with_suffix(".docx"))
    # Building the command line reads no rule file: help works while the pack is broken.
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--help"])
    assert exit_info.value.code == 0 and "--industry" in capsys.readouterr().out
    assert main(["check", report]) == 2
    err = capsys.readouterr().err
    assert "profiles/broken.yaml" in err and "第 2 行" in err and "line 2" in err
    assert "hunter2" not in err and "Traceback" not in err and "unicode string" not in err

    (server_rules / "profiles" / "broken.yaml").write_text(
        "name: broken\nkind: region\ntitle: 坏\nsecret_key: token-hunter2\n", "utf-8")
    assert main(["check", report, "--industry", "ceramics"]) == 2
    err = capsys.readouterr().err
    assert "profiles/broken.yaml" in err and "secret_key" in err and "hunter2" not in err


def test_the_size_limit_of_the_settings_passed_in_applies(settings, tmp_path):
    from assistant.errors import UnreadableFileError
    from checkers import check_report

    report = tmp_path / "r.md"
    report.write_text("# 第一章 筹划和组织\n" + "审核小组成立。\n" * 300, "utf-8")
    small = settings.model_copy(update={"max_file_mb": 0.001})
    with pytest.raises(UnreadableFileError):
        check_report(report, settings=small)
    with pytest.raises(UnreadableFileError):
        check_report(report.read_bytes(), name="r.md", settings=small)
