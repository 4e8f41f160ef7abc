"""The STARD evaluation: its split, its relevance by cited article and its metrics."""

from __future__ import annotations

import json

import pytest

from assistant.settings import Settings
from eval.stard import SPLIT_FILE, Gold, Question, build_baseline_library, judge, summarize
from tests.assistant.test_lawlib import write_library


def _question(*articles: tuple[str, str], file: str = "docs/民法典/物权编.md") -> Question:
    return Question(id="q", question="?", gold=[
        Gold(title=title, article=article, files=[file]) for title, article in articles])


def test_split_is_frozen_disjoint_and_complete():
    split = json.loads(SPLIT_FILE.read_text("utf-8"))
    dev, test = set(split["dev"]), set(split["test"])
    assert (len(dev), len(test)) == (900, 334) and not dev & test


def test_relevance_is_by_law_title_and_article_in_canonical_form():
    q = _question(("中华人民共和国民法典", "第290条"), ("个体工商户条例", "第二条"))
    ranking = [{("个体工商户条例", "第三条")}, {("中华人民共和国民法典", "第二百九十条")},
               set(), {("个体工商户条例", "第二条"), ("个体工商户条例", "第一条")}]
    scored = judge(q, ranking)
    assert scored.relevant == [False, True, False, True]
    figures = summarize([scored, judge(q, [])])
    assert figures["hit@1"] == 0 and figures["hit@5"] == 0.5
    assert figures["mrr@10"] == pytest.approx(0.25) and figures["recall@10"] == 0.5


def test_law_area_is_the_library_folder_and_the_civil_code_part():
    assert _question(("中华人民共和国民法典", "第一条")).area == "民法典/物权编"
    assert _question(("劳动合同法", "第一条"), file="docs/社会法/劳动合同法.md").area == "社会法"


def test_baseline_chunks_hold_the_articles_that_start_or_run_into_them(tmp_path):
    root = write_library(tmp_path / "laws")
    from assistant.lawlib import scan_library

    titles = {d.id: d.title for d in scan_library(root)}
    settings = Settings(corpus_dir=root, data_dir=tmp_path / "data", embedding_model="",
                        chunk_max_chars=120, chunk_min_chars=60)
    library = build_baseline_library(settings, titles)
    ranked = library.rank("相邻权利人用水排水", 3)
    assert ranked and ("中华人民共和国民法典", "第二百九十条") in set().union(*ranked)
    assert all(title in titles.values() for arts in library.articles.values() for title, _ in arts)
