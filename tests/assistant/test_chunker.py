"""Structure-aware chunking: every heading form, article integrity, sizes, metadata."""

from __future__ import annotations

from assistant.chunker import chunk_document
from assistant.cnnum import cn_to_int, int_to_cn
from assistant.loader import load_bytes
from assistant.structure import classify_heading


def _chunks(text: str, **kw):
    return chunk_document("t", load_bytes(text.encode(), name="t.txt"), **kw)


def test_each_heading_form_is_recognized():
    cases = {
        "第三章 清洁生产的实施": "chapter", "第二节 审核": "section",
        "第二十七条 企业应当…": "article", "一、工作目标": "cn-num",
        "（七）重点行业推进强制性清洁生产审核。": "cn-paren", "(二)加强人才队伍建设。": "cn-paren",
        "1.在商业领域推进清洁生产。": "num", "1、推行清洁生产": "num",
        "（1）建立制度": "num-paren", "专栏 1 工业清洁生产重点工程": "box",
        "附件 2": "attachment", "附件：1.名录": "attachment", "1.1 审核小组": "num-dotted",
    }
    for text, kind in cases.items():
        heading = classify_heading(text)
        assert heading is not None and heading.kind == kind, text
    for text in ["2009年，佛山市总用水量为39.19亿m3。", "1.5万吨标准煤", "一是推进持续审核。"]:
        assert classify_heading(text) is None, text


def test_traditional_numbering_is_recognized_and_kept_as_written():
    for text, kind, marker in [("第二節 預評估", "section", "第二節"),
                               ("第二十七條 企業應當…", "article", "第二十七條"),
                               ("專欄 1 工業清潔生產重點工程", "box", "專欄 1"),
                               ("第三章 清潔生產的實施", "chapter", "第三章")]:
        heading = classify_heading(text)
        assert heading is not None and (heading.kind, heading.marker) == (kind, marker), text


def test_section_paths_follow_the_numbering_hierarchy():
    text = "\n".join([
        "一、工作任务", "（一）组织推进。", "召开全市清洁生产工作动员大会。" * 30,
        "（七）重点行业推进强制性清洁生产审核。", "将含铅蓄电池业等作为重点。" * 15,
        "专栏 1 重点工程", "1.绿色制造体系建设工程。开展绿色制造技术创新。" * 8,
        "（1）细则一。" + "细则内容。" * 40,
        "二、保障措施", "（一）建立工作组。" + "建立市清洁生产工作组。" * 20,
        "附件 1", "名录内容。" * 50,
    ])
    chunks, sections = _chunks(text)
    paths = [c.section for c in chunks]
    assert "一、工作任务 > （七）重点行业推进强制性清洁生产审核" in paths
    assert any(p.startswith("一、工作任务 > 专栏 1 重点工程 > 1.绿色制造体系建设工程") for p in paths)
    assert "二、保障措施 > （一）建立工作组" in paths
    assert any(p.startswith("附件 1") for p in paths)
    assert sections.at(text.index("将含铅"))[0].endswith("（七）重点行业推进强制性清洁生产审核")


def test_law_articles_are_never_split_or_merged():
    articles = [f"第{int_to_cn(n)}条 " + "企业应当依法实施清洁生产审核。" * (n % 3 + 1)
                for n in range(1, 30)]
    text = "第一章 总则\n" + "\n".join(articles[:10]) + "\n第二章 实施\n" + "\n".join(articles[10:])
    chunks, _ = _chunks(text)
    assert [c.article for c in chunks if c.article] == [f"第{int_to_cn(n)}条" for n in range(1, 30)]
    first = next(c for c in chunks if c.article == "第一条")
    assert first.section == "第一章 总则"
    eleventh = next(c for c in chunks if c.article == "第十一条")
    assert eleventh.section == "第二章 实施"


def test_an_article_longer_than_the_limit_is_split_at_sentence_ends():
    long_article = "第五条 " + "".join(f"第{i}句规定企业应当开展审核；" for i in range(60)) + "完。"
    chunks, _ = _chunks("第一章 总则\n" + long_article + "\n第六条 短条文。\n第七条 短。\n第八条 短。")
    parts = [c for c in chunks if c.article == "第五条"]
    assert len(parts) > 1
    assert all(len(c.text) <= 600 for c in parts)
    assert all(c.text.endswith(("；", "。")) for c in parts)


def test_plan_sections_are_merged_to_target_and_split_at_sentences():
    text = "\n".join(["一、目标", "（一）总体目标", "推行清洁生产。", "（二）具体目标", "完成审核。",
                      "二、任务", "（一）长任务"] + ["本项工作要求企业开展清洁生产审核工作。"] * 60)
    chunks, _ = _chunks(text)
    assert chunks[0].text.startswith("一、目标") and "完成审核" in chunks[0].text
    assert chunks[0].section == "一、目标"
    assert all(len(c.text) <= 600 for c in chunks)
    assert all(c.text.endswith("。") for c in chunks)


def test_chunks_carry_offsets_and_ids():
    chunks, _ = _chunks("一、目标\n" + "内容句。" * 300)
    assert [c.id for c in chunks] == [f"t#chunk-{i}" for i in range(len(chunks))]
    assert all(c.end - c.start == len(c.text) for c in chunks)


def test_chinese_numerals():
    assert [cn_to_int(x) for x in ["二十七", "四十", "十", "一百零三", "五十二"]] == \
        [27, 40, 10, 103, 52]
    assert [int_to_cn(n) for n in [27, 40, 10, 103, 52, 110]] == \
        ["二十七", "四十", "十", "一百零三", "五十二", "一百一十"]


def test_a_report_chapter_numbered_by_audit_phase_is_a_chapter():
    """"第二阶段 预审核": some reports number their chapters by the seven audit phases; a phase
    inside a sentence ("2011-2015年为第一阶段") is no heading."""
    from assistant.structure import classify_heading, heading_line

    heading = classify_heading("第二阶段 预审核")
    assert heading is not None and heading.kind == "chapter" and heading.marker == "第二阶段"
    assert heading_line("总体目标将分成两个阶段完成，2011-2015年为第一阶段。") is None
