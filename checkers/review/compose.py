"""Assemble a review: verdict from the kept findings, 总体评价, 修改意见, 结论建议, the draft.

Run after drafting and again after a reviewer edited the JSON (`regenerate`). Texts a reviewer
changed (their hash no longer matches the fingerprint taken when they were drafted) are kept;
the others are rewritten from the templates when the kept issues or the verdict changed.
"""

from __future__ import annotations

import hashlib

from checkers.review.models import Review
from checkers.review.templates import templates
from checkers.review.verdict import decide
from checkers.rules import CATEGORIES, SEVERITIES


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _issue_key(issue) -> str:
    return f"{issue.text}\n{issue.suggestion}"


def finalize(review: Review, *, fresh: bool) -> Review:
    """`fresh`: just drafted (every text is ours); else a reviewer may have edited it."""
    from checkers.review.render import draft_text

    review = review.model_copy(deep=True)
    prints = review.fingerprints
    known = {f.id for f in review.findings}
    for issue in review.issues:
        issue.finding_ids = [fid for fid in issue.finding_ids if fid in known]
        if not fresh and issue.status == "accepted" and issue.id in prints \
                and prints[issue.id] != fingerprint(_issue_key(issue)):
            issue.status = "edited"
    by_id = {f.id: f for f in review.findings}
    kept = [by_id[fid] for issue in review.kept() for fid in issue.finding_ids]
    verdict, reason = decide([(f.rule_id, f.category, f.severity) for f in kept],
                             review.verdict_profile)
    overridden = not fresh and review.verdict != review.computed_verdict
    if overridden:
        review.notes.append(f"结论由评审人改为“{review.verdict}”（按规则应为“{verdict}”）。")
    else:
        review.verdict, review.verdict_reason = verdict, reason
    review.computed_verdict = verdict
    state = fingerprint(review.verdict + "|" + ",".join(i.id for i in review.kept()))
    changed = prints.get("state") != state  # issues rejected or restored, verdict changed
    if _untouched(review.overall, prints.get("overall"), fresh, changed):
        review.overall = overall_text(review, kept)
    if _untouched(review.conclusion, prints.get("conclusion"), fresh, changed):
        review.conclusion = conclusion_text(review)
    review.suggestions = list(dict.fromkeys(
        i.suggestion.strip() for i in review.kept() if i.suggestion.strip()))
    review.fingerprints = {
        "state": state,
        "overall": fingerprint(review.overall), "conclusion": fingerprint(review.conclusion),
        **{i.id: fingerprint(_issue_key(i)) for i in review.issues},
    }
    review.draft = draft_text(review)
    return review


def _untouched(text: str, print_: str | None, fresh: bool, changed: bool) -> bool:
    """Whether to (re)write a text from the templates."""
    if fresh or not text:
        return not text  # the LLM drafter may have worded it already
    reviewer_wrote_it = print_ is not None and print_ != fingerprint(text)
    return changed and not reviewer_wrote_it


def overall_text(review: Review, kept) -> str:
    t = templates().overall
    industry = review.industry
    part = f"（{industry}行业）" if industry and industry != "通用" else ""
    text = t.intro.format(report=review.title or review.report, industry_part=part)
    issues = review.kept()
    if not issues:
        text += t.none
    else:
        names = templates().category_names
        categories = [c for c in CATEGORIES if any(i.category == c for i in issues)]
        counts = [getattr(t.counts, s).format(n=n) for s in SEVERITIES
                  if (n := sum(1 for f in kept if f.severity == s))]
        text += t.found.format(issues=len(issues),
                                  categories="、".join(names.get(c, c) for c in categories),
                                  counts="、".join(counts))
    return text + t.verdict.of(review.verdict).format(reason=review.verdict_reason)


def conclusion_text(review: Review) -> str:
    t = templates().conclusion
    key = "通过_with_issues" if review.verdict == "通过" and review.kept() else review.verdict
    return getattr(t, key).format(reason=review.verdict_reason)
