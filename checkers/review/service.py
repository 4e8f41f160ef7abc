"""review_report(): the one entry point for drafting 评审意见, shared by the CLI and the API.

Pure: it reads the report and the index and returns a Review; it prints nothing. The verdict
and the issue list come from the findings; the LLM drafter, when one is configured and asked
for, only rewords the issues the findings made.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pydantic import ValidationError

from assistant.datafile import field_problems
from assistant.retrieve import SearchIndex
from assistant.settings import Settings, get_settings
from checkers.findings import CheckResult
from checkers.review.compose import finalize
from checkers.review.drafter import prepare
from checkers.review.errors import ReviewError
from checkers.review.models import Review
from checkers.review.verdict import choose_profile, decide

log = logging.getLogger(__name__)


def review_report(
    source: str | Path | bytes, *, name: str | None = None, industry: str = "auto",
    profiles: tuple[str, ...] | list[str] = (), settings: Settings | None = None,
    index: SearchIndex | None = None, use_llm: bool | None = None,
    verdict_profile: str | None = None, llm_method: str = "json_schema",
) -> Review:
    """Check a report (path, or bytes with `name`) and draft the review of it."""
    from checkers import check_report

    settings = settings or get_settings()
    if index is None:
        from assistant.service import ensure_index

        index = ensure_index(settings)
    result = check_report(source, name=name, industry=industry, profiles=profiles,
                          settings=settings, index=index)
    return draft_review(result, settings=settings, index=index, use_llm=use_llm,
                        verdict_profile=verdict_profile, llm_method=llm_method)


def draft_review(
    result: CheckResult, *, settings: Settings | None = None, index: SearchIndex | None = None,
    use_llm: bool | None = None, verdict_profile: str | None = None,
    llm_method: str = "json_schema", model=None,
) -> Review:
    """Draft from a CheckResult. use_llm None: the LLM when one is configured; `model` is any
    LangChain chat model and overrides the configured one."""
    settings = settings or get_settings()
    if index is None:
        index = _index(settings)
    prepared = prepare(result, index)
    profile = choose_profile(result.report.profiles, verdict_profile)
    verdict, reason = decide([(f.rule_id, f.category, f.severity) for f in result.findings],
                             profile)
    review = Review(
        report=result.report.name, title=result.report.title,
        industry=result.report.industry_title, verdict=verdict, verdict_reason=reason,
        computed_verdict=verdict, verdict_profile=profile, overall="",
        issues=prepared.issues, suggestions=[], conclusion="", citations=prepared.citations,
        findings=prepared.refs,
    )
    if use_llm is not False and review.issues:
        from checkers.review.llm_drafter import llm_draft, review_model

        model = model or review_model(settings)
        if model is not None:
            review = llm_draft(review, prepared, model, method=llm_method)
        elif use_llm:
            review.notes.append("未配置大模型（CPAUDIT_LLM_BASE_URL），已用模板起草 / "
                                "no LLM configured: template draft")
    return finalize(review, fresh=True)


def _index(settings: Settings) -> SearchIndex | None:
    from assistant.service import ensure_index

    try:
        return ensure_index(settings)
    except Exception as exc:  # cite the checkers' bases as they are
        log.warning("no index for the policy look-ups: %s", exc)
        return None


def regenerate(review: Review) -> Review:
    """Re-assemble a review a reviewer edited: rejected issues drop out, reworded ones stay."""
    return finalize(review, fresh=False)


def load_review(path: str | Path) -> Review:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ReviewError(f"找不到评审意见文件：{path}", f"Review file not found: {path}",
                          hint_zh="请检查 --from 的路径。", hint_en="Check the --from path.") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        # where, not the parser's text: that would echo the file's contents
        at = (f"（第 {exc.lineno} 行第 {exc.colno} 列）", f" (line {exc.lineno}, column {exc.colno})") \
            if isinstance(exc, json.JSONDecodeError) else ("", "")
        raise ReviewError(f"评审意见文件不是有效的 JSON：{path}{at[0]}",
                          f"Not a valid JSON review: {path}{at[1]}",
                          hint_zh="请用 `cpaudit review 报告 --json > 文件` 生成后再编辑（UTF-8）。",
                          hint_en="Generate it with `cpaudit review REPORT --json`, then edit (UTF-8).") from exc
    try:
        return Review.model_validate(data)
    except ValidationError as exc:
        problems = field_problems(exc)
        raise ReviewError(f"评审意见文件的内容有误：{problems}", f"Invalid review JSON: {problems}",
                          hint_zh="status 只能是 accepted、rejected 或 edited；verdict 只能是 通过、"
                                  "修改后通过 或 不通过。",
                          hint_en="status: accepted | rejected | edited; verdict: 通过 | 修改后通过 | "
                                  "不通过.") from exc
