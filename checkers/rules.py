"""Rule packs: the rules, synonyms, role tables, thresholds and profiles, as data.

Everything a reviewer might want to change without touching code lives in checkers/rules/
(YAML or TOML): base.yaml (rules, thresholds, verdict), sections.yaml, team.yaml,
indicators.yaml, report.yaml (how a report is read) and profiles/*.yaml — industry profiles
(required indicators, extra key contents) and region profiles — each of which can override a
rule's severity or switch it off, change thresholds, and add requirements.

A profile is loaded only by a name listed in profiles/; a broken rule file is the operator's
problem (RuleFileError, HTTP 500) and its message names the file, the key path and its line,
never its values. Every file is read into a pydantic model that forbids unknown keys
(checkers/rule_models.py), so a misspelt key fails at load, not in the middle of a check.
"""

from __future__ import annotations

import os
from functools import lru_cache, partial
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, Field, field_validator

from assistant import datafile
from assistant.datafile import Broken
from assistant.errors import CpauditError
from assistant.models import Strict
from checkers.rule_models import (
    IndicatorRules,
    ReportRules,
    SectionRules,
    TeamRules,
    ThresholdChanges,
    Thresholds,
)

RULES_DIR = Path(__file__).resolve().parent / "rules"
Category = Literal["section", "team", "indicator", "consistency", "citation", "format"]
Severity = Literal["error", "warning", "info"]
CATEGORIES: tuple[str, ...] = ("section", "team", "indicator", "consistency", "citation", "format")
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
# verdict conditions count findings by these keys: "errors", "warnings.team" …
COUNT_KEYS = {"errors": "error", "warnings": "warning", "infos": "info"}
_SUFFIXES = (".yaml", ".yml", ".toml")
M = TypeVar("M", bound=BaseModel)


class RuleError(CpauditError):
    """The user asked for something the rule pack does not have (an unknown profile)."""

    code = "rule_error"


class RuleFileError(RuleError):
    """A rule file on the server is broken: the operator's fault, not the user's, so the API
    answers 500 (`internal_error`). The message names the file and the fields, never values."""

    code = "internal_error"


class BasisRef(Strict):
    """Where a rule comes from: a corpus passage (resolved to its text through the index) or a
    named national source the corpus does not hold."""

    doc_id: str | None = None
    article: str | None = None  # "第二十七条"
    section: str | None = None  # a label of the section path: "（三）落实企业清洁生产工作责任制"
    quote_contains: list[str] = []  # quote the sentences that contain these words
    source: str | None = None


class Rule(Strict):
    id: str
    category: Category
    severity: Severity
    message: str  # str.format template: {subject} and the check's own fields
    basis: BasisRef
    enabled: bool = True
    description: str = ""


class Override(Strict):
    severity: Severity | None = None
    enabled: bool | None = None
    message: str | None = None


class VerdictRule(Strict):
    """A verdict and the conditions that must all hold for it; the first rule of a list that
    holds wins (see `checkers.findings.verdict`). A rule without conditions always holds.

        any_rule: [RULE-ID, …]     at least one finding of one of these rules
        any_error: [RULE-ID, …]    at least one error (not a warning) of one of these rules
        errors / warnings / infos: N          at least N findings of that severity
        errors.<category> (warnings.…): N     … of that severity and category
    """

    verdict: str
    when: dict[str, int | list[str]] = {}
    reason: str = ""

    @field_validator("when")
    @classmethod
    def _known_conditions(cls, when: dict[str, int | list[str]]) -> dict[str, int | list[str]]:
        for key, value in when.items():
            kind, _, category = key.partition(".")
            if key in ("any_rule", "any_error") and isinstance(value, list):
                continue
            if kind in COUNT_KEYS and isinstance(value, int) and (not category or category in CATEGORIES):
                continue
            raise ValueError(f"unknown condition '{key}': use any_rule, any_error, errors, warnings, infos or "
                             "errors.<category>")
        return when


