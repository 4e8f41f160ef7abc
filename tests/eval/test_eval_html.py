"""The HTML evaluation report as a reader uses it: baselines apart from our configurations,
"—" shown as not applicable, the per-question table filtered and searched (in Chromium), and
a trend across the runs stored in the data directory's history."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.settings import get_settings
from eval.history import FILE_NAME, RunSummary, load_history

# Five items no other test evaluates together, so this module's runs are the only comparable
# ones in the session's history.
IDS = ["qa-001", "qa-017", "qa-139", "qa-153", "qa-002"]
CONFIGS = ["ours", "lc-whitespace"]
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.slow  # two evaluation runs (~20 s)


def _eval(path: Path) -> str:
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["eval", "--ids", *IDS, "--no-progress", "--no-checkers", "--configs",
                     *CONFIGS, "--html", str(path)])
    assert code == 0
    return path.read_text("utf-8")


@pytest.fixture(scope="module")
def reports(settings, tmp_path_factory):
    history = get_settings().data_dir / "eval" / FILE_NAME
    before = len(load_history(history))
    folder = tmp_path_factory.mktemp("eval-html")
    first, second = _eval(folder / "first.html"), _eval(folder / "second.html")
    return {"first": first, "second": second, "path": folder / "second.html",
            "history": load_history(history), "before": before, "file": history}


def test_each_run_is_appended_to_the_history(reports):
    history = reports["history"]
    assert len(history) == reports["before"] + 2
    last_two = history[-2:]
    assert [list(r.configs) for r in last_two] == [CONFIGS, CONFIGS]
    assert last_two[0].items_digest == last_two[1].items_digest and last_two[0].items == 5
    assert last_two[1].configs["ours"]["hit@5"] is not None
    lines = reports["file"].read_text("utf-8").splitlines()
    assert all(RunSummary.model_validate_json(line) for line in lines)  # whole lines only


def test_the_trend_chart_appears_from_the_second_run(reports):
    assert 'alt="trend chart"' not in reports["first"]
    assert "trend appears from the second run" in reports["first"]
    second = reports["second"]
    assert 'alt="trend chart" src="data:image/svg+xml;base64,' in second
    assert "2 runs of" in second


def test_baselines_have_their_own_chart(reports):
    html = reports["second"]
    heading = html.index("<h3>基线 / baselines</h3>")
    assert html.index('alt="headline chart"') < heading < html.index('alt="baseline chart"')
    assert html.count('alt="baseline chart" src="data:image/svg+xml;base64,') == 1


def test_not_applicable_cells_are_marked_and_never_zero(reports):
    html = reports["second"]
    dashes = re.findall(r"<td([^>]*)>[^<]*—[^<]*</td>", html)
    assert dashes, "a baseline never abstains: its abstention precision does not apply"
    assert all('na"' in attrs or "na " in attrs for attrs in dashes), dashes


def test_the_question_table_has_a_filter_and_a_search_box(reports):
    html = reports["second"]
    for element in ('<select id="f-type">', '<select id="f-outcome">', '<select id="f-config">',
                    '<input id="f-search" type="search"', '<span id="f-count">'):
        assert element in html
    for label in CONFIGS:
        assert f">{label}</option>" in html
    for qa_type in ("list", "number", "multi_turn", "unanswerable"):
        assert f'<option value="{qa_type}">' in html
    rows = re.findall(r'<tr data-type="([a-z_]+)" data-outcomes="([a-z ]+)">', html)
    assert len(rows) == len(IDS)
    assert all(len(outcomes.split()) == len(CONFIGS) for _, outcomes in rows)
    assert not re.search(r'(src|href)="(http|//)', html)  # still one self-contained file


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing "
                    "(scripts/install.sh --test)")
def test_filter_and_search_in_a_browser(reports, browser):
    html = reports["second"]
    rows = re.findall(r'<tr data-type="([a-z_]+)" data-outcomes="([a-z ]+)">', html)
    whitespace_misses = sum(outcomes.split()[1] == "miss" for _, outcomes in rows)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(reports["path"].as_uri())
    visible = "#qtable tbody tr:not([hidden])"
    assert page.locator(visible).count() == len(IDS)
    assert page.locator("#f-count").inner_text() == f"{len(IDS)} / {len(IDS)}"
    page.select_option("#f-config", label="lc-whitespace")
    page.select_option("#f-outcome", "miss")
    assert page.locator(visible).count() == whitespace_misses
    assert page.locator('#qtable th[data-c="0"]').is_hidden()  # ours' column hidden
    assert page.locator('#qtable th[data-c="1"]').is_visible()
    page.select_option("#f-outcome", "")
    page.select_option("#f-config", "")
    page.fill("#f-search", "上海")
    assert page.locator(visible).count() == 1
    assert "qa-153" in page.locator(visible).inner_text()
    page.fill("#f-search", "")
    page.select_option("#f-type", "unanswerable")
    assert page.locator(visible).count() == 1
    assert errors == []


def test_history_survives_a_damaged_line(tmp_path, caplog):
    from eval.history import append_run
    from eval.models import EvalRun

    path = tmp_path / FILE_NAME
    path.write_text('{"started_at": "broken', "utf-8")  # a half line, no newline
    run = EvalRun(started_at="2026-01-01T00:00:00", qa_path="qa.jsonl", corpus_dir="corpus",
                  items=0, types={}, configs=[])
    append_run(run, path)
    history = load_history(path)
    assert [r.started_at for r in history] == ["2026-01-01T00:00:00"]
    assert json.loads(path.read_text("utf-8").splitlines()[1])["items"] == 0
