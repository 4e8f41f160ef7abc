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