class Profile(Strict):
    name: str
    kind: Literal["industry", "region"]
    title: str
    detect: list[str] = []  # industry keywords looked for on the cover / in 企业概况
    # the report naming its own kind of audit ("按照福建省服务业清洁生产审核的要求"): as certain
    # as the cover's 行业 field, so one mention in the title, first chapter or 概况 decides
    declared: list[str] = []
    # GB/T 4754 sections (门类 letters) whose codes name this profile: "通用仓储（G5920）" is G
    detect_sections: list[str] = []
    required_indicators: list[str] = []
    required_contents: list[str] = []
    # key contents this kind of enterprise does not have (a hotel has no 物料平衡)
    skip_contents: list[str] = []
    skip_roles: list[str] = []  # team functions this kind of enterprise does not have
    # key contents this kind of enterprise balances another way (food processing balances
    # water, not always material): their absence is a warning that says so, never an error
    unsure_contents: list[str] = []
    thresholds: ThresholdChanges = ThresholdChanges()
    overrides: dict[str, Override] = {}


class BaseFile(Strict):
    """base.yaml: the rules, thresholds and verdict table; `_sources` holds YAML anchors."""

    thresholds: Thresholds
    verdict: list[VerdictRule]
    rules: list[Rule]
    sources: dict[str, str] = Field({}, alias="_sources")


class Pack(Strict):
    rules: list[Rule]
    thresholds: Thresholds
    verdict: list[VerdictRule]
    sections: SectionRules
    team: TeamRules
    indicators: IndicatorRules
    report: ReportRules  # how a report is read: unnumbered headings, cover fields, industry


class Config(Strict):
    """The base pack with the chosen industry and region profiles applied."""

    rules: dict[str, Rule]
    thresholds: Thresholds
    verdict: list[VerdictRule]
    sections: SectionRules
    team: TeamRules
    indicators: IndicatorRules
    industry: Profile
    profiles: list[Profile] = []
    required_indicators: list[str]
    required_contents: list[str]
    skip_contents: list[str] = []
    skip_roles: list[str] = []
    # Why the industry was chosen when it was inferred from the report's title or overview (not
    # given with --industry, nor stated in the cover's 行业 field): its own requirements are then
    # warnings ("" when the industry is known).
    industry_guess: str = ""


def _dir(directory: Path | None) -> Path:
    return RULES_DIR if directory is None else directory  # read at call time: tests point it away


def _label(path: Path) -> str:
    """The file as the operator knows it: "team.yaml", "profiles/sichuan.yaml"."""
    return "/".join(path.parts[-2:]) if path.parent.name == "profiles" else path.name


def _broken(path: Path, zh: str, en: str) -> RuleFileError:
    """The parser's own words (which quote the file) stay on the chained cause, for logs."""
    return RuleFileError(f"规则文件 {_label(path)} 有误：{zh}。", f"Rule file {_label(path)} is broken: {en}.",
                         hint_zh="请管理员修正该文件（checkers/rules/）。",
                         hint_en="The operator must fix it (checkers/rules/).")


def read_rule_file(path: Path) -> dict:
    """A YAML or TOML rule file as a mapping; a broken file is a RuleFileError naming the file
    and the line, never echoing its contents."""
    return datafile.read_mapping(path, partial(_broken, path))[0]


def load_rule_file(path: Path, model: type[M], broken: Broken | None = None) -> M:
    """A rule file as `model`: a wrong or misspelt key is a RuleFileError naming the file, the
    key path and its line (`broken` words the error; default: a file of checkers/rules/)."""
    return datafile.load(path, model, broken or partial(_broken, path))


def _find(directory: Path, stem: str) -> Path:
    for suffix in _SUFFIXES:
        if (directory / f"{stem}{suffix}").is_file():
            return directory / f"{stem}{suffix}"
    raise RuleFileError(f"缺少规则文件 {stem}.yaml", f"Rule file {stem}.yaml is missing",
                        hint_zh="请确认 checkers/rules/ 完整。", hint_en="Check checkers/rules/.")


