"""check_report(): the one entry point for checking a report, shared by the CLI and the API.

Pure: it reads the report and the index and returns a CheckResult; it prints nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from assistant.budget import checkpoint
from assistant.loader import load_bytes, load_file
from assistant.retrieve import SearchIndex
from assistant.settings import Settings, get_settings
from checkers.absence import second_reading
from checkers.basis import BasisResolver
from checkers.citations import check_citations
from checkers.consistency import check_consistency
from checkers.economics import check_economics
from checkers.findings import CheckResult, Hit, ReportInfo, make_findings, summarize, verdict
from checkers.folding import OwnCharacters, folded_document
from checkers.indicators import check_indicators
from checkers.key_figures import check_key_figures
from checkers.option_evaluation import check_option_evaluation
from checkers.report import Location, Report, build_report
from checkers.rules import RuleError, build_config, load_pack, load_profile, profile_names, unknown_profile
from checkers.sections import check_sections
from checkers.summary_targets import check_summary_targets
from checkers.tables import oriented
from checkers.team import check_team


def check_report(
    source: str | Path | bytes, *, name: str | None = None, industry: str = "auto",
    profiles: tuple[str, ...] | list[str] = (), settings: Settings | None = None,
    index: SearchIndex | None = None, rules_dir: Path | None = None,
) -> CheckResult:
    """Check a report given as a path or as bytes (then `name` gives its file name).

    Paths and bytes are both checked against the settings' max_file_mb by the loader (the API
    also enforces its own, smaller upload limit). `rules_dir` holds the rule pack and profiles
    (default: checkers/rules/). Industry and profile names are checked against the profiles
    the pack ships before any is loaded.
    """
    settings = settings or get_settings()
    if isinstance(source, bytes):
        doc = load_bytes(source, name=name or "report", settings=settings)
    else:
        doc = load_file(source, name=name, settings=settings)
    # The checks match simplified keywords: they read the report folded, and its quotes are
    # put back into the report's own characters before they become findings.
    folded = folded_document(doc)
    report = build_report(folded, load_pack(rules_dir).report)
    chosen, detected, industry_reason = _industry(report, industry, rules_dir)
    config = build_config(chosen, _region_profiles(profiles, rules_dir), rules_dir)
    if detected and not industry_reason.startswith("封面“"):  # not the cover's 行业 words
        config = config.model_copy(update={"industry_guess": industry_reason})
    report = oriented(report, config.indicators)  # indicators across: one per row
    if index is None:
        from assistant.service import ensure_index

        index = ensure_index(settings)
    resolver = BasisResolver(index, config)
    hits: list[Hit] = []
    # Each check is a checkpoint: a request that timed out stops here (assistant.budget).
    # presence is judged on the report's own text: an appended review's opinions name what
    # the experts asked for, which shows nothing the report has
    own_text = report.without_reviews(load_pack(rules_dir).report.review_headings)
    checkpoint()
    hits += check_sections(own_text, config)
    for check in (check_team, check_indicators, check_consistency,
                  check_economics, check_key_figures, check_summary_targets,
                  check_option_evaluation):
        checkpoint()
        hits += check(report, config)
    checkpoint()
    # every "X is missing" read again over the whole report before it may be an error
    hits = second_reading(hits, own_text, config)
    hits += check_citations(report, resolver, load_pack(rules_dir).report.internal_documents)
    if not report.tables:
        hits.append(Hit("FMT-NO-TABLES", "表格", Location(), ""))
    own = OwnCharacters(doc, folded)
    findings = make_findings([_in_own_characters(hit, own) for hit in hits], config, resolver)
    summary = summarize(findings)
    outcome, reason = verdict([(f.rule_id, f.category, f.severity) for f in findings],
                              config.verdict, default="可提交")
    pages = {p.number for p in doc.pages if p.number is not None}
    return CheckResult(
        verdict=outcome, verdict_reason=reason, summary=summary, findings=findings,
        report=ReportInfo(
            name=doc.name, format=doc.format, title=own(report.title), industry=chosen,
            industry_title=config.industry.title, industry_detected=detected,
            industry_reason=industry_reason,
            profiles=[p.name for p in config.profiles], pages=len(pages) or None,
            headings=len(report.headings), tables=len(report.tables),
        ),
    )


def _in_own_characters(hit: Hit, own: OwnCharacters) -> Hit:
    where = hit.location
    located = where.model_copy(update={"heading_path": [own(h) for h in where.heading_path],
                                       "table": own(where.table)})
    return replace(hit, evidence=own(hit.evidence), location=located)


def _industry(report: Report, industry: str, rules_dir: Path | None) -> tuple[str, bool, str]:
    """(profile, detected?, reason): the industry asked for, or the one the report states."""
    if industry != "auto":
        known = industries(rules_dir)
        if industry not in known:
            raise RuleError(f"未知的行业：{industry}", f"Unknown industry: {industry}",
                            hint_zh=f"可选：{', '.join(known)} 或 auto。",
                            hint_en=f"Choose one of {', '.join(known)} or auto.")
        return industry, False, "--industry"
    name, reason = detect_industry_with_reason(report, rules_dir)
    return name, True, reason


def industries(rules_dir: Path | None = None) -> list[str]:
    """The industry profiles in the rule pack."""
    return [name for name, kind in profile_names(rules_dir).items() if kind == "industry"]


# A national-economy industry code (GB/T 4754): section letter and 2–4 digits, "C3311", "G5920".
_INDUSTRY_CODE = re.compile(r"(?<![A-Za-z])([A-T])(\d{2,4})(?!\d)")


def detect_industry(report: Report, rules_dir: Path | None = None) -> str:
    return detect_industry_with_reason(report, rules_dir)[0]


def detect_industry_with_reason(report: Report, rules_dir: Path | None = None) -> tuple[str, str]:
    """The industry profile whose keywords the cover's industry field names (else the title and
    the 企业概况 chapter), and why: "封面“行业类别”：电镀（电镀×1）". rules/report.yaml says which
    field and which chapter."""
    where = load_pack(rules_dir).report.industry
    field = next((f for f in where.cover_fields if report.cover.get(f)), None)
    stated, source = (report.cover[field], f"封面“{field}”") if field else ("", "")
    if not stated:
        overview = [i for i, h in enumerate(report.headings)
                    if any(w in h.title for w in where.overview_headings)]
        # no section titled as the overview: the first chapter (前言, 摘要), which introduces
        # the enterprise and what it makes or serves
        chosen = (overview[:1] or [0]) if report.headings else []
        stated = (report.title or _cover_text(report)) + "".join(
            p.text for i in chosen for p in report.within(i)[0])
        source = "标题和概况" if overview else "标题和首章"
    declared = _declared(report, rules_dir) if not field else None
    if declared is not None:
        return declared
    best, best_score, best_words = "general", 0, ""
    # codes only from the cover's own field: in body text F10, Z12 are option numbers
    codes = _INDUSTRY_CODE.findall(stated) if field else []
    for name in industries(rules_dir):
        profile = load_profile(name, rules_dir)
        counts = {w: stated.count(w) for w in profile.detect if w in stated}
        counts |= {f"{letter}{digits}": 1 for letter, digits in codes
                   if letter in profile.detect_sections}
        score = sum(counts.values())
        if score > best_score:
            best, best_score = name, score
            best_words = "、".join(f"{w}×{n}" for w, n in sorted(counts.items(), key=lambda x: -x[1]))
    # one passing mention in the overview ("石灰" in a glass works) is not an industry; the
    # cover's own industry field is
    if best_score < (1 if field else 2):
        return "general", "未识别出行业，按通用要求检查" + (f"（仅见 {best_words}）" if best_score else "")
    if field and all(_INDUSTRY_CODE.fullmatch(w.split("×")[0]) for w in best_words.split("、")):
        # only the code matched: a two-digit class spans sub-industries (C32 is smelting and
        # rolling, C13 every food), so the profile's own requirements are not certain
        return best, f"封面行业代码只指大类：{best_words}"
    return best, f"{source}：{best_words}"


def _cover_text(report: Report) -> str:
    """The lines before the first heading — the cover, with the enterprise's name ("东莞彩泓软包装
    印刷有限公司") — when no title was read from it (a Markdown cover in bold lines)."""
    first = report.headings[0].order if report.headings else None
    return "".join(p.text for p in report.paragraphs if first is None or p.order < first)


def _declared(report: Report, rules_dir: Path | None) -> tuple[str, str] | None:
    """The profile whose kind of audit the report says it is (profile `declared`: "服务业清洁
    生产审核"), in its title or any paragraph: a report names the programme it was done under
    once, in a 前言 or 概况 whose place varies (a PDF's cover lines come first)."""
    text = (report.title or "") + "".join(p.text for p in report.paragraphs)
    for name in industries(rules_dir):
        said = next((w for w in load_profile(name, rules_dir).declared if w in text), None)
        if said:
            return name, f"报告自述：{said}"
    return None


def _region_profiles(profiles, rules_dir: Path | None) -> tuple[str, ...]:
    """The extra profiles asked for, each checked against the names the pack ships."""
    known = profile_names(rules_dir)
    regions = [name for name, kind in known.items() if kind == "region"]
    for name in profiles:
        if name not in known:
            raise unknown_profile(name, regions)
        if known[name] != "region":
            raise RuleError(f"{name} 是行业配置，请用 --industry 指定",
                            f"{name} is an industry profile: pass it with --industry")
    return tuple(profiles)
