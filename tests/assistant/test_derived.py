"""Prepared values kept in the cache directory (assistant.derived.cached_value)."""

from __future__ import annotations

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
