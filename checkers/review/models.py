"""The review (评审意见) as data: what `cpaudit review --json` writes and `--from` reads back.

A reviewer edits the JSON: sets an issue's `status` to "rejected" to drop it, or rewrites its
`text` / `suggestion` (status "edited"); the draft, Markdown and DOCX are regenerated from it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from assistant.models import Citation, Strict
from checkers.rules import Category, Severity

Verdict = Literal["通过", "修改后通过", "不通过"]
VERDICTS: tuple[str, ...] = ("通过", "修改后通过", "不通过")
Status = Literal["accepted", "rejected", "edited"]
Drafter = Literal["template", "llm", "llm-fallback"]


class FindingRef(Strict):
    """A checker finding as the review refers to it: a stable id (F1, F2 …) in check order."""

    id: str
    rule_id: str
    category: Category
    severity: Severity
    subject: str
    message: str
    where: str  # page / heading path / table, for people
    citation: int | None = None


class ReviewIssue(Strict):
    id: str  # I1, I2 …
    finding_ids: list[str]
    category: Category
    severity: Severity
    text: str  # 主要问题, without [n] markers (they come from `citations`)
    suggestion: str = ""  # 修改意见 for this issue
    citations: list[int] = []
    status: Status = "accepted"


class Review(Strict):
    report: str  # file name
    title: str | None = None
    industry: str = ""
    verdict: Verdict
    verdict_reason: str
    computed_verdict: Verdict  # what the rules give; a reviewer who changes `verdict` overrides
    verdict_profile: str  # a profile of verdict.yaml; an unknown one is refused on regenerating
    overall: str  # 总体评价
    issues: list[ReviewIssue]
    suggestions: list[str]  # 修改意见, from the issues that are not rejected
    conclusion: str  # 结论建议
    citations: list[Citation]  # [n]: a finding's policy basis, quoted from the corpus
    findings: list[FindingRef]
    drafter: Drafter = "template"
    notes: list[str] = []
    # hashes of the texts as drafted: a text that no longer matches was edited by the reviewer
    fingerprints: dict[str, str] = {}
    draft: str = Field("", description="the whole draft as plain text")

    def kept(self) -> list[ReviewIssue]:
        return [i for i in self.issues if i.status != "rejected"]
