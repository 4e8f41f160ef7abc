"""Prepared values kept in the cache directory (assistant.derived.cached_value)."""

from __future__ import annotations

import pytest

from assistant import derived


def test_a_kept_value_is_read_back_in_its_json_form_without_building_it_again(tmp_path,
                                                                              monkeypatch):
    monkeypatch.setattr(derived, "cache_dir", lambda: tmp_path)
    built = []

    def build():
        built.append(1)
        return {1: ("佛山市", "佛山", 2), "lengths": {"佛山": [3, 2]}}

    json_form = {"1": ["佛山市", "佛山", 2], "lengths": {"佛山": [3, 2]}}
    assert derived.cached_value("kind", "fp", build) == json_form
    assert derived.cached_value("kind", "fp", build) == json_form
    assert built == [1]
    (path,) = tmp_path.glob("kind-fp-*.marshal")
    path.write_bytes(path.read_bytes()[:-3])  # damaged: built again, and kept again
    assert derived.cached_value("kind", "fp", build) == json_form
    assert built == [1, 1]
    assert derived.cached_value("kind", "fp", build) == json_form
    assert built == [1, 1]


# The install's copies (assistant.prepare, run by scripts/install.sh into
# derived.installed_dir()): read whatever the cache directory; stale or damaged ones ignored.


def test_a_value_the_install_derived_is_read_from_there_and_a_stale_one_is_not(tmp_path,
                                                                               monkeypatch):
    installed, cache = tmp_path / "installed", tmp_path / "cache"
    monkeypatch.setattr(derived, "installed_dir", lambda: installed)
    monkeypatch.setattr(derived, "cache_dir", lambda: cache)
    with derived.deriving_into(installed):
        assert derived.cached_value("kind", "fp1", lambda: {"v": 1}) == {"v": 1}
    assert [p.parent for p in installed.glob("kind-fp1-*")] == [installed]

    def never():
        raise AssertionError("derived again although the install holds it")

    assert derived.cached_value("kind", "fp1", never) == {"v": 1}
    assert not cache.exists()  # nothing derived, nothing written
    # the sources changed since the install: another fingerprint, derived into the cache dir
    assert derived.cached_value("kind", "fp2", lambda: {"v": 2}) == {"v": 2}
    assert [p.parent for p in cache.glob("kind-fp2-*")] == [cache]
    # a damaged install copy is not read: derived (into the cache directory) instead
    (kept,) = installed.glob("kind-fp1-*")
    kept.write_bytes(b"\xff")
    assert derived.cached_value("kind", "fp1", lambda: {"v": 3}) == {"v": 3}
    assert derived.cached_value("kind", "fp1", never) == {"v": 3}  # the cache dir's copy now


@pytest.mark.slow
def test_the_tokenizer_dictionary_the_install_derived_is_used_and_a_stale_or_damaged_one_is_not(
        tmp_path, monkeypatch):
    from assistant import jieba_dict

    installed, cache = tmp_path / "installed", tmp_path / "cache"
    monkeypatch.setattr(derived, "installed_dir", lambda: installed)
    words = [("清洁生产", 20000, "n")]
    with derived.deriving_into(installed):
        made = jieba_dict.open_dictionary(derived.cache_dir(), words, b"a")
    assert made is not None and made.path.parent == installed
    used = jieba_dict.open_dictionary(cache, words, b"a")
    assert used.path == made.path and not cache.exists()
    assert used.words_in("推行清洁生产")["清洁生产"] == 20000
    # other user words than the install's (its copy is stale): derived into the cache directory
    other = jieba_dict.open_dictionary(cache, [("清洁生产", 7, None)], b"b")
    assert other.path.parent == cache and other.words_in("推行清洁生产")["清洁生产"] == 7

    # the install's copy damaged — cut short, bytes after its end, empty, only part of its
    # header, another fingerprint's file under its name —: never read, derived again instead
    good = made.path.read_bytes()
    for damaged in (good[:len(good) // 2], good + b"\0", b"", good[:20], other.path.read_bytes()):
        _replace(made.path, damaged)  # a new file: the open maps of the old one stay valid
        used = jieba_dict.open_dictionary(cache, words, b"a")
        assert used is not None and used.path == cache / made.path.name
        assert used.words_in("推行清洁生产")["清洁生产"] == 20000
    # and the cache directory's copy damaged too: derived there again
    _replace(used.path, good[:-1])
    again = jieba_dict.open_dictionary(cache, words, b"a")
    assert again.path == used.path and again.path.read_bytes() == good
    assert again.words_in("推行清洁生产")["清洁生产"] == 20000


def _replace(path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".new")
    tmp.write_bytes(data)
    tmp.replace(path)


@pytest.mark.slow
def test_after_the_install_step_a_new_cache_directory_derives_nothing(tmp_path, monkeypatch):
    """assistant.prepare (scripts/install.sh's step) derives every prepared file: a process
    with an empty cache directory then reads them all from the install's directory."""
    from assistant import datafile, places, prepare, textfold, tokenize

    installed, cache = tmp_path / "installed", tmp_path / "cache"
    files = prepare.prepare(installed)
    assert {p.name.split("-")[0] for p in files} >= {"jieba", "t2s", "gazetteer"}
    monkeypatch.setattr(derived, "installed_dir", lambda: installed)
    monkeypatch.setattr(derived, "cache_dir", lambda: cache)
    segmenter = tokenize._Segmenter()
    if segmenter.compact is not None:  # rjieba with Jieba.empty: the compact dictionary in use
        assert segmenter.compact.path.parent == installed
    textfold._simplified.cache_clear()
    places._tables.cache_clear()
    try:
        assert textfold._simplified()[ord("審")] == ord("审")
        assert places.find_places("广东省佛山市")
        manifest = prepare._ROOT / "corpus" / "manifest.yaml"
        assert datafile.parse_yaml(manifest.read_text("utf-8"), source=manifest)
    finally:
        textfold._simplified.cache_clear()
        places._tables.cache_clear()
    assert not cache.exists()
