"""One small built document per cause found on the sixth dev ten (h10-tune6)."""

from __future__ import annotations

from pathlib import Path

from assistant.document import Document, HeadingBlock, Numbering, ParagraphBlock
from checkers.report import build_report

SRC = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "src"
Z2 = "| Z2 | 285.6 | 142.8 | 2.0 | 672.6 | 49.1 | 可行 |"


def ceramics(old: str = "", new: str = "") -> str:
    text = (SRC / "complete-ceramics.md").read_text("utf-8")
    assert old in text, old
    return text.replace(old, new)


def npv_irr(result) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in result.findings if f.rule_id == "CON-NPV-IRR"]


def test_a_negative_npv_beside_an_irr_above_the_stated_rate_is_an_error(run):
    """weijing-xiangyu Z3: NPV −171.1 and IRR 12.6 % at a stated 8 % contradict each other."""
    (severity, message), = npv_irr(run(ceramics(Z2, "| Z2 | 285.6 | 142.8 | 2.0 | -72.6 | 12.6 | 可行 |")))
    assert severity == "error" and "12.6" in message and "8%" in message
    (severity, _), = npv_irr(run(ceramics(Z2, "| Z2 | 285.6 | 142.8 | 2.0 | 672.6 | 6.1 | 可行 |")))
    assert severity == "error"  # the other way: a positive NPV and an IRR below the rate


def test_npv_and_irr_that_agree_are_silent(run):
    """fuwuqu-qilu Z4 (NPV −2.4, IRR 6.9 % < 8 %), an IRR at the rate itself, and the sample."""
    assert npv_irr(run(ceramics())) == []
    assert npv_irr(run(ceramics(Z2, "| Z2 | 285.6 | 142.8 | 2.0 | -2.4 | 6.9 | 可行 |"))) == []
    assert npv_irr(run(ceramics(Z2, "| Z2 | 285.6 | 142.8 | 2.0 | -0.3 | 8.0 | 可行 |"))) == []
    assert npv_irr(run(ceramics(Z2, "| Z2 | 285.6 | 142.8 | 2.0 | -12.0 | 不适用 | 可行 |"))) == []


def test_without_a_stated_rate_the_contradiction_is_only_warned(run):
    text = ceramics(Z2, "| Z2 | 285.6 | 142.8 | 2.0 | -72.6 | 12.6 | 可行 |")
    text = text.replace("基准折现率8%，", "")
    (severity, message), = npv_irr(run(text))
    assert severity == "warning" and "未写明基准折现率" in message


def _block(cls, text: str, page: int, at: int, **kw):
    return cls(text=text, page=page, start=at, end=at + len(text), **kw)


def _heading(text: str, page: int, at: int, marker: str = ""):
    return _block(HeadingBlock, text, page, at, title=text, level=1,
                  numbering=Numbering(kind="style", rank=1.0, marker=marker, label=text))


def test_a_pdf_cover_whose_name_lines_read_as_headings_keeps_its_fields():
    """tiyu-aoti.pdf: the cover's large-type name lines are headings; the 行业类别 line below
    them is still the cover (it decides the 服务业 profile), the first chapter's text is not."""
    lines = [("p", "潍坊市某体育中心清洁生产审核报告", 1), ("h", "潍坊市某体育中心", 1),
             ("h", "清洁生产审核报告", 1), ("p", "行业类别：R8820 体育场地设施管理（服务业）", 1),
             ("h", "2024年11月", 1), ("h", "摘要", 2), ("p", "行业：这是正文，不是封面", 2)]
    blocks, at = [], 0
    for kind, text, page in lines:
        blocks.append(_heading(text, page, at) if kind == "h" else
                      _block(ParagraphBlock, text, page, at))
        at += len(text) + 1
    doc = Document(name="r.pdf", format="pdf", text="\n".join(t for _, t, _ in lines),
                   blocks=blocks)
    report = build_report(doc)
    assert report.cover.get("行业类别", "").startswith("R8820")
    assert "行业" not in report.cover


