"""The `cpaudit` command. Each subcommand lives in its own module and is imported only when
used, so `cpaudit ask` in lexical mode never pays for torch, chromadb or FastAPI."""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import sys

from assistant.errors import CpauditError

# name → (module, help). Each module has `add_arguments(parser)` and `run(args) -> int`.
COMMANDS: dict[str, tuple[str, str]] = {
    "index": ("assistant.commands.index_cmd", "建立/增量更新索引 / build or update the index"),
    "ask": ("assistant.commands.ask_cmd", "提问并获得带引用的回答 / ask a question"),
    "chat": ("assistant.commands.chat_cmd", "多轮对话 / multi-turn chat"),
    "status": ("assistant.commands.status_cmd", "索引与模式状态 / index and mode status"),
    "check": ("checkers.command", "预审审核报告 / check an audit report"),
    "serve": ("api.command", "启动网页与 HTTP 接口 / start the web UI and HTTP API"),
    "review": ("checkers.review.command", "起草评审意见 / draft reviewer notes"),
    "eval": ("eval.command", "评测问答质量与配置对比 / evaluate answers and compare configs"),
    "eval-stard": ("eval.stard_command", "评测法律库检索（STARD 日常问题）/ STARD over the law library"),
    "eval-reports": ("eval.report_command", "评测报告检查（标注报告集）/ evaluate the report checks"),
    "feedback": ("assistant.commands.feedback_cmd", "导出网页端的赞/踩为评测题 / export feedback"),
}


def build_parser(load: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cpaudit", description="清洁生产审核助手 cpaudit — cleaner-production audit assistant"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        if name == load:
            importlib.import_module(module).add_arguments(sp)
        else:
            sp.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


# Read-only commands whose process may end without tearing the interpreter down (see
# `_leave`). Commands that write, serve or spawn workers end the ordinary way.
QUICK_EXIT = {"ask", "status"}


def main(argv: list[str] | None = None) -> int:
    """The command line; called without `argv` (the `cpaudit` script), a read-only command
    ends its process as soon as its output is out."""
    args = list(sys.argv[1:] if argv is None else argv)
    # cpaudit uses no pydantic plugin; looking for them reads the metadata of every installed
    # distribution when the first model is built (~2 % of a cold `ask`'s instructions). A
    # value the user set (to trace validation, say) is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if argv is None and _one_answer(args):
        # The cyclic collector's passes over every object that importing pydantic and numpy
        # created free nothing here (2 % of the command's instructions): a process that
        # answers one question and ends by os._exit leaves its memory to the system anyway.
        # An index build on the way turns it back on (assistant.startup).
        gc.disable()
    code = _main(args)
    if argv is None and _command in QUICK_EXIT and not _other_threads():
        _leave(code)
    return code


def _one_answer(args: list[str]) -> bool:
    """A quick-exit command that does a bounded amount of work: not `ask --batch`, whose
    questions are many."""
    chosen = next((a for a in args if not a.startswith("-")), None)
    return chosen in QUICK_EXIT and not any(a == "--batch" or a.startswith("--batch=") for a in args)


def _other_threads() -> bool:
    """Threads an ordinary exit would wait for (a vector store's writer, say)."""
    threading = sys.modules.get("threading")
    return threading is not None and any(
        t.is_alive() and not t.daemon for t in threading.enumerate()
        if t is not threading.main_thread())


_command: str | None = None


def _leave(code: int) -> None:
    """End the process now. Tearing the interpreter down — every module and object of numpy,
    pydantic and the loaded index freed one by one — costs a tenth of a second of CPU, more
    than answering: the operating system reclaims all of it at once. What was printed is
    flushed and the exit handlers run first (only logging's, in these commands); with a
    thread still working, the process ends the ordinary way."""
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that left (BrokenPipe), a closed stream
            pass
    os._exit(code)


def _main(argv: list[str]) -> int:
    global _command
    debug = "--debug" in argv
    try:
        chosen = next((a for a in argv if not a.startswith("-")), None)
        parser = build_parser(load=chosen if chosen in COMMANDS else None)
        args = parser.parse_args(argv)
        logging.basicConfig(
            level=logging.DEBUG if args.debug else logging.WARNING,
            format="%(levelname)s %(name)s: %(message)s",
        )
        if args.command is None:
            parser.print_help()
            return 0
        _command = args.command
        return importlib.import_module(COMMANDS[args.command][0]).run(args)
    except CpauditError as exc:
        from assistant.render import plain

        print(f"错误 / Error: {plain(exc.message())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `cpaudit status | head -3`: the reader left, nothing to say
        sys.stderr.close()
        return 0
    except Exception as exc:  # the last line of defence: no tracebacks for users
        if debug:
            raise
        print(
            f"内部错误 / internal error: {type(exc).__name__}: {exc}\n"
            "请加 --debug 重新运行并报告此问题 / rerun with --debug and report it.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
