"""The sentences of the deterministic review draft (templates.yaml), as typed models.

A misspelt key in templates.yaml is a RuleFileError at load naming the file, the key path and
its line; templates.yaml's own comments say what each variable means.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator

from assistant.models import Strict
from checkers.review.errors import broken_review_file
from checkers.review.models import Verdict
from checkers.rules import Category, load_rule_file

TEMPLATE_FILE = Path(__file__).resolve().parent / "templates.yaml"


class Group(Strict):
    """Findings of these rules make one numbered issue (主要问题), led by `lead`."""

    id: str
    rules: list[str]
    lead: str


class Suggestion(Strict):
    """Suggestions of an issue with the same verb are merged: 核实并更正A、B和C."""

    verb: str
    object: str


class RuleTemplate(Strict):
    sentence: list[str] = Field(min_length=1)  # alternatives: the first whose variables are set
    suggestion: str | Suggestion
    cite: bool = True  # False: the rule's basis is not cited as a policy passage


class Counts(Strict):
    error: str
    warning: str
    info: str


class VerdictTexts(Strict):
    通过: str
    修改后通过: str
    不通过: str

    def of(self, verdict: Verdict | str) -> str:
        return getattr(self, verdict)


class Overall(Strict):
    """总体评价: {report} the report's title, {industry_part} "（陶瓷行业）" or ""."""

    intro: str
    found: str
    counts: Counts
    none: str
    verdict: VerdictTexts


class Conclusion(VerdictTexts):
    """结论建议; `通过_with_issues`: passed, yet some issues are worth improving."""

    通过_with_issues: str


class Templates(Strict):
    groups: list[Group]
    category_leads: dict[Category, str]
    category_names: dict[Category, str]
    rules: dict[str, RuleTemplate]
    default_rule: RuleTemplate
    overall: Overall
    conclusion: Conclusion
    llm_guard: list[str] = []  # regular expressions: LLM texts matching one are not used

    @field_validator("llm_guard")
    @classmethod
    def _regexes(cls, patterns: list[str]) -> list[str]:
        for n, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"llm_guard[{n}] is not a valid regular expression") from exc
        return patterns

    def rule(self, rule_id: str) -> RuleTemplate:
        return self.rules.get(rule_id, self.default_rule)


_broken = broken_review_file("评审意见模板", "review templates", "templates.yaml")


@lru_cache(maxsize=2)
def templates(path: Path = TEMPLATE_FILE) -> Templates:
    return load_rule_file(path, Templates, _broken)
