"""The review verdict (通过 / 修改后通过 / 不通过), computed from findings by the rules in
verdict.yaml through the checkers' one verdict evaluator (`checkers.findings.verdict`).
Nothing a report says and nothing an LLM writes reaches this function."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from assistant.models import Strict
from checkers.findings import verdict
from checkers.review.errors import ReviewError, broken_review_file
from checkers.review.models import VERDICTS, Verdict
from checkers.rules import VerdictRule, load_rule_file

VERDICT_FILE = Path(__file__).resolve().parent / "verdict.yaml"


class VerdictTable(Strict):
    default: str
    select: dict[str, str] = {}
    profiles: dict[str, list[VerdictRule]]


_broken = broken_review_file("评审结论规则文件", "verdict rules", "verdict.yaml")


@lru_cache(maxsize=4)
def load_table(path: Path = VERDICT_FILE) -> VerdictTable:
    table = load_rule_file(path, VerdictTable, _broken)
    for name, rules in table.profiles.items():
        if any(rule.verdict not in VERDICTS for rule in rules):
            raise _broken(f"配置 {name} 的结论只能是 {'、'.join(VERDICTS)}",
                          f"profile {name} may only give {', '.join(VERDICTS)}")
    if table.default not in table.profiles or not set(table.select.values()) <= set(table.profiles):
        raise _broken("default 或 select 指向不存在的配置", "default or select names a missing profile")
    return table


def _unknown(name: str, known: Iterable[str]) -> ReviewError:
    known = list(known)
    return ReviewError(f"未知的评审结论配置：{name}（可用：{'、'.join(known)}）",
                       f"Unknown verdict profile {name} (known: {', '.join(known)})",
                       hint_zh="请用 --verdict-profile 指定已有配置，或把评审意见 JSON 的 "
                               "verdict_profile 改为其中之一。",
                       hint_en="Pass an existing --verdict-profile, or set verdict_profile in the "
                               "review JSON to one of them.")


def choose_profile(check_profiles: Iterable[str], explicit: str | None = None) -> str:
    table = load_table()
    if explicit:
        if explicit not in table.profiles:
            raise _unknown(explicit, table.profiles)
        return explicit
    for name in check_profiles:
        if name in table.select:
            return table.select[name]
    return table.default


def decide(findings: Iterable[tuple[str, str, str]], profile: str) -> tuple[Verdict, str]:
    """findings: (rule_id, category, severity) of every finding the review keeps. `profile`
    may come from an edited review JSON: an unknown one is the reviewer's error."""
    table = load_table()
    if profile not in table.profiles:
        raise _unknown(profile, table.profiles)
    return verdict(findings, table.profiles[profile], default="通过")  # type: ignore[return-value]
