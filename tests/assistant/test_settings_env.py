"""Settings read from CPAUDIT_* variables the way pydantic-settings read them: any case, values
given to Settings(...) before the environment, every value validated, unknown names ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.settings import Settings


def test_environment_any_case_and_typed(monkeypatch, tmp_path):
    monkeypatch.setenv("cpaudit_top_k", "7")
    monkeypatch.setenv("CPAUDIT_REPORTS_NEED_KEY", "false")
    monkeypatch.setenv("CPAUDIT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CPAUDIT_LLM_BASE_URL", "")
    settings = Settings()
    assert settings.top_k == 7 and settings.reports_need_key is False
    assert settings.data_dir == tmp_path and isinstance(settings.data_dir, Path)
    assert settings.llm_base_url == ""  # set but empty stays empty, as before


def test_given_values_come_before_the_environment(monkeypatch):
    monkeypatch.setenv("CPAUDIT_TOP_K", "7")
    assert Settings(top_k=3).top_k == 3
    assert Settings().top_k == 7


def test_bad_values_and_unknown_keys(monkeypatch):
    monkeypatch.setenv("CPAUDIT_NO_SUCH_SETTING", "x")  # not a field: ignored
    assert Settings().top_k == 5
    monkeypatch.setenv("CPAUDIT_MAX_UPLOAD_MB", "-1")
    with pytest.raises(ValidationError):
        Settings()
    monkeypatch.delenv("CPAUDIT_MAX_UPLOAD_MB")
    with pytest.raises(ValidationError):
        Settings(no_such_setting=1)



def _fresh():
    from assistant.settings import get_settings

    get_settings.cache_clear()
    return get_settings()


def test_kept_settings_are_what_the_environment_gives(monkeypatch, tmp_path):
    """get_settings() keeps what pydantic-settings read under a fingerprint of the raw
    environment; a later process (here: a cleared cache) reads it back equal to Settings(),
    and any change of a CPAUDIT_* variable, in any case, is read afresh."""
    from assistant.settings import get_settings

    cache = tmp_path / "cache"
    monkeypatch.setenv("CPAUDIT_CACHE_DIR", str(cache))
    monkeypatch.setenv("cpaudit_top_k", "7")
    monkeypatch.setenv("CPAUDIT_CORS_ORIGINS", "http://a.example, http://b.example")
    monkeypatch.setenv("CPAUDIT_LLM_BASE_URL", "")
    try:
        built = _fresh()
        assert list(cache.glob("settings-*.json"))
        kept = _fresh()
        assert kept == built == Settings()
        assert kept.model_fields_set == Settings().model_fields_set
        assert kept.top_k == 7 and kept.cors_origins == ["http://a.example", "http://b.example"]
        assert isinstance(kept.data_dir, Path) and kept.llm_base_url == ""
        monkeypatch.setenv("cpaudit_top_k", "9")
        assert _fresh().top_k == 9
        monkeypatch.setenv("CPAUDIT_TOP_K", "9")  # a second spelling: still what pydantic-settings reads
        assert _fresh() == Settings()
        assert len(list(cache.glob("settings-*.json"))) == 3  # each environment keeps its own
        monkeypatch.delenv("CPAUDIT_TOP_K")
        for stale in cache.glob("settings-*.json"):
            stale.write_text("{not json")
        assert _fresh() == Settings()
        monkeypatch.setenv("CPAUDIT_MAX_UPLOAD_MB", "-1")  # a bad value is refused, never kept
        get_settings.cache_clear()
        with pytest.raises(ValidationError):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_settings_are_not_kept_where_no_cache_directory_is_named(monkeypatch, tmp_path):
    from assistant.settings import get_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CPAUDIT_CACHE_DIR", "")
    try:
        assert _fresh() == Settings()
        assert not list(tmp_path.rglob("settings-*.json"))
    finally:
        get_settings.cache_clear()
