"""Rules are data: every rule founded on the corpus or a named source; thresholds, synonyms,
role tables and profiles change the findings without code changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from checkers.basis import BasisResolver
from checkers.rules import RULES_DIR, build_config, load_pack

SRC = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "src"


@pytest.fixture
def rules_copy(tmp_path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_every_rule_has_a_resolvable_basis(index):
    pack = load_pack()
    assert {r.category for r in pack.rules} == {"section", "team", "indicator", "consistency",
                                                "citation", "format"}
    resolver = BasisResolver(index, build_config("general"))
    for rule in pack.rules:
        basis = resolver(rule.id)
        if rule.basis.doc_id is None:
            assert rule.basis.source and basis.source == rule.basis.source
            continue
        # The quote is verbatim from the chunk of that article / section in the index.
        chunks = [c for c in index.chunks if c.doc_id == rule.basis.doc_id
                  and (c.article == rule.basis.article
                       or rule.basis.section and rule.basis.section in c.section)]
        assert basis.quote and any(basis.quote in c.text for c in chunks), rule.id
        chunk = index.chunks[index.row_of[basis.chunk_id]]  # and located in the document
        assert chunk in chunks and basis.start is not None, rule.id
        assert chunk.text[basis.start - chunk.start:basis.end - chunk.start] == basis.quote
        assert all(word in basis.quote for word in rule.basis.quote_contains), rule.id
        assert basis.title == index.docs[rule.basis.doc_id].title


def test_team_basis_is_the_guangzhou_plan_and_plan_fields_the_sichuan_form(index):
    resolver = BasisResolver(index, build_config("general"))
    team = resolver("TEAM-ROLE-UNCOVERED")
    assert team.section.endswith("（三）落实企业清洁生产工作责任制")
    assert "财务人员" in team.quote and "一线操作人员" in team.quote
    form = resolver("IND-PLAN-FIELD-MISSING")
    assert form.doc_id == "sc-notice-2016" and form.section == "附件 2"
    assert "是否为审核提出" in form.quote


def test_role_synonyms_are_data(rules_copy, index):
    from checkers import check_report

    report = SRC / "defect-team.md"
    before = {f.subject for f in check_report(report, index=index, rules_dir=rules_copy).findings}
    assert "财务" in before

    def count_production_as_finance(data):
        role = next(r for r in data["required_roles"] if r["role"] == "财务")
        role["keywords"].append("生产部")

    _edit(rules_copy / "team.yaml", count_production_as_finance)
    after = {f.subject for f in check_report(report, index=index, rules_dir=rules_copy).findings}
    assert after == before - {"财务"}


def test_thresholds_are_data(rules_copy, index):
    from checkers import check_report

    report = SRC / "defect-consistency.md"
    subjects = [f.subject for f in check_report(report, index=index, rules_dir=rules_copy).findings]
    assert "二氧化硫" in subjects
    _edit(rules_copy / "base.yaml", lambda d: d["thresholds"].update(tolerance_pct=20.0))
    subjects = [f.subject for f in check_report(report, index=index, rules_dir=rules_copy).findings]
    assert "二氧化硫" not in subjects  # 35.0 vs 30.2 is within 20 %


def test_a_profile_adds_and_relaxes_rules(index):
    from checkers import check_report

    report = SRC / "defect-consistency.md"  # has no 清洁生产改造计划 table
    plain = check_report(report, index=index)
    sichuan = check_report(report, index=index, profiles=["sichuan"])
    added = {f.rule_id for f in sichuan.findings} - {f.rule_id for f in plain.findings}
    assert added == {"IND-PLAN-MISSING"}
    lenient = check_report(SRC / "defect-team.md", index=index, profiles=["lenient"])
    assert {f.subject: f.severity for f in lenient.findings}["财务"] == "info"


def test_industry_profile_decides_required_indicators(index):
    from checkers import check_report

    report = SRC / "defect-indicators.md"
    detected = check_report(report, index=index)
    assert detected.report.industry == "ceramics" and detected.report.industry_detected
    assert "颗粒物" in {f.subject for f in detected.findings}
    general = check_report(report, index=index, industry="general")
    assert "颗粒物" not in {f.subject for f in general.findings}


def test_toml_profiles_load(rules_copy, index):
    from checkers import check_report

    (rules_copy / "profiles" / "strict.toml").write_text(
        'name = "strict"\nkind = "region"\ntitle = "严格"\n'
        '[overrides.TEAM-ROLE-UNCOVERED]\nseverity = "error"\n', encoding="utf-8")
    result = check_report(SRC / "defect-team.md", index=index, rules_dir=rules_copy,
                          profiles=["strict"])
    assert {f.subject: f.severity for f in result.findings}["财务"] == "error"


@pytest.mark.parametrize(("name", "industry"), [
    ("complete-ceramics", "ceramics"), ("complete-dyeing-system-b", "dyeing"),
    ("defect-sections", "packaging"), ("defect-consistency", "general"),
])
def test_industry_detection_from_the_cover(name, industry):
    from assistant.loader import load_file
    from checkers.engine import detect_industry
    from checkers.report import build_report

    assert detect_industry(build_report(load_file(SRC / f"{name}.md"))) == industry


@pytest.mark.parametrize(("overview", "industry"), [
    # a printing step of another manufacture is not the printing industry
    ("公司生产单晶PERC电池片，工艺为制绒→扩散→镀膜→丝网印刷→烧结，丝网印刷使用银浆。", "general"),
    ("公司为SMT贴片加工企业，每条线配锡膏印刷机和回流焊，锡膏印刷后检测。", "general"),
    ("公司为包装印刷企业，拥有凹版印刷机6台，生产软包装复合膜。", "packaging"),
    # the report saying whose programme it was done under
    ("依据本省服务业清洁生产审核工作安排，会展中心于2024年启动审核，年举办展会86场。", "service"),
])
def test_industry_detection_from_the_overview(tmp_path, overview, industry):
    from assistant.loader import load_file
    from checkers.engine import detect_industry
    from checkers.report import build_report

    path = tmp_path / "r.md"
    path.write_text(f"# 某某清洁生产审核报告\n\n## 企业概况\n\n{overview}\n", encoding="utf-8")
    assert detect_industry(build_report(load_file(path))) == industry


def test_unstructured_text_gets_format_findings(tmp_path, index):
    from checkers import check_report

    path = tmp_path / "note.txt"
    path.write_text("本公司开展了清洁生产审核，效果良好。", encoding="gbk")
    result = check_report(path, index=index)
    rules = {f.rule_id for f in result.findings}
    assert {"FMT-NO-HEADINGS", "FMT-NO-TABLES", "TEAM-MISSING", "IND-TABLE-MISSING"} <= rules
    assert result.verdict == "需重大修改" and result.verdict_reason == "无法识别报告的章节结构"


def test_check_verdict_table_takes_the_review_conditions(rules_copy, index):
    """One verdict evaluator: base.yaml's table may name rules (any_rule) like verdict.yaml."""
    from checkers import check_report

    report = SRC / "defect-team.md"
    assert check_report(report, index=index, rules_dir=rules_copy).verdict == "修改后提交"

    def team_first(data):
        data["verdict"].insert(0, {"verdict": "需重大修改", "reason": "审核小组不合格",
                                   "when": {"any_rule": ["TEAM-LEADER-NOT-PRINCIPAL"],
                                            "warnings.team": 2}})

    _edit(rules_copy / "base.yaml", team_first)
    result = check_report(report, index=index, rules_dir=rules_copy)
    assert (result.verdict, result.verdict_reason) == ("需重大修改", "审核小组不合格")


