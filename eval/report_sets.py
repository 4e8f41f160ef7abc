"""The labelled report sets (eval/data/reports/{dev,test,test8,test9,test10}): planted defects found and false
errors, per set and per format, as a reviewer would count them.

Each set holds generated DOCX and PDF reports (some also as Markdown, NAME.md, or GB18030 plain
text, NAME.txt — each format is scored on its own) and labels.yaml: per report its industry, sector,
whether it is complete, and its planted defects `{rule_id, category, severity, subject, …}`.
A finding matches a planted defect when the categories agree and one subject contains the other
(compared folded and whitespace-free), or when the rule ids agree and the subjects match; each
is matched at most once; the label a finding's message quotes counts as its subject too.
Every error-level finding that matches no planted defect is a false
error — the figure that hurts users most, so it comes first.

`dev` is the half the checkers are tuned on; `test`, `test8`, `test9` and `test10` were
written and frozen before tuning and are only ever run, never read, while tuning (FROZEN_SETS:
their per-report misses are withheld by `cpaudit eval-reports`). `test2` … `test7` were frozen too
until 2026-12-03, then retired into dev whole (eval/data/reports/dev/README.md says why).

Formats: DOCX and PDF for every report; some reports are also rendered as Markdown (`.md`) or
GB18030 text (`.txt`), each scored as its own format.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import Field

from assistant.datafile import parse_yaml
from assistant.models import Strict
from assistant.textfold import squash
from eval.checker_eval import subjects_match

SETS_DIR = Path(__file__).resolve().parent / "data" / "reports"
FORMATS = ("docx", "pdf", "md", "txt")
FROZEN_SETS = frozenset({"test", "test8", "test9", "test10"})


class PlantedDefect(Strict):
    rule_id: str
    category: str
    severity: str
    subject: str
    where: str = ""
    note: str = ""


class ReportLabel(Strict):
    industry: str
    sector: str
    complete: bool
    defects: list[PlantedDefect] = []
    traps: list[str] = []


class ReportOutcome(Strict):
    report: str
    format: str
    complete: bool
    verdict: str
    planted: int
    found: int
    false_errors: list[str] = []  # "rule_id subject: message"
    false_warnings: int = 0
    missed: list[str] = []  # "rule_id subject"


class FormatScore(Strict):
    format: str
    reports: int
    complete: int
    planted: int
    found: int
    recall: float | None
    false_errors_complete: int
    false_errors_per_complete: float | None
    false_errors_per_defective: float | None
    # every warning on a complete report is a question the reviewer need not have asked: the
    # cost of a checker that is unsure, counted beside the false errors
    false_warnings_per_complete: float | None = None
    complete_verdicts: dict[str, int] = Field(default_factory=dict)


class SetEval(Strict):
    name: str
    status: str  # ok | unavailable
    note: str = ""
    scores: list[FormatScore] = []
    outcomes: list[ReportOutcome] = []


def load_labels(set_dir: Path) -> dict[str, ReportLabel]:
    data = parse_yaml((set_dir / "labels.yaml").read_text("utf-8")) or {}
    return {name: ReportLabel(**entry) for name, entry in data.items()}


def _matches(defect: PlantedDefect, finding) -> bool:
    """Same category (or rule) and the same thing: the finding's subject, or the label its
    message quotes ("“单位产品取水量”缺少审核前数值" is about 单位产品取水量 whatever its
    canonical name)."""
    if finding.category != defect.category and finding.rule_id != defect.rule_id:
        return False
    return subjects_match(defect.subject, finding.subject) or \
        squash(defect.subject) in squash(getattr(finding, "message", "") or "")


def outcome(name: str, fmt: str, label: ReportLabel, result) -> ReportOutcome:
    findings = list(result.findings)
    used: set[int] = set()
    missed = []
    for defect in label.defects:
        j = next((j for j, f in enumerate(findings) if j not in used and _matches(defect, f)),
                 None)
        if j is None:
            missed.append(f"{defect.rule_id} {defect.subject}")
        else:
            used.add(j)
    extra = [f for j, f in enumerate(findings) if j not in used]
    return ReportOutcome(
        report=name, format=fmt, complete=label.complete, verdict=result.verdict,
        planted=len(label.defects), found=len(label.defects) - len(missed),
        false_errors=[f"{f.rule_id} {f.subject}: {f.message}" for f in extra
                      if f.severity == "error"],
        false_warnings=sum(1 for f in extra if f.severity == "warning"), missed=missed)


def _score(fmt: str, outcomes: list[ReportOutcome]) -> FormatScore:
    complete = [o for o in outcomes if o.complete]
    defective = [o for o in outcomes if not o.complete]
    planted = sum(o.planted for o in outcomes)
    found = sum(o.found for o in outcomes)
    verdicts: dict[str, int] = {}
    for o in complete:
        verdicts[o.verdict] = verdicts.get(o.verdict, 0) + 1
    errors_complete = sum(len(o.false_errors) for o in complete)
    return FormatScore(
        format=fmt, reports=len(outcomes), complete=len(complete), planted=planted, found=found,
        recall=found / planted if planted else None, false_errors_complete=errors_complete,
        false_errors_per_complete=errors_complete / len(complete) if complete else None,
        false_errors_per_defective=(sum(len(o.false_errors) for o in defective) / len(defective)
                                    if defective else None),
        false_warnings_per_complete=(sum(o.false_warnings for o in complete) / len(complete)
                                     if complete else None),
        complete_verdicts=verdicts)


def evaluate_set(name: str, sets_dir: Path = SETS_DIR, check: Callable | None = None,
                 exclude: frozenset[str] = frozenset()) -> SetEval:
    """`exclude`: report stems left out (reports written after the checkers were last tuned)."""
    set_dir = sets_dir / name
    # the set as its folder is named: "test8/" or "--dir …/test8 --set ." is still test8 (a
    # frozen set's per-report outcomes are withheld by its name)
    name = set_dir.resolve().name or name
    if not (set_dir / "labels.yaml").is_file():
        return SetEval(name=name, status="unavailable", note=f"no labels at {set_dir}/labels.yaml")
    if check is None:
        from checkers import check_report as check
    labels = {n: label for n, label in load_labels(set_dir).items() if n not in exclude}
    outcomes: list[ReportOutcome] = []
    for report, label in labels.items():
        for fmt in FORMATS:
            path = set_dir / "generated" / f"{report}.{fmt}"
            if path.is_file():
                outcomes.append(outcome(report, fmt, label, check(path)))
    scores = [_score(fmt, [o for o in outcomes if o.format == fmt]) for fmt in FORMATS
              if any(o.format == fmt for o in outcomes)]
    return SetEval(name=name, status="ok", scores=scores, outcomes=outcomes,
                   note=f"{len(labels)} reports")
