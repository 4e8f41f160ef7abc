"""rjieba (jieba-rs) gives jieba's tokens, token for token, with our user dictionary.

The sample: every sentence of the default corpus and of a fixed random sample of LawRefBook
laws (when /work/shared/data/lawrefbook-laws.tar.gz or a shared/ beside the repository holds
it). Measured on 36,219 sentences (the corpus + 300 laws): 0 differ in search or precise
mode once jieba-rs's joined runs (2010-2020) are split as jieba splits them. The test
tolerates at most 1 sentence in 1,000 so that a future dictionary word does not break the
suite over one odd sentence, and prints every difference it finds.
"""

from __future__ import annotations

import random
import tarfile
from importlib import resources
from pathlib import Path

import pytest

from assistant import tokenize
from assistant.sentences import sentence_spans
from assistant.textfold import fold

ROOT = Path(__file__).resolve().parents[2]
LAW_TARS = [ROOT.parent / "shared" / "data" / "lawrefbook-laws.tar.gz",
            Path("/work/shared/data/lawrefbook-laws.tar.gz")]
TOLERATED = 0.001
LAWS_SAMPLED = 40

pytest.importorskip("rjieba")


def _sentences(settings) -> list[str]:
    from assistant.corpus import load_manifest
    from assistant.loader import load_file

    texts = [load_file(settings.corpus_dir / m.file).text for m in load_manifest(settings.corpus_dir)]
    tar = next((t for t in LAW_TARS if t.is_file()), None)
    if tar is not None:
        with tarfile.open(tar) as archive:
            members = [m for m in archive.getmembers() if m.name.endswith(".md")]
            for member in random.Random(15).sample(members, LAWS_SAMPLED):
                texts.append(archive.extractfile(member).read().decode("utf-8", "replace"))
    return [fold(t[a:b].strip()).lower() for t in texts for a, b in sentence_spans(t)
            if t[a:b].strip()]


@pytest.fixture(scope="module")
def reference():
    import jieba

    tokenizer = jieba.Tokenizer()
    with resources.as_file(resources.files("assistant.data").joinpath("userdict.txt")) as path:
        tokenizer.load_userdict(str(path))
    tokenizer.initialize()
    return tokenizer


def test_fast_segmenter_is_rjieba():
    assert tokenize.backend() == "rjieba"


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["cut_for_search", "cut"])
def test_same_tokens_as_jieba(settings, reference, mode):
    fast = tokenize._segmenter()
    sentences = _sentences(settings)
    assert len(sentences) > 3000
    differ = [(s, list(getattr(reference, mode)(s)), getattr(fast, mode)(s))
              for s in sentences]
    differ = [d for d in differ if d[1] != d[2]]
    for sentence, want, got in differ:
        print(f"{sentence[:60]!r}: jieba {want} rjieba {got}")
    assert len(differ) <= TOLERATED * len(sentences), f"{len(differ)} of {len(sentences)}"


def test_joined_runs_split_like_jieba(reference):
    fast = tokenize._segmenter()
    for text in ["佛山市清洁生产发展规划(2011-2020年)", "每年1-2次", "2022-03-15起施行",
                 "削减5%-8%", "3.5-4.0吨"]:
        assert fast.cut_for_search(text) == list(reference.cut_for_search(text)), text
        assert fast.cut(text) == list(reference.cut(text)), text


# The sub-dictionary (assistant.jieba_dict + tokenize._SubDictionary) against the full rjieba
# dictionary: every corpus sentence and every question of the Q&A sets one may read. Exact:
# the same dictionary words and total frequency give the same segmentation, so not one
# token may differ.
_NOT_READ = {"qa_test.jsonl", "qa_val.jsonl"}  # frozen: never opened here


def _questions() -> list[str]:
    import json

    out = []
    for path in sorted((ROOT / "eval" / "data").glob("*.jsonl")):
        if path.name in _NOT_READ:
            continue
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                out.append(fold(json.loads(line)["question"]).lower())
    return out


