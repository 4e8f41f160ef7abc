"""cpaudit review REPORT: draft reviewer notes (评审意见) from the checkers' findings.

    cpaudit review report.pdf                          the draft in the terminal
    cpaudit review report.docx --json > review.json    verdict, issues, citations, draft
    cpaudit review report.md --docx 评审意见.docx --md 评审意见.md
    cpaudit review --from review.json --docx 评审意见.docx   after editing the JSON

Edit the JSON to accept ("accepted"), reject ("rejected") or reword each issue (change its
`text` / `suggestion`; it becomes "edited"), then regenerate with --from.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.errors import CpauditError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("report", type=Path, nargs="?",
                        help="审核报告（PDF、DOCX、MD、TXT）/ the report")
    parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    parser.add_argument("--md", type=Path, metavar="FILE", help="写入 Markdown / write Markdown")
    parser.add_argument("--docx", type=Path, metavar="FILE", help="写入 Word / write DOCX")
    parser.add_argument("--from", dest="from_json", type=Path, metavar="EDITED_JSON",
                        help="从编辑过的 JSON 重新生成 / regenerate from an edited JSON")
    parser.add_argument("--no-llm", action="store_true",
                        help="只用模板起草，即使配置了大模型 / template draft only")
    parser.add_argument("--industry", default="auto", metavar="NAME",
                        help="行业配置（如 ceramics、dyeing），默认自动识别 / industry profile")
    parser.add_argument("--profile", action="append", default=[], metavar="NAME",
                        help="附加地区/场景配置，可重复（如 sichuan、lenient）/ extra profile")
    parser.add_argument("--verdict-profile", metavar="NAME",
                        help="评审结论规则（verdict.yaml 中的配置，如 standard、lenient）")
    parser.add_argument("--llm-method", default="json_schema",
                        choices=("json_schema", "function_calling", "json_mode"),
                        help="结构化输出方式 / structured-output method of the LLM")


def run(args: argparse.Namespace) -> int:
    from checkers.review.render import markdown, terminal, write_docx
    from checkers.review.service import load_review, regenerate, review_report

    if args.from_json is not None:
        if args.report is not None:
            raise CpauditError("--from 与报告文件不能同时指定", "Give either a report or --from, not both",
                               hint_zh="重新生成时只需 --from 编辑过的 JSON。",
                               hint_en="To regenerate, pass only --from EDITED_JSON.")
        review = regenerate(load_review(args.from_json))
    elif args.report is None:
        raise CpauditError("请指定审核报告，例如：cpaudit review 报告.pdf",
                           "Give a report, e.g. cpaudit review report.pdf",
                           hint_zh="或用 --from 编辑过的 JSON 重新生成。",
                           hint_en="Or regenerate with --from EDITED_JSON.")
    else:
        review = review_report(args.report, industry=args.industry, profiles=tuple(args.profile),
                               use_llm=False if args.no_llm else None,
                               verdict_profile=args.verdict_profile, llm_method=args.llm_method)
    written = []
    if args.md is not None:
        args.md.parent.mkdir(parents=True, exist_ok=True)
        args.md.write_text(markdown(review), encoding="utf-8")
        written.append(args.md)
    if args.docx is not None:
        written.append(write_docx(review, args.docx))
    if args.json:
        print(review.model_dump_json(indent=2))
    else:
        terminal(review)
    for path in written:
        print(f"已写入 / written: {path}", file=sys.stderr if args.json else sys.stdout)
    return 0
