"""Rule packs: the rules, synonyms, role tables, thresholds and profiles, as data.

Everything a reviewer might want to change without touching code lives in checkers/rules/
(YAML or TOML): base.yaml (rules, thresholds, verdict), sections.yaml, team.yaml,
indicators.yaml, and profiles/*.yaml — industry profiles (required indicators, extra key
contents) and region profiles — each of which can override a rule's severity or switch it off,
change thresholds, and add requirements.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.errors import CpauditError

RULES_DIR = Path(__file__).resolve().parent / "rules"
Category = Literal["section", "team", "indicator", "consistency", "citation", "format"]
Severity = Literal["error", "warning", "info"]
CATEGORIES: tuple[str, ...] = ("section", "team", "indicator", "consistency", "citation", "format")
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


class RuleError(CpauditError):
    code = "rule_error"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
    verdict: str  # 可提交 / 修改后提交 / 需重大修改
    when: dict[str, int] = {}  # "errors" / "warnings" / "errors.section" … → minimum count
    reason: str = ""


class Profile(Strict):
    name: str
    kind: Literal["industry", "region"]
    title: str
    detect: list[str] = []  # industry keywords looked for on the cover / in 企业概况
    required_indicators: list[str] = []
    required_contents: list[str] = []
    thresholds: dict[str, float] = {}
    overrides: dict[str, Override] = {}


class Pack(Strict):
    rules: list[Rule]
    thresholds: dict[str, float]
    verdict: list[VerdictRule]
    sections: dict
    team: dict
    indicators: dict


class Config(Strict):
    """The base pack with the chosen industry and region profiles applied."""

    rules: dict[str, Rule]
    thresholds: dict[str, float]
    verdict: list[VerdictRule]
    sections: dict
    team: dict
    indicators: dict
    industry: Profile
    profiles: list[Profile] = []
    required_indicators: list[str]
    required_contents: list[str]


def _read(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
        return tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except (OSError, yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"规则文件无法读取：{path}（{exc}）", f"Cannot read rule file {path}: {exc}",
                        hint_zh="请检查 YAML/TOML 语法。", hint_en="Check the YAML/TOML syntax.") from exc


def _find(directory: Path, stem: str) -> Path:
    for suffix in (".yaml", ".yml", ".toml"):
        if (directory / f"{stem}{suffix}").is_file():
            return directory / f"{stem}{suffix}"
    raise RuleError(f"找不到规则文件：{directory / stem}", f"Rule file not found: {directory / stem}",
                    hint_zh="请确认 checkers/rules/ 完整。", hint_en="Check checkers/rules/.")


def _stamp(directory: Path) -> tuple:
    """Changes when any rule file changes, so an edited pack is reloaded (no restart)."""
    files = [*directory.glob("*.*"), *directory.glob("profiles/*.*")]
    return tuple(sorted((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files))


def load_pack(directory: Path = RULES_DIR) -> Pack:
    return _load_pack(directory, _stamp(directory))


def load_profile(name: str, directory: Path = RULES_DIR) -> Profile:
    return _load_profile(name, directory, _stamp(directory))


@lru_cache(maxsize=8)
def _load_pack(directory: Path, stamp: tuple) -> Pack:
    base = _read(_find(directory, "base"))
    try:
        return Pack(
            rules=base["rules"], thresholds=base.get("thresholds", {}),
            verdict=base.get("verdict", []), sections=_read(_find(directory, "sections")),
            team=_read(_find(directory, "team")), indicators=_read(_find(directory, "indicators")),
        )
    except (ValidationError, KeyError, TypeError) as exc:
        raise RuleError(f"规则包格式错误：{exc}", f"Invalid rule pack: {exc}") from exc


def profile_names(directory: Path = RULES_DIR) -> dict[str, str]:
    """name → kind of every profile shipped in rules/profiles/."""
    out = {}
    for path in sorted((directory / "profiles").iterdir()):
        if path.suffix in (".yaml", ".yml", ".toml"):
            out[path.stem] = load_profile(path.stem, directory).kind
    return out


@lru_cache(maxsize=64)
def _load_profile(name: str, directory: Path, stamp: tuple) -> Profile:
    profiles = directory / "profiles"
    if not any((profiles / f"{name}{s}").is_file() for s in (".yaml", ".yml", ".toml")):
        known = ", ".join(sorted(p.stem for p in profiles.iterdir())) if profiles.is_dir() else ""
        raise RuleError(f"未知的配置：{name}（可用：{known}）", f"Unknown profile: {name} (known: {known})",
                        hint_zh="请用 --profile 指定已有配置。", hint_en="Pass an existing --profile.")
    try:
        return Profile(**_read(_find(profiles, name)))
    except (ValidationError, TypeError) as exc:
        raise RuleError(f"配置 {name} 格式错误：{exc}", f"Invalid profile {name}: {exc}") from exc


def build_config(industry: str, profiles: tuple[str, ...] = (),
                 directory: Path = RULES_DIR) -> Config:
    pack = load_pack(directory)
    chosen = load_profile(industry, directory)
    extra = [load_profile(p, directory) for p in profiles]
    rules = {r.id: r for r in pack.rules}
    thresholds = dict(pack.thresholds)
    required_indicators = list(chosen.required_indicators)
    required_contents = list(chosen.required_contents)
    for profile in [chosen, *extra]:
        thresholds.update(profile.thresholds)
        for rule_id, override in profile.overrides.items():
            if rule_id not in rules:
                raise RuleError(f"配置 {profile.name} 覆盖了不存在的规则 {rule_id}",
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
    )