def test_warnings_alone_never_lower_the_check_verdict():
    """Warnings are questions (the checker was unsure): however many, a report without an error
    is 可提交 with them listed; one error is 修改后提交."""
    from checkers.findings import verdict

    table = load_pack(RULES_DIR).verdict
    warnings = [(f"W-{i}", "section", "warning") for i in range(6)]
    assert verdict(warnings, table, default="可提交") == ("可提交", "未发现错误；警告项请核实后再提交")
    assert verdict([], table, default="可提交")[0] == "可提交"
    assert verdict([*warnings, ("E", "team", "error")], table, default="可提交")[0] == "修改后提交"


def test_an_unknown_verdict_condition_is_a_rule_file_error(rules_copy, index):
    from checkers import check_report
    from checkers.rules import RuleFileError

    _edit(rules_copy / "base.yaml",
          lambda d: d["verdict"].insert(0, {"verdict": "需重大修改", "when": {"mistakes": 1}}))
    with pytest.raises(RuleFileError) as info:
        check_report(SRC / "defect-team.md", index=index, rules_dir=rules_copy)
    assert "base.yaml" in info.value.zh and "mistakes" in info.value.en
    assert info.value.code == "internal_error"  # the operator's file: HTTP 500, not the user's 400


def test_report_reading_vocabulary_is_data(rules_copy, index, tmp_path):
    """Which cover field states the industry comes from rules/report.yaml: a pack that knows
    "产业类别" takes the industry from it, not from the title."""
    from checkers import check_report

    path = tmp_path / "report.md"
    path.write_text((SRC / "complete-ceramics.md").read_text("utf-8").replace(
        "- 行业：陶瓷（建筑陶瓷制品制造，C3071）", "- 产业类别：纺织印染（C171）", 1), encoding="utf-8")
    assert check_report(path, index=index, rules_dir=rules_copy).report.industry == "ceramics"
    _edit(rules_copy / "report.yaml", lambda d: d["industry"]["cover_fields"].append("产业类别"))
    assert check_report(path, index=index, rules_dir=rules_copy).report.industry == "dyeing"