CONCLUSION = "本轮清洁生产审核共实施方案12项，"


def summary_targets(result) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in result.findings if f.rule_id == "CON-TARGET-SUMMARY"]


def test_a_summary_target_that_differs_from_the_target_table_is_warned(run):
    """taibai-longxing: the 前言 says 废酸 ≤6.5, the target table ≤7.0."""
    text = ceramics(CONCLUSION, "本轮近期目标是单位产品综合能耗≤3.600 kgce/m²。" + CONCLUSION)
    (severity, message), = summary_targets(run(text))
    assert severity == "warning" and "3.600" in message and "3.567" in message


def test_a_summary_target_that_agrees_or_is_a_later_one_is_silent(run):
    for sentence in ("本轮近期目标是单位产品综合能耗≤3.567 kgce/m²。",
                     "中远期目标是单位产品综合能耗≤3.493 kgce/m²。",
                     "近期目标是单位产品综合能耗≤3567 gce/m²。"):  # another unit, ×10³
        assert summary_targets(run(ceramics(CONCLUSION, sentence + CONCLUSION))) == [], sentence


def unevaluated(result) -> list[tuple[str, str]]:
    return [(f.severity, f.subject) for f in result.findings
            if f.rule_id == "SEC-OPTION-UNEVALUATED"]


def _without_z3_in_feasibility(text: str) -> str:
    """The sample with Z3 (中/高费, implemented in 第六章) left out of 第五章 可行性分析."""
    start, end = text.index("# 第五章 可行性分析"), text.index("# 第六章 方案实施")
    chapter = text[start:end]
    chapter = chapter.replace("Z3方案在现有抛光废水处理站后增设多介质过滤和超滤单元，出水浊度低于5 NTU，"
                              "可满足抛光磨边用水要求。", "")
    chapter = chapter.replace("Z3减少新鲜水取用和废水排放；", "")
    chapter = chapter.replace("推荐Z1～Z5共5项", "推荐5项")
    chapter = chapter.replace("| Z3 | 52.5 | 21.0 | 2.5 | 88.41 | 38.5 | 可行 |\n", "")
    assert "Z3" not in chapter
    return text[:start] + chapter + text[end:]


def test_an_implemented_high_cost_option_the_feasibility_chapter_never_names_is_warned(run):
    """lvye-jinshan Z3: in 表4-1 as 中/高费 and built, absent from 第五章 while Z1, Z2, Z4 are there."""
    assert unevaluated(run(ceramics())) == []
    assert unevaluated(run(_without_z3_in_feasibility(ceramics()))) == [
        ("warning", "Z3 抛光废水深度处理中水回用")]


def test_a_feasibility_chapter_naming_options_by_a_range_or_not_at_all_is_silent(run):
    text = _without_z3_in_feasibility(ceramics())
    ranged = text.replace("5项方案在技术上均可行。", "Z1～Z5方案在技术上均可行。")
    assert unevaluated(run(ranged)) == []
    # a chapter that names no option one by one is not judged
    start, end = text.index("# 第五章 可行性分析"), text.index("# 第六章 方案实施")
    general = text[:start] + "# 第五章 可行性分析\n\n5项中/高费方案在技术、环境和经济上均可行，" \
        "净现值均大于零。\n\n" + text[end:]
    assert unevaluated(run(general)) == []


def test_a_meeting_after_a_post_is_no_member(run):
    """tiyu-aoti: “中心召开主任办公会，决定…” read 办公会 as a second 组长 named after 主任."""
    sentence = "公司召开总经理办公会，决定成立清洁生产审核小组，总经理陈国栋任组长。\n\n表1-1 清洁生产审核小组成员"
    result = run(ceramics("表1-1 清洁生产审核小组成员", sentence))
    assert not [f for f in result.findings if f.category == "team" and "办公会" in f.message]
    assert not [f for f in result.findings if f.rule_id == "TEAM-LEADER-DOUBLE"]
