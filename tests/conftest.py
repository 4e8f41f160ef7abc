"""Shared test fixtures: an isolated environment and the default corpus indexed once.

Every test session runs against a temporary data directory, lexical mode and no LLM, so
results never depend on a developer's data/, cached models or CPAUDIT_* variables.
"""

from __future__ import annotations

import os

import pytest

from assistant.settings import Settings, get_settings

_ISOLATED = {"CPAUDIT_EMBEDDING_MODEL": ""}


@pytest.fixture(scope="session", autouse=True)
def isolated_env(tmp_path_factory):
    saved = {k: v for k, v in os.environ.items() if k.startswith("CPAUDIT_")}
    for key in saved:
        del os.environ[key]
    os.environ.update(_ISOLATED)
    os.environ["CPAUDIT_DATA_DIR"] = str(tmp_path_factory.mktemp("cpaudit-data"))
    os.environ["CPAUDIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cpaudit-cache"))
    get_settings.cache_clear()
    yield
    for key in [k for k in os.environ if k.startswith("CPAUDIT_")]:
        del os.environ[key]
    os.environ.update(saved)
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def settings(isolated_env) -> Settings:
    """Settings of the session's data dir, with the default corpus indexed (lexical)."""
    from assistant.index import build_index

    current = get_settings()
    build_index(current)
    return current


@pytest.fixture(scope="session")
def index(settings):
    from assistant.retrieve import load_index

    return load_index(settings)


@pytest.fixture
def stub():
    """A local server speaking the OpenAI chat API, with canned replies (tests/support)."""
    from support.openai_stub import OpenAIStub

    with OpenAIStub() as server:
        yield server


@pytest.fixture
def llm_settings(settings, stub) -> Settings:
    """The session's settings with the stub configured as the LLM."""
    return settings.model_copy(update={
        "llm_base_url": stub.base_url, "llm_model": "stub-model", "llm_api_key": "test-key",
        "llm_timeout": 2.0,
    })


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (tests/support/browser.py), one for the whole session: a
    second sync Playwright cannot start while the first one's event loop runs."""
    from support.browser import launch

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