def test_consultant_and_auditor_words_are_data(rules_copy, index):
    """Who wrote the report (and so whether auditors need certificates) is decided by team.yaml."""
    from checkers import check_report

    report = SRC / "defect-team.md"
    before = {f.subject for f in check_report(report, index=index, rules_dir=rules_copy).findings}
    assert "审核师证书编号" in before

    def preparer_is_not_named(data):
        data["consultant"]["preparer_fields"] = ["咨询单位"]
        data["consultant"]["commission_words"] = ["外包"]

    _edit(rules_copy / "team.yaml", preparer_is_not_named)
    after = {f.subject for f in check_report(report, index=index, rules_dir=rules_copy).findings}
    assert after == before - {"审核师证书编号"}


def test_role_first_prose_uses_the_role_words(rules_copy, index, tmp_path):
    """"组长：王福海（董事长）" is read with team.yaml's role words, so a pack that calls the
    leader 主任 reads "主任：…" the same way."""
    from checkers import check_report

    source = (SRC / "defect-team-prose.md").read_text("utf-8").replace(
        "公司成立了清洁生产审核小组。", "公司成立了清洁生产审核小组。主任：李文涛（董事长）。", 1)
    path = tmp_path / "prose.md"
    path.write_text(source, encoding="utf-8")
    assert "组长" in {f.subject for f in check_report(path, index=index, rules_dir=rules_copy).findings}

    _edit(rules_copy / "team.yaml", lambda d: d["role_words"]["leader"].append("主任"))
    subjects = {f.subject for f in check_report(path, index=index, rules_dir=rules_copy).findings}
    assert "组长" not in subjects and "一线操作" in subjects


# --------------------------------------------------------------------------- typed rule files

REVIEW_DIR = RULES_DIR.parent / "review"


def _load_rules(directory: Path, name: str):
    from checkers.rules import load_pack, load_profile

    return load_profile(name, directory) if name else load_pack(directory)


# (file, the line as shipped, the line with a typo, the key path the error must name)
TYPOS = [
    ("base.yaml", "  tolerance_pct: 1.0 ", "  tolerence_pct: 1.0 ", "thresholds.tolerence_pct"),
    ("sections.yaml", "    aliases: [预评估, 预审核]", "    alias: [预评估, 预审核]", "phases[1].alias"),
    ("team.yaml", "deputy_marker: 副", "deputy_maker: 副", "deputy_maker"),
    ("team.yaml", "  - {role: 财务, keywords:", "  - {role: 财务, keyword:", "required_roles[3].keyword"),
    ("indicators.yaml", "  threshold_words: [低费]", "  threshold_word: [低费]",
     "options.threshold_word"),
    ("report.yaml", "  overview_headings: [概况, 基本情况]", "  overview_heading: [概况, 基本情况]",
     "industry.overview_heading"),
    ("profiles/sichuan.yaml", "  IND-PLAN-MISSING: {enabled: true}",
     "  IND-PLAN-MISSING: {enabeld: true}", "overrides.IND-PLAN-MISSING.enabeld"),
    ("profiles/lenient.yaml", "  tolerance_pct: 2.0", "  tolerance_pc: 2.0", "thresholds.tolerance_pc"),
]


def _typo(path: Path, shipped: str, typo: str) -> int:
    """Put the typo in the file; the 1-based line it is on."""
    text = path.read_text("utf-8")
    assert text.count(shipped) == 1, shipped
    path.write_text(text.replace(shipped, typo), encoding="utf-8")
    return text[:text.index(shipped)].count("\n") + 1


def _assert_names(error, label: str, key: str, line: int, value: str = "") -> None:
    assert error.code == "internal_error"
    for text, at in ((error.zh, f"第 {line} 行 {key}："), (error.en, f"line {line}, {key}:")):
        assert label in text and at in text, text
    assert "未知的键" in error.zh and "unknown key" in error.en
    if value:
        assert value not in error.message()


