"""`cpaudit eval` runs the LangChain baselines in a forked process where a second core is free
(assistant.forked): the results are those of one process, and a forked process that fails
leaves the baselines to be computed here."""

from __future__ import annotations

import os
import sys

import pytest

from assistant import forked
from eval import runner
from eval.configs import parse_specs
from eval.dataset import load_set

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork on Linux")
IDS = ("qa-004", "qa-012", "qa-021", "qa-090")  # a set of questions no other test evaluates


def _items():
    return [item for item in load_set("dev") if item.id in IDS]


def _run(settings, set_name: str = "not-kept"):
    # a set name whose results are never kept: every run computes the baselines afresh
    run = runner.run_eval(_items(), parse_specs(["lc-whitespace", "ours", "lc-jieba"]),
                          settings, qa_path=settings.data_dir, show_progress=False,
                          set_name=set_name)
    return [c.model_dump(exclude={"build_seconds"}) for c in run.configs]


def _without_latency(value):
    """Everything but the measured latencies (every `latency…` key, at any depth)."""
    if isinstance(value, dict):
        return {k: _without_latency(v) for k, v in value.items() if "latency" not in k}
    if isinstance(value, list):
        return [_without_latency(v) for v in value]
    return value


def test_forked_baselines_give_the_results_of_one_process(settings, monkeypatch):
    made = []
    start = forked.Forked.start

    def counted(work):
        made.append(handle := start(work))
        return handle

    monkeypatch.setattr(forked, "usable", lambda: False)
    alone = _without_latency(_run(settings))
    monkeypatch.setattr(forked, "usable", lambda: True)
    monkeypatch.setattr(forked.Forked, "start", staticmethod(counted))
    beside = _without_latency(_run(settings))
    assert len(made) == 1 and made[0] is not None
    assert [c["spec"]["label"] for c in beside] == ["lc-whitespace", "ours", "lc-jieba"]
    assert beside == alone
    assert all(len(c["items"]) == len(IDS) for c in beside)


def test_a_failed_forked_process_leaves_the_baselines_to_this_one(settings, monkeypatch, caplog):
    monkeypatch.setattr(forked, "usable", lambda: False)
    alone = _without_latency(_run(settings))
    monkeypatch.setattr(forked, "usable", lambda: True)

    def fails(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("the forked process fails")
        return baseline(*args, **kwargs)

    parent, baseline = os.getpid(), runner._baseline
    monkeypatch.setattr(runner, "_baseline", fails)
    assert _without_latency(_run(settings)) == alone
    assert "sent no results" in caplog.text


def test_a_fork_is_only_made_with_one_thread_and_a_spare_core(monkeypatch):
    monkeypatch.setattr(forked, "spare_core", lambda: True)
    monkeypatch.setattr(forked, "only_thread", lambda: True)
    assert forked.usable() == (sys.platform.startswith("linux") and hasattr(os, "fork"))
    monkeypatch.setattr(forked, "only_thread", lambda: False)
    assert not forked.usable()
    monkeypatch.setattr(forked, "only_thread", lambda: True)
    monkeypatch.setattr(forked, "spare_core", lambda: False)
    assert not forked.usable()