@pytest.mark.slow
def test_sub_dictionary_gives_the_full_dictionarys_tokens(settings, monkeypatch):
    from assistant.corpus import load_manifest
    from assistant.loader import load_file

    texts = [load_file(settings.corpus_dir / m.file).text for m in load_manifest(settings.corpus_dir)]
    sample = [fold(t[a:b].strip()).lower() for t in texts for a, b in sentence_spans(t)
              if t[a:b].strip()] + _questions()
    assert len(sample) > 2000
    user = [w for w, _, _ in tokenize.user_words()]
    assert sum(any(w in s for s in sample) for w in user) > len(user) // 2  # user words covered

    monkeypatch.setattr(tokenize, "_SUB_DICTIONARY_CHARS", 10 ** 9)
    segmenter = tokenize._Segmenter()
    assert segmenter._sub is not None, "the compact dictionary was not built"
    got = [(segmenter.cut(s), segmenter.cut_for_search(s)) for s in sample]
    assert segmenter._sub is not None  # every text went through the sub-dictionary
    segmenter._full_rjieba()
    want = [(segmenter.cut(s), segmenter.cut_for_search(s)) for s in sample]
    differ = [(s, g, w) for s, g, w in zip(sample, got, want, strict=True) if g != w]
    for sentence, sub, full in differ[:20]:
        print(f"{sentence[:60]!r}: sub-dictionary {sub} full {full}")
    assert not differ, f"{len(differ)} of {len(sample)} texts differ"


def test_segmenter_switches_to_the_full_dictionary_for_bulk_work(monkeypatch):
    monkeypatch.setattr(tokenize, "_SUB_DICTIONARY_CHARS", 40)
    segmenter = tokenize._Segmenter()
    text = "企业应当按照清洁生产审核报告的要求开展自愿性清洁生产审核"
    first = segmenter.cut_for_search(text)  # within the budget: the sub-dictionary
    assert segmenter._full is None
    second = segmenter.cut_for_search(text)  # past it: the full dictionary, built once
    assert segmenter._full is not None and segmenter._sub is None
    assert first == second and "自愿性清洁生产审核" in first


def test_a_server_builds_the_full_dictionary_before_its_first_request(monkeypatch):
    """api.app.warm_up calls build_full_dictionary: no request switches dictionaries."""
    segmenter = tokenize._Segmenter()
    monkeypatch.setattr(tokenize, "_SEGMENTER", segmenter)
    text = "企业应当按照清洁生产审核报告的要求开展自愿性清洁生产审核"
    before = tokenize.words(text)
    if segmenter.backend != "rjieba" or segmenter._full is not None:
        pytest.skip("no sub-dictionary to switch from")
    assert segmenter._sub is not None
    tokenize.build_full_dictionary()
    assert segmenter._full is not None and segmenter._sub is None
    assert tokenize.words(text) == before
    tokenize.build_full_dictionary()  # once built, nothing more to do
    assert segmenter._full is not None


def test_compact_dictionary_is_rebuilt_when_its_sources_change(tmp_path):
    from assistant import jieba_dict

    words = [("清洁生产", 20000, "n")]
    first = jieba_dict.open_dictionary(tmp_path, words, b"a")
    assert first is not None and first.words_in("推行清洁生产")["清洁生产"] == 20000
    assert first.tag("清洁生产") == "n" and first.tag("推行") == "v" and first.tag("推行清") is None
    second = jieba_dict.open_dictionary(tmp_path, [("清洁生产", 7, None)], b"b")  # other words
    assert second.words_in("推行清洁生产")["清洁生产"] == 7
    assert len(list(tmp_path.glob("jieba-*.dict"))) == 2  # another checkout's file is kept
    assert set(second.words_in("推行")) == {"推", "推行", "行"}
    (tmp_path / "blocked").write_text("not a directory")
    assert jieba_dict.open_dictionary(tmp_path / "blocked", words, b"a") is None


@pytest.mark.slow
def test_compact_dictionary_tags_are_jieba_posseg_tags(settings):
    """nouns() reads parts of speech from the compact file instead of importing jieba.posseg
    (a second read of the dictionary): the same tag for every word of the corpus sample."""
    from assistant import tokenize

    if tokenize._segmenter().compact is None:
        pytest.skip("no compact dictionary (rjieba without Jieba.empty, or no cache dir)")
    expected = tokenize._word_tags()
    sample = {w for text in _sentences(settings) + _questions() for w in tokenize.precise_words(text)}
    sample |= set(list(expected)[::50])  # and every 50th dictionary word
    differ = [w for w in sample if tokenize.word_tag(w) != expected.get(w, "x")]
    assert not differ, differ[:20]


def test_derived_files_keep_the_newest_few_of_a_kind(tmp_path):
    """Checkouts sharing a cache each have their own fingerprint: writing one keeps the
    others up to KEPT_PER_KIND and removes only the oldest."""
    import os

    from assistant import derived

    paths = [tmp_path / f"kind-{n:02d}.bin" for n in range(derived.KEPT_PER_KIND + 3)]
    for n, path in enumerate(paths):
        derived.write_atomically(path, [b"x"])
        os.utime(path, ns=(n * 10**9, n * 10**9))  # written in this order
    left = sorted(p.name for p in tmp_path.glob("kind-*.bin"))
    assert left == [p.name for p in paths[-derived.KEPT_PER_KIND:]]
