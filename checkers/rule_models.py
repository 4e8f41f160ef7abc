"""The rule files of checkers/rules/ as typed models: sections.yaml, team.yaml,
indicators.yaml, report.yaml and the thresholds of base.yaml and the profiles.

Every model forbids unknown keys, so a typo in a rule file is an error at load naming the file,
the key and its line (checkers.rules), not a KeyError in the middle of a check.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import field_validator

from assistant.models import Strict
from assistant.numbers import NUMBER_IN_TEXT
from assistant.textfold import compare_key

Words = list[str]


# A rule file's pattern writes "{number}" where a figure stands: the one number pattern
# (assistant/numbers.py), so every notation it reads (千分位, ×10ⁿ …) is read there too.
NUMBER_PLACEHOLDER = "{number}"


def _with_numbers(pattern: str) -> str:
    return _compiles(pattern.replace(NUMBER_PLACEHOLDER, NUMBER_IN_TEXT))


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:  # the message names the position, not the pattern
        raise ValueError(f"not a valid regular expression ({exc.msg} at position {exc.pos})") from exc
    return pattern


# --------------------------------------------------------------------------- base.yaml


class Thresholds(Strict):
    tolerance_pct: float  # stated reduction / percentage / 合计 / payback vs computed
    low_cost_max_wan: float  # 无/低费 < this investment (万元) <= 中/高费
    phase_min_chars: int  # a phase chapter with less body text is a stub
    content_min_chars: int  # a key-content section with less body text is a stub
    balance_min_chars: int  # a balance without a table needs at least this much text


class ThresholdChanges(Strict):
    """A profile's thresholds: any of the base pack's, each optional."""

    tolerance_pct: float | None = None
    low_cost_max_wan: float | None = None
    phase_min_chars: int | None = None
    content_min_chars: int | None = None
    balance_min_chars: int | None = None


# --------------------------------------------------------------------------- sections.yaml


class Phase(Strict):
    name: str
    aliases: Words
    evidence: Words = []  # its defining terms, for the second reading of its absence


class SecondReading(Strict):
    """checkers/absence.py: the whole-report scan before an absence is an error, and when the
    outline counts as read too poorly for any absence to be certain."""

    negations: Words  # "未开展水平衡测试": a term negated just before it shows nothing
    enumeration_phases: int  # a block naming this many phases lists the procedure, shows none
    outline_min_phases: int  # fewer phases recognised by heading: the outline was read poorly
    outline_max_unplaced: int  # more top chapters that are no phase nor 前言/结论: read poorly


class KeyContent(Strict):
    name: str
    phase: str
    aliases: Words
    required: bool = True  # False: only when an industry profile lists it in required_contents
    balance: bool = False  # without a table the section needs balance_min_chars of text
    patterns: Words = []  # regular expressions over titles, captions and table headers
    values: Words = []  # table cells that show it ("中/高费" in a 方案类别 column)
    related: Words = []  # weaker evidence: only these shown is a warning, not a missing error
    evidence: Words = []  # its defining terms, for the second reading of its absence

    @field_validator("patterns")
    @classmethod
    def _regexes(cls, patterns: Words) -> Words:
        return [_compiles(p) for p in patterns]


class SectionRules(Strict):
    phases: list[Phase]
    contents: list[KeyContent]
    second_reading: SecondReading


# --------------------------------------------------------------------------- team.yaml


class RoleWords(Strict):
    deputy: Words
    leader: Words
    member: Words

    def of(self, role: str) -> Words:
        return {"deputy": self.deputy, "leader": self.leader, "member": self.member}[role]

    def all(self) -> Words:
        return [*self.deputy, *self.leader, *self.member]


class RequiredRole(Strict):
    role: str
    keywords: Words
    groups: Words = []  # every member of a group so named covers the role (领导小组: 行政管理)
    # a member whose department is exactly one of these — the organisation itself (公司, 中心),
    # not one of its departments — is its management: 行政管理
    departments: Words = []


class TeamColumns(Strict):
    name: Words
    position: Words
    department: Words
    team_role: Words
    certificate: Words
    group: Words = []  # a column naming each member's group (领导小组 / 工作小组), often merged
    # the team_role column however worded (“在审核小组中的职务”): a header naming
    # the team (one of team_role_teams) and a post (one of team_role_posts)
    team_role_teams: Words = []
    team_role_posts: Words = []

    def role_column(self, header: list[str]) -> int | None:
        for i, cell in enumerate(map(compare_key, header)):
            if any(compare_key(t) in cell for t in self.team_role_teams) and any(
                    compare_key(p) in cell for p in self.team_role_posts):
                return i
        return None


class ConsultantWords(Strict):
    company_fields: Words
    preparer_fields: Words
    own_preparer_words: Words
    commission_words: Words
    service_words: Words
    opening_paragraphs: int


class TeamRules(Strict):
    groups: Words
    leader_titles: Words
    leader_titles_alone: Words = []  # the principal's title only when the post is just this
    deputy_marker: str
    subordinate_titles: Words
    role_words: RoleWords
    required_roles: list[RequiredRole]
    columns: TeamColumns
    team_captions: Words
    auditor_captions: Words
    team_headings: Words
    team_paragraph_words: Words
    consultant: ConsultantWords
    auditor_paragraph_words: Words
    position_suffixes: Words
    not_names: Words = []  # words a post may precede that are no person (总经理办公会)
    auditor_titles: Words


# --------------------------------------------------------------------------- indicators.yaml

IndicatorKind = Literal["energy", "water", "pollutant", "waste", "economic", "material", "other"]


class IndicatorColumns(Strict):
    label: Words
    unit: Words
    before: Words
    after: Words
    reduction: Words
    rate: Words
    baseline: Words
    target: Words
    target_skip: Words
    status: Words
    remark: Words
    comparison_captions: Words = []


class IndicatorEntry(Strict):
    name: str
    kind: IndicatorKind
    patterns: Words  # regular expressions, matched against the normalized label

    @field_validator("patterns")
    @classmethod
    def _regexes(cls, patterns: Words) -> Words:
        return [_compiles(p) for p in patterns]


class PlanField(Strict):
    name: str
    synonyms: Words


class PlanTable(Strict):
    captions: Words
    fields: list[PlanField]


class OptionWords(Strict):
    low_cost: Words
    high_cost: Words
    summary: Words
    investment: Words
    benefit: Words
    payback: Words
    class_columns: Words = []  # a column whose values class each option (方案类型 = 中/高费)
    threshold_words: Words
    threshold_pattern: str
    npv: Words = []  # economic-evaluation columns checked against each other (checkers/economics)
    irr: Words = []
    discount_pattern: str = "(?!)"  # the report's 基准折现率; the default matches nothing

    @field_validator("threshold_pattern", "discount_pattern")
    @classmethod
    def _regex(cls, pattern: str) -> str:
        return _with_numbers(pattern)


class TotalWords(Strict):
    words: Words
    subtotal_words: Words
    skip_columns: Words


class EconomicItem(Strict):
    name: str
    patterns: Words


class KeyFigure(Strict):
    name: str
    columns: Words
    exclude_columns: Words = []
    phrases: Words


class OptionCount(Strict):
    """How many options the summary says there are, against the option tables' rows."""
    name: str
    name_columns: Words  # the option's name column; its table needs an investment column too
    # a summary table's count column ("数量（项）"): how many options a class row stands for
    count_columns: Words = []
    pattern: str  # a stated count: the number in group "n" (digits or Chinese numerals)

    @field_validator("pattern")
    @classmethod
    def _regex(cls, pattern: str) -> str:
        return _compiles(pattern)