def _stamp(directory: Path) -> tuple:
    """Changes when any rule file changes, so an edited pack is reloaded (no restart). One
    directory scan and one stat per file: a check asks for it a few dozen times."""
    entries = []
    for folder in (directory, directory / "profiles"):
        try:
            with os.scandir(folder) as scan:
                entries += [(e.name, e.stat()) for e in scan
                            if "." in e.name and not e.name.startswith(".")]
        except FileNotFoundError:
            continue
    return tuple(sorted((name, st.st_mtime_ns, st.st_size) for name, st in entries))


def load_pack(directory: Path | None = None) -> Pack:
    directory = _dir(directory)
    return _load_pack(directory, _stamp(directory))


@lru_cache(maxsize=8)
def _load_pack(directory: Path, stamp: tuple) -> Pack:
    base = load_rule_file(_find(directory, "base"), BaseFile)
    return Pack(rules=base.rules, thresholds=base.thresholds, verdict=base.verdict,
                sections=load_rule_file(_find(directory, "sections"), SectionRules),
                team=load_rule_file(_find(directory, "team"), TeamRules),
                indicators=load_rule_file(_find(directory, "indicators"), IndicatorRules),
                report=load_rule_file(_find(directory, "report"), ReportRules))


def _profile_files(directory: Path) -> dict[str, Path]:
    """name → file of every profile in rules/profiles/: the only names ever loaded."""
    profiles = directory / "profiles"
    if not profiles.is_dir():
        return {}
    return {p.stem: p for p in sorted(profiles.iterdir()) if p.suffix in _SUFFIXES and p.is_file()}


def profile_names(directory: Path | None = None) -> dict[str, str]:
    """name → kind ("industry" / "region") of every profile shipped in rules/profiles/."""
    directory = _dir(directory)
    stamp = _stamp(directory)
    return {name: _load_profile(path, stamp).kind
            for name, path in _profile_files(directory).items()}


def unknown_profile(name: str, known: list[str], option: str = "--profile") -> RuleError:
    return RuleError(f"未知的配置：{name}", f"Unknown profile: {name}",
                     hint_zh=f"可选：{'、'.join(known)}（用 {option} 指定）。",
                     hint_en=f"Choose one of {', '.join(known)} ({option}).")


def load_profile(name: str, directory: Path | None = None) -> Profile:
    """The profile called `name`; a name that is not a file in rules/profiles/ is refused before
    any path is built from it."""
    directory = _dir(directory)
    files = _profile_files(directory)
    if name not in files:
        raise unknown_profile(name, list(files))
    return _load_profile(files[name], _stamp(directory))


@lru_cache(maxsize=64)
def _load_profile(path: Path, stamp: tuple) -> Profile:
    return load_rule_file(path, Profile)


def build_config(industry: str, profiles: tuple[str, ...] = (),
                 directory: Path | None = None) -> Config:
    directory = _dir(directory)
    pack = load_pack(directory)
    chosen = load_profile(industry, directory)
    extra = [load_profile(p, directory) for p in profiles]
    rules = {r.id: r for r in pack.rules}
    thresholds = pack.thresholds
    required_indicators = list(chosen.required_indicators)
    required_contents = list(chosen.required_contents)
    for profile in [chosen, *extra]:
        thresholds = thresholds.model_copy(update=profile.thresholds.model_dump(exclude_none=True))
        for rule_id, override in profile.overrides.items():
            if rule_id not in rules:
                raise RuleFileError(f"配置 {profile.name} 覆盖了不存在的规则 {rule_id}",
                                f"Profile {profile.name} overrides unknown rule {rule_id}")
            changes = override.model_dump(exclude_none=True)
            rules[rule_id] = rules[rule_id].model_copy(update=changes)
        if profile is not chosen:
            required_indicators += [i for i in profile.required_indicators
                                    if i not in required_indicators]
            required_contents += [c for c in profile.required_contents
                                  if c not in required_contents]
    return Config(
        rules=rules, thresholds=thresholds, verdict=pack.verdict, sections=pack.sections,
        team=pack.team, indicators=pack.indicators, industry=chosen, profiles=extra,
        required_indicators=required_indicators, required_contents=required_contents,
        skip_contents=list(chosen.skip_contents), skip_roles=list(chosen.skip_roles),
    )
