"""KeywordIndex finds exactly the keys a test of every key would, in the keys' order; JoinedTexts
exactly the texts that hold a word."""

from __future__ import annotations

import random

from assistant.keywords import JoinedTexts, KeywordIndex
from assistant.query import lay_vocabulary, synonyms


def brute_force(keys: list[str], text: str) -> list[str]:
    return [key for key in keys if key in text]


def test_same_keys_as_testing_every_key():
    rng = random.Random(7)
    alphabet = "清洁生产审核企业报告AB1１ "
    keys = list(dict.fromkeys(
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4))) for _ in range(300)))
    assert "" in keys or len(keys) > 100  # short keys (0 or 1 character) are among them
    index = KeywordIndex(keys)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert index.found(text) == brute_force(keys, text), text


def test_the_data_files_keys_on_real_questions():
    questions = ["未成年人打工每天最多干几个小时？", "单位不给交社保怎么办", "清洁生产审核报告应当包括哪些内容？",
                 "东西被偷了能报警吗", ""]
    for keys in (list(lay_vocabulary().terms), list(synonyms())):
        index = KeywordIndex(keys)
        for q in questions:
            assert index.found(q) == brute_force(keys, q)


def test_texts_holding_a_word_as_testing_every_text():
    rng = random.Random(11)
    alphabet = "广东省深圳市条例法\n "
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(200)]
    joined = JoinedTexts(texts)
    for _ in range(300):
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
                 for _ in range(rng.randint(1, 3))]
        expected = [any(w in t for w in words) for t in texts]
        assert joined.any_of(words).tolist() == expected, words
    assert JoinedTexts([]).any_of(["广东"]).tolist() == []