@pytest.mark.parametrize(("name", "shipped", "typo", "key"), TYPOS, ids=[
    f"{t[0]}:{t[3]}" for t in TYPOS])
def test_a_typo_in_a_rule_file_names_the_file_key_and_line(rules_copy, name, shipped, typo, key):
    from checkers.rules import RuleFileError

    line = _typo(rules_copy / name, shipped, typo)
    profile = name.removeprefix("profiles/").removesuffix(".yaml") if "/" in name else ""
    with pytest.raises(RuleFileError) as info:
        _load_rules(rules_copy, profile)
    _assert_names(info.value, name, key, line)


def test_a_typo_in_a_toml_profile_names_its_line(rules_copy):
    from checkers.rules import RuleFileError, load_profile

    (rules_copy / "profiles" / "strict.toml").write_text(
        'name = "strict"\nkind = "region"\ntitle = "严格"\n'
        '[overrides.TEAM-ROLE-UNCOVERED]\nseverty = "error"\n', encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_profile("strict", rules_copy)
    _assert_names(info.value, "profiles/strict.toml", "overrides.TEAM-ROLE-UNCOVERED.severty", 5)


def test_a_typo_in_the_review_templates_names_the_key_and_line(tmp_path):
    from checkers.review.templates import templates
    from checkers.rules import RuleFileError

    path = tmp_path / "templates.yaml"
    shutil.copy(REVIEW_DIR / "templates.yaml", path)
    line = _typo(path, "  none: 未发现需要更正或完善的问题。", "  nothing: 未发现需要更正或完善的问题。")
    with pytest.raises(RuleFileError) as info:
        templates(path)
    _assert_names(info.value, "templates.yaml", "overall.nothing", line, value="未发现需要更正")
    assert "第" in info.value.zh and "overall.none" in info.value.en  # and the key it lacks


def test_a_typo_in_the_verdict_rules_names_the_key_and_line(tmp_path):
    from checkers.review.verdict import load_table
    from checkers.rules import RuleFileError

    path = tmp_path / "verdict.yaml"
    shutil.copy(REVIEW_DIR / "verdict.yaml", path)
    line = _typo(path, "      reason: 报告缺少审核阶段，审核程序不完整",
                 "      reasn: 报告缺少审核阶段，审核程序不完整")
    with pytest.raises(RuleFileError) as info:
        load_table(path)
    _assert_names(info.value, "verdict.yaml", "profiles.standard[0].reasn", line,
                  value="审核程序不完整")


def test_a_wrong_value_names_the_key_and_line_but_not_the_value(rules_copy):
    from checkers.rules import RuleFileError, load_pack

    line = _typo(rules_copy / "indicators.yaml", '"VOCS?"', '"VOCS(?"')
    with pytest.raises(RuleFileError) as info:
        load_pack(rules_copy)
    error = info.value
    assert f"第 {line} 行 indicators[14].patterns：取值无效" in error.zh
    assert f"line {line}, indicators[14].patterns:" in error.en and "regular expression" in error.en
    assert "VOCS(?" not in error.message()


def test_the_shipped_rule_files_load_typed():
    from checkers.review.templates import Templates, templates
    from checkers.review.verdict import VerdictTable, load_table
    from checkers.rule_models import IndicatorRules, ReportRules, SectionRules, TeamRules
    from checkers.rules import Profile, load_profile, profile_names

    pack = load_pack()
    assert isinstance(pack.sections, SectionRules) and isinstance(pack.team, TeamRules)
    assert isinstance(pack.indicators, IndicatorRules) and isinstance(pack.report, ReportRules)
    assert [p.name for p in pack.sections.phases][:2] == ["筹划和组织", "预评估"]
    assert "总经理" in pack.team.leader_titles and pack.thresholds.tolerance_pct == 1.0
    assert all(isinstance(load_profile(name), Profile) for name in profile_names())
    assert build_config("ceramics", ("lenient",)).thresholds.tolerance_pct == 2.0
    assert isinstance(templates(), Templates) and isinstance(load_table(), VerdictTable)


def test_a_submittable_verdict_with_warnings_does_not_say_there_are_none():
    """可提交 with open warnings must not read "未发现错误或警告" next to "警告 2"."""
    from checkers.findings import verdict

    table = load_pack().verdict
    assert verdict([], table, "可提交") == ("可提交", "未发现错误或警告")
    name, reason = verdict([("IND-REQUIRED-NOT-COMPARED", "indicator", "warning")], table, "可提交")
    assert name == "可提交" and "警告" in reason and "未发现错误或警告" not in reason
