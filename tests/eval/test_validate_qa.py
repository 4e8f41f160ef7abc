"""The Q&A set stays valid: every quote verbatim in the text the index reads (PDF and DOCX
included), every article and keyword where the item says it is."""

from __future__ import annotations

import json

import pytest

from eval.validate_qa import DEFAULT_QA_PATH, load_corpus, main, validate


def test_the_shipped_qa_set_is_valid(capsys):
    assert main([str(DEFAULT_QA_PATH)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("OK")


def test_a_quote_that_is_not_in_its_document_is_caught(tmp_path):
    items = [json.loads(line) for line in DEFAULT_QA_PATH.read_text("utf-8").splitlines()]
    broken = next(i for i in items if i["id"] == "qa-001")
    broken["evidence"][0]["quote"] = "企业应当每年向国务院缴纳审核保证金"
    broken["article"] = "第九十九条"
    path = tmp_path / "qa.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), "utf-8")
    report = validate(path, load_corpus())
    assert any("qa-001" in e and "not verbatim" in e for e in report.errors)
    assert any("qa-001" in e and "第九十九条" in e for e in report.errors)


def test_the_dev_and_test_sets_are_valid_and_disjoint(capsys):
    """Every evidence and nearby quote of both new sets is verbatim in its document, every
    item is labelled with its form and what it asks, and no question is in two sets."""
    from eval.validate_qa import SET_PATHS

    assert [p.name for p in SET_PATHS] == ["qa.jsonl", "qa_dev.jsonl", "qa_dev2.jsonl",
                                        "qa_dev3.jsonl", "qa_dev4.jsonl", "qa_test.jsonl",
                                        "qa_val.jsonl", "qa_val2.jsonl", "qa_test2.jsonl",
                                        "qa_test3.jsonl", "qa_dev5.jsonl", "qa_test4.jsonl",
                                        "qa_dev6.jsonl", "qa_test5.jsonl"]
    assert main([]) == 0, capsys.readouterr().out
    assert capsys.readouterr().out.rstrip().endswith("OK")


def test_a_nearby_quote_that_is_not_in_its_document_is_caught(tmp_path):
    from eval.validate_qa import DATA_DIR

    lines = (DATA_DIR / "qa_dev.jsonl").read_text("utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    broken = next(i for i in items if i.get("nearby"))
    broken["nearby"][0]["quote"] = "名单公布后三十个工作日内必须启动审核"
    path = tmp_path / "qa_dev.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), "utf-8")
    report = validate(path, load_corpus())
    assert any(broken["id"] in e and "nearby 1" in e for e in report.errors)


def test_the_validation_set_is_a_frozen_named_set():
    """qa_val.jsonl is the held-out validation set: `cpaudit eval --set val` runs it, and it is
    frozen like test (aggregate figures only; eval/command.py withholds every FROZEN_SETS run)."""
    import argparse

    from eval.command import add_arguments
    from eval.dataset import FROZEN_SETS, SETS, load_set

    assert "val" in FROZEN_SETS and [p.name for p in SETS["val"]] == ["qa_val.jsonl"]
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert parser.parse_args(["--set", "val"]).sets == ["val"]
    items = load_set("val")
    assert len(items) >= 100 and all(item.id.startswith("val-") for item in items)


def test_a_validation_set_missing_an_asks_kind_is_caught(tmp_path):
    """The validation set must spread its questions over all ten asks kinds."""
    from eval.validate_qa import DATA_DIR

    lines = (DATA_DIR / "qa_val.jsonl").read_text("utf-8").splitlines()
    kept = [line for line in lines if json.loads(line)["asks"] != "where"]
    path = tmp_path / "qa_val.jsonl"
    path.write_text("\n".join(kept), "utf-8")
    report = validate(path, load_corpus())
    assert any("no item asks where" in e for e in report.errors)


def test_the_second_validation_set_is_frozen_on_arrival():
    """qa_val2.jsonl (issue 11) is a named set frozen like val: aggregates only."""
    from eval.dataset import FROZEN_SETS, SETS, load_set

    assert "val2" in FROZEN_SETS and [p.name for p in SETS["val2"]] == ["qa_val2.jsonl"]
    items = load_set("val2")
    assert len(items) >= 90 and all(item.id.startswith("val2-") for item in items)


def test_the_second_test_set_is_frozen_on_arrival():
    """qa_test2.jsonl (issue 11) is a named set frozen like val2: aggregates only."""
    from eval.dataset import FROZEN_SETS, SETS, load_set

    assert "test2" in FROZEN_SETS and [p.name for p in SETS["test2"]] == ["qa_test2.jsonl"]
    items = load_set("test2")
    assert len(items) >= 120 and all(item.id.startswith("test2-") for item in items)


def test_the_dev4_test3_split_registers_one_half_as_dev_and_freezes_the_other():
    """qa_dev4.jsonl and qa_test3.jsonl are the two halves of one set of 140 questions (issue
    11): dev4 is part of the default dev set, test3 is a named set frozen on arrival, and no
    item of one half is in the other."""
    from eval.dataset import FROZEN_SETS, SETS, load_items, load_set

    assert "qa_dev4.jsonl" in [p.name for p in SETS["dev"]]
    assert "test3" in FROZEN_SETS and [p.name for p in SETS["test3"]] == ["qa_test3.jsonl"]
    dev4 = load_items(next(p for p in SETS["dev"] if p.name == "qa_dev4.jsonl"))
    test3 = load_set("test3")  # only ids and counts are looked at here
    assert len(dev4) == len(test3) == 70
    assert all(i.id.startswith("dev-") for i in dev4)
    assert all(i.id.startswith("test3-") for i in test3)
    dev_ids = {i.id for i in load_set("dev")}
    assert {i.id for i in dev4} <= dev_ids and not {i.id for i in test3} & dev_ids


@pytest.mark.parametrize("dev_file, test_set, first_dev_id", [
    ("qa_dev5.jsonl", "test4", 701), ("qa_dev6.jsonl", "test5", 801)])
def test_a_140_question_split_registers_one_half_as_dev_and_freezes_the_other(dev_file, test_set,
                                                                               first_dev_id):
    """qa_dev5/qa_test4 and qa_dev6/qa_test5 are each the two halves of 140 questions (issue
    11): the dev half joins the default dev set, the other is a named set frozen on arrival (its
    misses withheld like test3's), and no item of one half is in the other."""
    from eval.dataset import FROZEN_SETS, SETS, load_items, load_set

    assert dev_file in [p.name for p in SETS["dev"]]
    assert test_set in FROZEN_SETS and [p.name for p in SETS[test_set]] == [f"qa_{test_set}.jsonl"]
    dev_half = load_items(next(p for p in SETS["dev"] if p.name == dev_file))
    frozen = load_set(test_set)  # only ids and counts are looked at here
    assert len(dev_half) == len(frozen) == 70
    assert [i.id for i in dev_half] == [f"dev-{n}" for n in range(first_dev_id, first_dev_id + 70)]
    assert [i.id for i in frozen] == [f"{test_set}-{n:03d}" for n in range(1, 71)]
    dev_ids = {i.id for i in load_set("dev")}
    assert {i.id for i in dev_half} <= dev_ids and not {i.id for i in frozen} & dev_ids


def test_a_split_half_short_of_follow_ups_is_caught(tmp_path):
    """Each half of the third 140 is held to the round's minimums: a dev6 with too few
    follow-ups (or unanswerable_close items) fails validation."""
    from eval.validate_qa import DATA_DIR

    lines = (DATA_DIR / "qa_dev6.jsonl").read_text("utf-8").splitlines()
    kept = [line for line in lines
            if json.loads(line)["form"] not in ("follow_up", "unanswerable_close")]
    path = tmp_path / "qa_dev6.jsonl"
    path.write_text("\n".join(kept), "utf-8")
    report = validate(path, load_corpus())
    assert any("follow_up items, need 12" in e for e in report.errors)
    assert any("unanswerable_close items, need 18" in e for e in report.errors)
