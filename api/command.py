"""cpaudit serve: the web UI and HTTP API under uvicorn.

With --workers > 1 uvicorn runs several processes from the import string
"api.app:create_app" (a factory); they share the index on disk and hold no per-user state.
Settings reach the workers through the CPAUDIT_* environment, which they inherit.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from assistant.errors import CpauditError

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="监听地址，对外提供服务用 0.0.0.0 / bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="端口 / port (default 8000)")
    parser.add_argument("--workers", type=int, default=1, help="进程数 / worker processes")
    parser.add_argument("--log-level", default="info",
                        choices=["critical", "error", "warning", "info", "debug"])
    # On by default: an operator expects to see each request, and a line costs ~45 µs of a
    # worker's CPU (<1 % of an ask, benchmarks/README.md); off for a load test or behind a
    # proxy that logs requests itself.
    parser.add_argument("--no-access-log", dest="access_log", action="store_false",
                        help="不逐条记录请求 / no log line per request (errors are still logged)")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import prepare_index

    # The CLI sets WARNING; the service log should show startup and the index build.
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s",
                        force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per Chroma/LLM call: noise
    if args.workers < 1:
        raise CpauditError("--workers 至少为 1。", "--workers must be at least 1.")
    # Built once here, before workers start, rather than by every worker at once.
    prepare_index(show_progress=sys.stderr.isatty())
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    log.info("cpaudit: http://%s:%d/  (OpenAPI 接口说明 / schema: /openapi.json)", args.host, args.port)
    uvicorn.run(
        "api.app:create_app", factory=True, host=args.host, port=args.port,
        workers=args.workers, log_level=args.log_level, access_log=args.access_log,
        timeout_graceful_shutdown=10,
        # A worker's start-up holds the GIL for seconds at a time on a busy machine (rjieba
        # builds its dictionary in one native call; torch loads likewise): uvicorn's default
        # 5 s health-check then kills workers that are only starting.
        timeout_worker_healthcheck=30,
    )
    return 0
