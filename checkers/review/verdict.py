"""The review verdict (通过 / 修改后通过 / 不通过), computed from findings by the rules in
verdict.yaml. Nothing a report says and nothing an LLM writes reaches this function."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from checkers.review.errors import ReviewError
from checkers.review.models import Verdict
from checkers.rules import CATEGORIES, SEVERITIES

VERDICT_FILE = Path(__file__).resolve().parent / "verdict.yaml"
_PLURAL = {"errors": "error", "warnings": "warning", "infos": "info"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VerdictRule(Strict):
    verdict: Verdict
    when: dict[str, int | list[str]] = {}
    reason: str = ""


class VerdictTable(Strict):
    default: str
    select: dict[str, str] = {}
    profiles: dict[str, list[VerdictRule]]


@lru_cache(maxsize=4)
def load_table(path: Path = VERDICT_FILE) -> VerdictTable:
    try:
        table = VerdictTable(**yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError, TypeError) as exc:
        raise ReviewError(f"评审结论规则文件有误：{path}（{exc}）",
                          f"Invalid verdict rules {path}: {exc}",
                          hint_zh="请检查 verdict.yaml。", hint_en="Check verdict.yaml.") from exc
    for profile in table.profiles.values():
        for rule in profile:
            _validate(rule)
    if table.default not in table.profiles:
        raise ReviewError(f"评审结论规则缺少默认配置 {table.default}",
                          f"Verdict rules lack the default profile {table.default}")
    return table


def _validate(rule: VerdictRule) -> None:
    for key, value in rule.when.items():
        kind, _, category = key.partition(".")
        ok = (key == "any_rule" and isinstance(value, list)) or (
            kind in _PLURAL and isinstance(value, int) and (not category or category in CATEGORIES))
        if not ok:
            raise ReviewError(f"评审结论规则的条件无效：{key}: {value}",
                              f"Invalid verdict condition {key}: {value}",
                              hint_zh="可用条件：any_rule、errors、warnings、infos、errors.<类别>。",
                              hint_en="Use any_rule, errors, warnings, infos or errors.<category>.")


def choose_profile(check_profiles: Iterable[str], explicit: str | None = None) -> str:
    table = load_table()
    if explicit:
        if explicit not in table.profiles:
            known = "、".join(table.profiles)
            raise ReviewError(f"未知的评审结论配置：{explicit}（可用：{known}）",
                              f"Unknown verdict profile {explicit} (known: {', '.join(table.profiles)})",
                              hint_zh="请用 --verdict-profile 指定已有配置。",
                              hint_en="Pass an existing --verdict-profile.")
        return explicit
    for name in check_profiles:
        if name in table.select:
            return table.select[name]
    return table.default


def decide(findings: Iterable[tuple[str, str, str]], profile: str) -> tuple[Verdict, str]:
    """findings: (rule_id, category, severity) of every finding the review keeps."""
    findings = list(findings)
    counts = {(s, c): 0 for s in SEVERITIES for c in ("", *CATEGORIES)}
    for _, category, severity in findings:
        counts[(severity, "")] += 1
        counts[(severity, category)] += 1
    rule_ids = {r for r, _, _ in findings}
    for rule in load_table().profiles[profile]:
        if all(_holds(key, value, counts, rule_ids) for key, value in rule.when.items()):
            return rule.verdict, rule.reason
    return "通过", ""


def _holds(key: str, value, counts: dict, rule_ids: set[str]) -> bool:
    if key == "any_rule":
        return bool(rule_ids & set(value))
    kind, _, category = key.partition(".")
    return counts[(_PLURAL[kind], category)] >= value
