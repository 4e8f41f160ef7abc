"""Fixtures of the HTTP service tests.

Read-only tests share the session index of tests/conftest.py (the repo's corpus, a temporary
data dir). Tests that change the corpus get their own copy of corpus/ and of the built index,
so the repository's corpus is never modified and no test sees another's documents. Real
servers (uvicorn on a free loopback port, as `python -m api`, which is `cpaudit serve`) serve
the tests that need a socket: the openai client, 2 workers, load and the browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from support.server import Corpus, Server, copy_corpus, serve

from api.app import create_app
from assistant.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def api_settings(**overrides) -> Settings:
    """The environment's settings (the session's data and corpus dirs) with overrides."""
    return Settings(**overrides)


@pytest.fixture
def app_factory():
    """create_app with explicit service settings (API key, limits, CORS) for one test."""
    def make(**overrides):
        return create_app(api_settings(**overrides))
    yield make


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client of the default corpus (read-only use)."""
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture
def corpus(settings: Settings, tmp_path: Path) -> Iterator[Corpus]:
    """A private, writable copy of the corpus and of its built index, made current."""
    copy = copy_corpus(settings, tmp_path)
    with pytest.MonkeyPatch.context() as mp:
        for key, value in copy.env.items():
            mp.setenv(key, value)
        get_settings.cache_clear()
        yield copy
    get_settings.cache_clear()


@pytest.fixture
def corpus_client(corpus: Corpus) -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture
def server_factory(tmp_path: Path):
    """`with server_factory(workers=2, env={...}) as server:` a real server for one test."""
    def start(**kwargs):
        return serve(tmp_path, **kwargs)
    return start


@pytest.fixture(scope="module")
def live_server(settings: Settings, tmp_path_factory) -> Iterator[Server]:
    """One real server of the default corpus for a whole module (read-only use)."""
    with serve(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(scope="session")
def private_server(settings: Settings, tmp_path_factory) -> Iterator[tuple[Server, Corpus]]:
    """One real server of a private, writable corpus copy, shared by the browser tests (they
    upload documents and leave feedback in its data dir; each looks only at its own)."""
    root = tmp_path_factory.mktemp("private")
    copy = copy_corpus(settings, root)
    with serve(root, env=copy.env) as server:
        yield server, copy


