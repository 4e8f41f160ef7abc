"""cpaudit index: build or incrementally update the index."""

from __future__ import annotations

import argparse
import sys

from assistant.corpus_admin import reindex
from assistant.settings import get_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-dense", action="store_true", help="lexical only, skip embeddings")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def run(args: argparse.Namespace) -> int:
    # Through the corpus lock, after recovering a change a crash interrupted.
    report = reindex(get_settings(), use_dense=not args.no_dense, show_progress=not args.quiet)
    changed = len(report.added) + len(report.updated) + len(report.removed)
    print(
        f"索引{'已更新' if changed else '已是最新'}：新增 {len(report.added)}，更新 {len(report.updated)}，"
        f"删除 {len(report.removed)}，未变 {len(report.unchanged)}；共 {report.chunks} 个片段，"
        f"用时 {report.seconds:.1f} 秒。"
    )
    print(f"Index {'updated' if changed else 'up to date'}: {report.chunks} chunks, "
          f"mode {report.mode}, {report.seconds:.1f} s.")
    if report.mode == "lexical":
        print(f"检索模式 / mode: lexical（{report.lexical_reason}）", file=sys.stderr)
    return 0
