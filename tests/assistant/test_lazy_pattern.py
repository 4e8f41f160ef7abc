"""A LazyPattern is the compiled pattern, compiled at its first use only."""

from __future__ import annotations

import re

import pytest

from assistant.lazy_pattern import LazyPattern

TEXTS = ("那广西呢？", "第二十七条 企业应当……", "", "abc 123 中文，句子。", "呢？呢。")
PATTERNS = ((r"(呢|怎么样|如何)[？?。]*$", 0), (r"[\u4e00-\u9fff]+", 0), (r"(\d+)|([a-z]+)", re.I),
            (r"[，。？]", 0))


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_every_method_gives_what_the_compiled_pattern_gives(pattern, flags):
    compiled = re.compile(pattern, flags)
    for text in TEXTS:
        lazy = LazyPattern(pattern, flags)  # a new one each time: each method as the first use
        assert bool(lazy.search(text)) == bool(compiled.search(text))
        assert LazyPattern(pattern, flags).findall(text) == compiled.findall(text)
        assert LazyPattern(pattern, flags).sub("-", text) == compiled.sub("-", text)
        assert LazyPattern(pattern, flags).subn("-", text) == compiled.subn("-", text)
        assert LazyPattern(pattern, flags).split(text) == compiled.split(text)
        assert [m.span() for m in LazyPattern(pattern, flags).finditer(text)] == \
            [m.span() for m in compiled.finditer(text)]
        for method in ("match", "fullmatch"):
            got = getattr(LazyPattern(pattern, flags), method)(text)
            want = getattr(compiled, method)(text)
            assert (got and got.span()) == (want and want.span())


def test_compiled_at_the_first_use_and_then_the_compiled_methods(monkeypatch):
    calls = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda *a: calls.append(a) or real(*a))
    lazy = LazyPattern(r"呢[？?。]*$")
    assert calls == []
    assert lazy.search("那广西呢？")
    assert lazy.sub("", "那广西呢？") == "那广西"
    assert calls == [(r"呢[？?。]*$", 0)]  # once
    assert lazy.search == real(r"呢[？?。]*$").search  # the compiled pattern's own method


def test_other_attributes_are_not_invented():
    with pytest.raises(AttributeError):
        LazyPattern("x").groupindex  # noqa: B018
