"""cpaudit check REPORT: pre-review a draft audit report and list every defect found.

    cpaudit check report.pdf                       terminal table
    cpaudit check report.docx --json               one JSON object: verdict, summary, findings
    cpaudit check report.md --format html -o r.html
    cpaudit check report.pdf --industry ceramics --profile lenient
"""

from __future__ import annotations

import argparse
from pathlib import Path

from checkers.engine import check_report
from checkers.render import print_table, to_html, to_json, to_markdown

_WRITERS = {"md": to_markdown, "html": to_html, "json": to_json}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("report", type=Path, help="审核报告（PDF、DOCX、MD、TXT）/ the report")
    parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    parser.add_argument("--format", choices=("md", "html"),
                        help="写入 Markdown 或 HTML 文件 / write a Markdown or HTML file")
    parser.add_argument("-o", "--output", type=Path,
                        help="输出文件（默认：<报告名>.check.<格式>）/ output file")
    # No `choices`: building the parser must not read rule files (check_report names the
    # profiles there are when an unknown one is asked for).
    parser.add_argument("--industry", default="auto", metavar="NAME",
                        help="行业配置（如 ceramics、dyeing），默认按封面/企业概况自动识别 / industry profile")
    parser.add_argument("--profile", action="append", default=[], metavar="NAME",
                        help="附加地区/场景配置，可重复（如 sichuan、lenient）/ extra profile")


def run(args: argparse.Namespace) -> int:
    result = check_report(args.report, industry=args.industry, profiles=tuple(args.profile))
    fmt = args.format
    if fmt is None and args.output is not None:
        fmt = args.output.suffix.lstrip(".").lower()
        fmt = fmt if fmt in _WRITERS else "md"
    if fmt is not None:
        target = args.output or Path(f"{args.report.stem}.check.{fmt}")
        target.write_text(_WRITERS[fmt](result), encoding="utf-8")
    if args.json:
        print(to_json(result))
    elif fmt is None:
        print_table(result)
    if fmt is not None:
        import sys

        print(f"已写入 / written: {target}", file=sys.stderr if args.json else sys.stdout)
    return 0
