"""The national law library as a corpus: a small LawRefBook-style tree, indexed without a
manifest, and the retrieval that bridges everyday wording over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index import build_index
from assistant.lawlib import is_law_library, scan_library
from assistant.query import expand
from assistant.retrieve import load_index, retrieve
from assistant.settings import Settings

CIVIL_CODE = """# 中华人民共和国民法典

# 物权编

2020年5月28日 第十三届全国人民代表大会第三次会议通过

<!-- INFO END -->

## 第一分编  通则

### 第七章  相邻关系

第二百八十八条 不动产的相邻权利人应当按照有利生产、方便生活、团结互助、公平合理的原则，正确处理相邻关系。

第二百八十九条 法律、法规对处理相邻关系有规定的，依照其规定。

第二百九十条 不动产权利人应当为相邻权利人用水、排水提供必要的便利。

第一千条 行为人因侵害人格权承担消除影响、恢复名誉、赔礼道歉等民事责任的，应当与行为的具体方式和造成的影响范围相当。
"""

REGULATION = """# 个体工商户条例

2011年4月16日 中华人民共和国国务院令第596号公布

<!-- INFO END -->

第一条 为了保护个体工商户的合法权益，制定本条例。

第二条 有经营能力的公民，依照本条例规定经登记，从事工商业经营的，为个体工商户。

第三条 个体工商户可以个人经营，也可以家庭经营。
"""

LOCAL = """# 北京市物业管理条例

2020年3月27日 北京市人民代表大会常务委员会通过

<!-- INFO END -->

第一条 为了规范物业管理活动，制定本条例。

第二条 相邻权利人之间因用水、排水发生纠纷的，可以请求物业服务人协调。

第三条 本市行政区域内的物业管理适用本条例。
"""

RULE = """# 企业职工带薪年休假实施办法

2008年9月18日 人力资源和社会保障部令第1号公布

<!-- INFO END -->

第一条 为了实施《职工带薪年休假条例》，制定本实施办法。

第二条 用人单位应当保证职工享受年休假。

第三条 职工连续工作满12个月以上的，享受带薪年休假。
"""


def write_library(root: Path) -> Path:
    files = {
        "民法典/_index.md": "---\ntitle: 民法典\n---\n",
        "民法典/物权编.md": CIVIL_CODE,
        "行政法规/个体工商户条例(2016-02-06).md": REGULATION,
        # The earlier version of a revised regulation, and the same law filed in two folders,
        # as the library keeps them.
        "行政法规/个体工商户条例(2011-04-16).md": REGULATION,
        "诉讼与非诉讼程序法/个体工商户条例(2016-02-06).md": REGULATION,
        "DLC/北京地方法规/地方性法规/北京/北京市物业管理条例(2020-03-27).md": LOCAL,
        "部门规章/人力资源社会保障部/企业职工带薪年休假实施办法(2008-07-17).md": RULE,
        "法律法规模版.md": "# 某条法律的标题\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    return root


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Settings:
    root = write_library(tmp_path_factory.mktemp("laws"))
    settings = Settings(corpus_dir=root, data_dir=tmp_path_factory.mktemp("lawlib-data"),
                        embedding_model="")
    build_index(settings, use_dense=False)
    return settings


def test_library_metadata_comes_from_headings_folders_and_file_names(tmp_path):
    root = write_library(tmp_path)
    assert is_law_library(root) and not is_law_library(tmp_path / "民法典")
    docs = {d.file: d for d in scan_library(root)}
    assert len(docs) == 6  # _index.md and the template are not laws
    code = docs["民法典/物权编.md"]
    assert (code.title, code.short_title, code.aliases, code.kind, code.region) == (
        "中华人民共和国民法典", "民法典", ["民法典物权编"], "law", "全国")
    regulation = docs["行政法规/个体工商户条例(2016-02-06).md"]
    assert (regulation.title, regulation.kind, regulation.date) == (
        "个体工商户条例", "administrative_regulation", "2016-02-06")
    local = next(d for d in docs.values() if d.kind == "local_regulation")
    assert (local.title, local.region, local.date) == ("北京市物业管理条例", "北京市", "2020-03-27")
    rule = next(d for d in docs.values() if d.kind == "departmental_rule")
    assert rule.issuer == "人力资源社会保障部"
    assert len({d.id for d in docs.values()}) == 6
    assert scan_library(root) == scan_library(root)  # ids are stable


def test_articles_from_one_thousand_on_are_labelled(library):
    index = load_index(library)
    articles = {c.article for c in index.chunks if c.doc_id.startswith("law-")}
    assert "第一千条" in articles and "第二百九十条" in articles


def test_national_law_before_local_regulation_unless_a_place_is_named(library):
    index = load_index(library)
    top = retrieve(index, expand("相邻权利人用水排水纠纷怎么处理"), k=3).passages[0]
    assert top.title == "中华人民共和国民法典"
    top = retrieve(index, expand("北京相邻权利人用水排水纠纷怎么处理"), k=3).passages[0]
    assert top.title == "北京市物业管理条例"


def test_one_passage_per_article_and_the_current_version_first(library):
    index = load_index(library)
    passages = retrieve(index, expand("有经营能力的公民登记从事工商业经营，是个体工商户吗"),
                        k=5).passages
    found = [(p.title, p.article) for p in passages]
    assert found.count(("个体工商户条例", "第二条")) == 1  # three files hold it
    first = next(p for p in passages if p.article == "第二条")
    assert index.docs[first.doc_id].date == "2016-02-06"  # not the 2011 version


def test_everyday_words_reach_the_statute(library):
    from assistant.tuning import overridden

    index = load_index(library)
    question = expand("邻居家要从我家接水，我必须同意吗？")
    with overridden(learned_weight=0, expansion_weight=0):  # data/lay_legal.yaml alone
        top = retrieve(index, question, k=3).passages[0]
    assert (top.title, top.article) == ("中华人民共和国民法典", "第二百九十条")
    # The learned vocabulary (data/learned_legal.yaml) lifts the article neighbour questions
    # cite most, 第二百八十八条 (相邻关系 in general); the specific one stays in the top 3.
    found = [(p.title, p.article) for p in retrieve(index, question, k=3).passages]
    assert ("中华人民共和国民法典", "第二百九十条") in found


def test_east_west_is_not_things():
    assert "财产" in expand("我的东西被人拿走了")
    assert "财产" not in expand("房屋东西方向长十米")


def test_the_article_answering_every_part_of_the_question_comes_first(library):
    """BM25 can rank an article matching one word of the question above the one answering
    all of it; the candidates are reordered by how much of the question each covers."""
    import numpy as np

    from assistant.lexical import by_coverage
    from assistant.tuning import overridden

    index = load_index(library)
    code = next(d for d, m in index.docs.items() if m.title == "中华人民共和国民法典")
    one_word, every_part = index.article_rows(code, "第二百八十九条")[0], \
        index.article_rows(code, "第二百九十条")[0]
    scores = np.zeros(len(index.chunks), dtype=np.float32)
    scores[one_word], scores[every_part] = 2.0, 1.5
    question = "相邻权利人用水、排水，对方要提供便利吗"
    assert by_coverage(index, question, scores, [one_word, every_part]) == [every_part, one_word]
    with overridden(coverage_weight=0):
        assert by_coverage(index, question, scores, [one_word, every_part]) == [one_word,
                                                                                every_part]
    # A question naming a place is narrowed to it already: its ranking stays BM25's.
    assert by_coverage(index, "北京" + question, scores, [one_word, every_part]) == [
        one_word, every_part]
