"""English, mixed and traditional-character questions: the CC-CEDICT lexicon under the field
glossary, phrases matched longest first in their stems, and a real English question answered
end to end through `cpaudit ask`."""

from __future__ import annotations

import json

import pytest

from assistant import bilingual
from assistant.bilingual import chinese_reading, chinese_terms, readings
from assistant.cli import main
from assistant.errors import DataFileError
from assistant.textfold import question_form


def test_the_lexicon_is_cc_cedict_kept_to_the_corpus_words_with_its_licence():
    lexicon = bilingual.datafile.load(bilingual.LEXICON_FILE, bilingual.Lexicon)
    assert lexicon.source.startswith("CC-CEDICT") and lexicon.licence == "CC BY-SA 4.0"
    assert len(lexicon.entries) > 2000
    # a word the corpus uses, for a sense the glossary does not list
    assert lexicon.entries["effluent"] == "废水" and lexicon.entries["energy saving"] == "节能"


def test_a_broken_lexicon_is_a_bilingual_data_file_error(tmp_path, monkeypatch):
    broken = tmp_path / "english_lexicon.yaml"
    broken.write_text("source: x\nentries: [not, a, mapping]\n", "utf-8")
    monkeypatch.setattr(bilingual, "LEXICON_FILE", broken)
    bilingual.phrases.cache_clear()
    try:
        with pytest.raises(DataFileError) as caught:
            bilingual.phrases()
        assert "english_lexicon.yaml" in caught.value.zh
        assert "english_lexicon.yaml" in caught.value.en
    finally:
        monkeypatch.undo()
        bilingual.phrases.cache_clear()


def test_phrases_match_longest_first_in_any_inflection():
    said = [(r.text, r.chinese) for r in readings("Do cleaner production audits need energy-saving plans?")]
    assert said[0] == ("cleaner production audits", ("清洁生产审核",))  # not "audit" alone
    assert ("energy saving", ("节能",)) in [(t.replace("-", " "), c) for t, c in said]
    assert chinese_terms("auditing") == chinese_terms("audits") == ["审核"]
    # function words are dropped; a word as written wins over another word's stem
    assert "developer" not in chinese_terms("development") and chinese_terms("development") == ["发展"]
    assert chinese_terms("What is the") == ["什么"]  # "what" is the glossary's, "is the" nothing


def test_the_glossary_overrides_the_lexicon():
    # CC-CEDICT's most frequent word for "plant" would be a factory's; the glossary says 企业
    glossary = bilingual.datafile.load(bilingual.GLOSSARY_FILE, bilingual.Glossary).root
    for english in ("plant", "penalty", "how long"):
        assert chinese_terms(english) == glossary[english]


def test_british_spellings_read_as_the_american_ones_the_lexicon_holds():
    for british, american in (("organisations", "organizations"), ("analyse", "analyze"),
                              ("centre", "center"),
                              ("programme", "program"), ("utilisation", "utilization")):
        assert chinese_terms(british) and chinese_terms(british) == chinese_terms(american)
    # a word as written wins: "enterprise" is not read as an "-ize" verb
    assert chinese_terms("enterprises") == chinese_terms("enterprise")


def test_a_verb_form_reads_as_the_verb():
    assert chinese_terms("refuse") != chinese_terms("refusing")  # 垃圾 "refuse" is a noun
    assert chinese_terms("refusing") == chinese_terms("to refuse")


def test_a_mixed_question_keeps_the_english_the_index_holds_and_drops_what_no_one_knows():
    known = {"vocs"}.__contains__
    reading = chinese_reading("广东对VOCs和data center有什么要求？", known=known)
    assert reading == "广东对挥发性有机物 VOCs和数据中心有什么要求？"
    # a word neither layer nor index knows does not weigh the question down
    assert chinese_reading("广东对 xyzzy 治理有什么要求？") == "广东对 治理有什么要求？"
    assert chinese_reading("广东有什么要求？") is None
    assert chinese_reading("hello there") is None  # English nobody knows: left to be refused


def test_traditional_and_full_width_questions_read_as_simplified():
    assert question_form("廣東２０２５年要推動多少家企業？") == "广东2025年要推动多少家企业？"


def test_an_english_question_is_answered_with_chinese_quotes_through_cpaudit_ask(settings, capsys):
    question = "Which enterprises must carry out mandatory cleaner production audits?"
    assert main(["ask", "--json", question]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["abstained"] is False and data["citations"]
    assert data["answer"].startswith("Quoted from the Chinese policy documents")
    first = data["citations"][0]
    assert (first["doc_id"], first["article"]) == ("cleaner-production-law", "第二十七条")
    assert any(note.startswith("English words read in Chinese as:") for note in data["notes"])
    assert main(["ask", "--json", "How big is the cleaner production audit subsidy in Shanghai?"]) == 0
    refused = json.loads(capsys.readouterr().out)
    assert refused["abstained"] is True and refused["citations"] == []
    assert refused["answer"].startswith("The Chinese policy documents searched do not answer")


def test_a_traditional_follow_up_resolves_like_its_simplified_twin(settings, index):
    from assistant.service import ask

    history = ["廣東到2025年要推動多少家工業企業開展清潔生產審核？"]
    answer = ask("那廣西呢？", history=history, settings=settings, index=index)
    twin = ask("那广西呢？", history=["广东到2025年要推动多少家工业企业开展清洁生产审核？"],
               settings=settings, index=index)
    assert answer.question == "那廣西呢？"  # shown as typed
    assert answer.resolved_question == twin.resolved_question and answer.resolved_question.startswith("广西")
    assert answer.answer == twin.answer
