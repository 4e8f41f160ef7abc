"""What `cpaudit eval` keeps between runs: the baselines' results and the checkers'. A kept result
is used only while everything it was computed from is unchanged; any change recomputes."""

from __future__ import annotations

import contextlib
import io
import json
import time

from assistant.cli import main
from assistant.derived import KEPT_PER_KIND
from eval import run_cache
from eval.dataset import load_set
from eval.models import ConfigSpec, ItemResult

TEXTS = [("doc-a", "第一条 为了促进清洁生产……"), ("doc-b", "企业应当……")]


def test_the_baseline_key_changes_with_every_input():
    items = load_set("dev")[:3]
    base = run_cache.key(TEXTS, items, [600, "jieba", 5])
    assert base == run_cache.key(TEXTS, items, [600, "jieba", 5])
    changed_text = [TEXTS[0], ("doc-b", "企业应当依法……")]
    changed_item = [items[0].model_copy(update={"question": items[0].question + "？"}),
                    *items[1:]]
    others = {run_cache.key(changed_text, items, [600, "jieba", 5]),
              run_cache.key(TEXTS, changed_item, [600, "jieba", 5]),
              run_cache.key(TEXTS, items[:2], [600, "jieba", 5]),
              run_cache.key(TEXTS, items, [400, "jieba", 5]),
              run_cache.key(TEXTS, items, [600, "whitespace", 5]),
              run_cache.key(TEXTS, items, [600, "jieba", 10])}
    assert base not in others and len(others) == 6


def test_a_stored_result_is_read_back_and_the_least_recently_used_keys_go(tmp_path):
    item = ItemResult(id="qa-1", type="fact", question="问？", docs=[], answerable=True,
                      answer="答", answerer="top-1 passage", abstained=False, latency_ms=0.3)
    run_cache.store(tmp_path, "lc-jieba", "k1", 12, 0.5, [item])
    assert run_cache.load(tmp_path, "lc-jieba", "k1") == (12, 0.5, [item])
    assert run_cache.load(tmp_path, "lc-jieba", "k2") is None
    assert run_cache.load(tmp_path, "lc-whitespace", "k1") is None
    time.sleep(0.02)  # modification times a clock tick apart: the order of use is certain
    run_cache.store(tmp_path, "lc-jieba", "k2", 13, 0.6, [item])
    time.sleep(0.02)
    assert run_cache.load(tmp_path, "lc-jieba", "k1") is not None  # k1 used after k2's store
    for n in range(3, 3 + KEPT_PER_KIND - 1):  # fills the label: k2 is the least recently used
        time.sleep(0.02)
        run_cache.store(tmp_path, "lc-jieba", f"k{n}", n, 0.1, [item])
    assert run_cache.load(tmp_path, "lc-jieba", "k2") is None
    assert len(list((tmp_path / "lc-jieba").glob("*.json"))) == KEPT_PER_KIND
    assert run_cache.load(tmp_path, "lc-jieba", "k1") == (12, 0.5, [item])
    (tmp_path / "lc-jieba" / "k1.json").write_text("{not json", "utf-8")
    assert run_cache.load(tmp_path, "lc-jieba", "k1") is None  # damaged: recomputed


def _eval_run(ids: list[str], config: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["eval", "--ids", *ids, "--configs", config, "--no-progress",
                     "--no-checkers", "--no-html", "--json"])
    assert code == 0
    return json.loads(out.getvalue())["configs"][0]


def _baseline_run(ids: list[str]) -> dict:
    return _eval_run(ids, "lc-whitespace")


def test_a_second_evaluation_reads_the_baseline_and_other_questions_recompute(settings):
    ids = ["qa-003", "qa-011", "qa-020"]  # a set of questions no other test evaluates
    first, second = _baseline_run(ids), _baseline_run(ids)
    assert "cached" not in first["note"] and "cached" in second["note"]
    assert second["items"] == first["items"] and second["summary"] == first["summary"]
    other = _baseline_run(ids[:2])  # other questions: a new key, computed afresh
    assert "cached" not in other["note"]
    assert [i["id"] for i in other["items"]] == ids[:2]


def test_the_checker_key_changes_with_the_reports_the_labels_and_the_index(settings, tmp_path):
    import shutil
    from types import SimpleNamespace

    from eval.checker_eval import FIXTURES

    fixtures = tmp_path / "reports"
    (fixtures / "src").mkdir(parents=True)
    shutil.copy(FIXTURES / "expected.yaml", fixtures / "expected.yaml")
    for source in sorted((FIXTURES / "src").glob("*.md"))[:2]:
        shutil.copy(source, fixtures / "src" / source.name)
    meta = SimpleNamespace(files={"matrix.npz": SimpleNamespace(sha256="a" * 64)})
    base = run_cache.checker_key(fixtures, meta, settings)
    assert base == run_cache.checker_key(fixtures, meta, settings)
    report = next((fixtures / "src").glob("*.md"))
    report.write_text(report.read_text("utf-8") + "\n补充一段。\n", "utf-8")
    edited = run_cache.checker_key(fixtures, meta, settings)
    (fixtures / "expected.yaml").write_text("{}\n", "utf-8")
    relabelled = run_cache.checker_key(fixtures, meta, settings)
    other_index = SimpleNamespace(files={"matrix.npz": SimpleNamespace(sha256="b" * 64)})
    reindexed = run_cache.checker_key(fixtures, other_index, settings)
    assert len({base, edited, relabelled, reindexed}) == 4


