"""The answering tuning (data/answering.yaml) is read when used, from the file the settings
name; the assistant's data files are typed, and a typo names the file, key and line."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from assistant.errors import DataFileError
from assistant.settings import get_settings
from assistant.tuning import ANSWERING_FILE, tuning

MANDATORY = "什么情况下企业必须实施强制性清洁生产审核？"


@pytest.fixture
def tuning_file(tmp_path, monkeypatch):
    """A copy of answering.yaml that the settings point to; `edit(old, new)` changes it."""
    path = tmp_path / "answering.yaml"
    shutil.copy(ANSWERING_FILE, path)
    monkeypatch.setenv("CPAUDIT_TUNING_FILE", str(path))
    get_settings.cache_clear()

    def edit(old: str, new: str) -> int:
        text = path.read_text("utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), "utf-8")
        return text[:text.index(old)].count("\n") + 1

    yield edit
    monkeypatch.undo()
    get_settings.cache_clear()


def test_answers_read_the_tuning_of_the_settings_at_call_time(settings, index, tmp_path,
                                                              monkeypatch):
    """Not frozen at import: the same process answers with the file the settings name now."""
    from assistant.service import ask

    def quoted() -> str:  # sentences of one article are one citation: count what it quotes
        return "".join(c.quote or "" for c in ask(MANDATORY, settings=settings,
                                                   index=index).citations)

    three = quoted()
    path = tmp_path / "one-quote.yaml"
    path.write_text(ANSWERING_FILE.read_text("utf-8").replace("max_quotes: 3", "max_quotes: 1"),
                    "utf-8")
    monkeypatch.setenv("CPAUDIT_TUNING_FILE", str(path))
    get_settings.cache_clear()
    try:
        assert tuning().max_quotes == 1
        one = quoted()
        assert len(one) < len(three) and one in three.replace("……", "")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert quoted() == three


def test_a_typo_in_the_tuning_names_the_file_key_and_line(tuning_file):
    line = tuning_file("partial_credit: 0.7", "partial_credt: 0.7")
    with pytest.raises(DataFileError) as info:
        tuning()
    error = info.value
    assert error.code == "internal_error"
    assert "answering.yaml" in error.zh and f"第 {line} 行 partial_credt：未知的键" in error.zh
    assert f"line {line}, partial_credt: unknown key" in error.en
    assert "0.7" not in error.message()



def test_overridden_patterns_are_the_ones_compiled():
    from assistant.asks import analyse
    from assistant.tuning import overridden

    t = tuning()
    assert analyse("审核报告包括哪些内容？").kinds == ("list",)  # compiled here, before
    asks = [a.model_copy(update={"question": "包括什么"}) if a.kind == "list" else a
            for a in t.patterns.asks]
    with overridden(patterns=t.patterns.model_copy(update={"asks": asks})):
        assert analyse("审核报告包括哪些内容？").kinds == ()
        assert analyse("审核报告包括什么？").kinds == ("list",)
    assert analyse("审核报告包括哪些内容？").kinds == ("list",)

def test_a_negative_slot_reach_is_refused_with_its_line(tuning_file):
    line = tuning_file("reach: [9, 9]", "reach: [-1, 9]")
    with pytest.raises(DataFileError) as info:
        tuning()
    assert f"line {line}" in info.value.en and "reach" in info.value.en

@pytest.mark.parametrize(("name", "old", "new", "key"), [
    ("scope.yaml", "regions:", "region:", "region"),
    ("synonyms.yaml", "必须: [应当]", "必须: 应当", "必须"),
])
def test_a_broken_data_file_names_the_key_and_line(tmp_path, name, old, new, key):
    from assistant import datafile
    from assistant.query import DATA, Scope, Synonyms

    path = tmp_path / name
    text = (DATA / name).read_text("utf-8")
    path.write_text(text.replace(old, new, 1), "utf-8")
    line = text[:text.index(old)].count("\n") + 1
    with pytest.raises(DataFileError) as info:
        datafile.load(path, Scope if name == "scope.yaml" else Synonyms)
    assert name in info.value.zh and f"line {line}, {key}:" in info.value.en
    assert f"第 {line} 行 {key}：" in info.value.zh


def test_yaml_read_back_from_the_data_directory_is_what_pyyaml_parses(isolated_env, tmp_path):
    """Every YAML file of the repository, parsed twice with its source (the second time from
    the cache directory's copy), gives PyYAML's own value; what JSON cannot hold exactly
    (numeric keys) is parsed each time, never changed."""
    import yaml

    from assistant.datafile import parse_yaml
    from assistant.derived import cache_dir

    root = Path(__file__).resolve().parents[2]
    files = [p for d in ("assistant", "checkers", "corpus") for p in (root / d).rglob("*.yaml")]
    assert len(files) > 10
    for path in files:
        text = path.read_text("utf-8")
        want = yaml.safe_load(text)
        assert parse_yaml(text, source=path) == want, path
        assert parse_yaml(text, source=path) == want, path
    odd = tmp_path / "odd.yaml"
    odd.write_text("2020: a\ndate: 2012-02-29\n", "utf-8")
    for _ in range(2):
        assert parse_yaml(odd.read_text("utf-8"), source=odd) == {2020: "a", "date": datetime.date(2012, 2, 29)}
    assert any(cache_dir().glob("yaml*.json"))