class KeyFigures(Strict):
    summary_headings: Words
    approximate_words: Words = []  # "约1700万元": a rounded figure, compared within tolerance_pct
    figures: list[KeyFigure]
    option_count: OptionCount


class ProseChangeWords(Strict):
    """The words of a change the text states (checkers/prose_changes.py): 由 A <to_words> B，
    <change_words><change_particles>? n; a claim <claim_adverbs>? <claim_verbs> 了? <claim_terms>?
    (清洁生产)? 目标; `lead_words` before an indicator's name say when, not what."""

    to_words: Words
    change_words: Words
    change_particles: Words = []
    claim_adverbs: Words = []
    claim_verbs: Words
    claim_terms: Words = []
    lead_words: Words = []


class CombustionWords(Strict):
    """Pollutants that only burning emits, and the words that show something burns: an
    industry's typical 氮氧化物 is asked for certain only of a plant that names a kiln, furnace
    or incinerator (`sources`); a fuel alone (`fuels`: diesel of its trucks) leaves it unsure."""
    indicators: Words
    sources: Words
    fuels: Words = []


class IndicatorRules(Strict):
    columns: IndicatorColumns
    combustion: CombustionWords | None = None
    done_words: Words
    increase_words: Words
    decrease_words: Words = []  # lower is better; a name with neither leaves the direction unknown
    intensity_prefixes: Words
    indicators: list[IndicatorEntry]
    plan_table: PlanTable
    options: OptionWords
    key_figures: KeyFigures
    prose_changes: ProseChangeWords
    totals: TotalWords
    economic: list[EconomicItem]
    unit_families: dict[str, dict[str, float]]  # family → unit → factor to the family's base

    @field_validator("unit_families")
    @classmethod
    def _money(cls, families: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        if "万元" not in families.get("money", {}):
            raise ValueError("the money family must list 万元 (investments are compared in 万元)")
        return families


# --------------------------------------------------------------------------- report.yaml


class IndustryWhere(Strict):
    cover_fields: Words
    overview_headings: Words


class InternalDocuments(Strict):
    suffixes: Words
    issuers: Words

    def covers(self, title: str) -> bool:
        """"用水管理制度": a company's own rule, not a policy document (no issuer named)."""
        return title.endswith(tuple(self.suffixes)) and not any(w in title for w in self.issuers)


class ReportRules(Strict):
    """How a report is read: its unnumbered headings, cover keys, where it states its industry,
    which 《》 titles are the company's own rules."""

    unnumbered_headings: Words
    cover_keys: Words
    internal_documents: InternalDocuments
    industry: IndustryWhere
    # what others wrote about the report (专家评审意见, 修改说明): no evidence of its contents
    review_headings: Words = []