def test_no_per_question_result_of_a_held_out_set_is_kept(settings):
    from eval.configs import parse_specs
    from eval.runner import run_eval

    items = load_set("dev")[40:42]  # dev items, run under the held-out set's name
    folder = run_cache.kept_dir(settings) / "lc-whitespace"
    before = sorted(folder.glob("*.json")) if folder.is_dir() else []
    run = run_eval(items, parse_specs(["lc-whitespace"]), settings, qa_path=settings.data_dir,
                   show_progress=False, set_name="test")
    assert run.configs[0].status == "ok" and "cached" not in run.configs[0].note
    after = sorted(folder.glob("*.json")) if folder.is_dir() else []
    assert after == before


def _ours_run(ids: list[str], config: str = "ours") -> dict:
    return _eval_run(ids, config)


def test_our_results_are_kept_while_index_questions_code_and_settings_are_unchanged(settings):
    ids = ["qa-004", "qa-012", "qa-021"]  # a set of questions no other test evaluates
    first, second = _ours_run(ids), _ours_run(ids)
    assert "cached" not in first["note"] and "cached" in second["note"]
    assert second["items"] == first["items"] and second["summary"] == first["summary"]
    assert "cached" not in _ours_run(ids[:2])["note"]  # other questions: computed afresh
    again = _ours_run(ids, "both:k=3")  # another configuration: a new key
    assert again["spec"]["top_k"] == 3 and "cached" not in again["note"]


def test_a_new_data_dir_reuses_the_results_kept_in_the_cache_directory(settings, tmp_path,
                                                                         monkeypatch):
    from assistant.settings import get_settings

    ids = ["qa-006", "qa-014"]  # a set of questions no other test evaluates
    first = _ours_run(ids)
    monkeypatch.setenv("CPAUDIT_DATA_DIR", str(tmp_path / "another-data-dir"))
    get_settings.cache_clear()
    try:
        elsewhere = _ours_run(ids)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert "cached" not in first["note"] and "cached" in elsewhere["note"]
    assert elsewhere["items"] == first["items"] and elsewhere["summary"] == first["summary"]


def test_the_key_of_our_results_changes_with_the_index_and_the_settings(settings):
    from assistant.retrieve import load_index

    items = load_set("dev")[:3]
    meta = load_index(settings).meta
    spec = ConfigSpec(label="ours", system="ours")
    base = run_cache.ours_key(spec, items, meta, settings)
    assert base == run_cache.ours_key(spec, items, meta, settings)
    moved = settings.model_copy(update={"data_dir": settings.data_dir / "elsewhere"})
    assert run_cache.ours_key(spec, items, meta, moved) == base  # the eval's temporary dir
    name = next(iter(meta.files))
    other_file = meta.files[name].model_copy(update={"sha256": "0" * 64})
    changed_index = meta.model_copy(update={"files": {**meta.files, name: other_file}})
    others = {run_cache.ours_key(spec, items[:2], meta, settings),
              run_cache.ours_key(spec.model_copy(update={"top_k": 3}), items, meta, settings),
              run_cache.ours_key(spec, items, changed_index, settings),
              run_cache.ours_key(spec, items, meta, settings.model_copy(update={"top_k": 9}))}
    assert base not in others and len(others) == 4


def test_document_texts_are_kept_under_a_key_of_their_files(settings, tmp_path):
    from eval.baseline import document_texts

    fresh = document_texts(settings)
    assert document_texts(settings, tmp_path) == fresh  # computed, then kept
    assert list((tmp_path / "document-texts").glob("*.json"))
    assert document_texts(settings, tmp_path) == fresh  # read back
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("第一条", "utf-8")
    b.write_text("第二条", "utf-8")
    base = run_cache.texts_key([("a", a), ("b", b)], settings)
    others = {run_cache.texts_key([("a", a)], settings),
              run_cache.texts_key([("a", b), ("b", a)], settings),
              run_cache.texts_key([("a", a), ("b", b)], settings.model_copy(update={"max_pages": 2}))}
    b.write_text("第三条", "utf-8")
    others.add(run_cache.texts_key([("a", a), ("b", b)], settings))
    assert base not in others and len(others) == 4
