"""For tests that need a real service: private copies of the corpus and its index, and a real
server (`python -m api` = `cpaudit serve` on a free loopback port, until the block ends).
Shared by tests/api and tests/reliability."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Corpus:
    corpus_dir: Path
    data_dir: Path

    @property
    def user_dir(self) -> Path:
        """Where uploads and the user's manifest go (the bundled corpus is never written)."""
        return self.data_dir / "corpus"

    @property
    def env(self) -> dict[str, str]:
        return {"CPAUDIT_CORPUS_DIR": str(self.corpus_dir), "CPAUDIT_DATA_DIR": str(self.data_dir)}

    def snapshot(self) -> dict[str, bytes]:
        """Every file of the bundled corpus and of the user's layer in the data dir, plus the
        live index generation: 'untouched' means equal."""
        user = self.user_dir
        files = {str(p.relative_to(self.corpus_dir)): p.read_bytes()
                 for p in sorted(self.corpus_dir.rglob("*")) if p.is_file()}
        files |= {f"<data>/{p.relative_to(user)}": p.read_bytes()
                  for p in sorted(user.rglob("*")) if p.is_file()}
        files["<index CURRENT>"] = (self.data_dir / "index" / "CURRENT").read_bytes()
        return files


def copy_corpus(settings, target: Path) -> Corpus:
    """A private, writable copy of `settings`' corpus and of its built index."""
    copy = Corpus(target / "corpus", target / "data")
    shutil.copytree(settings.corpus_dir, copy.corpus_dir)
    shutil.copytree(settings.data_dir / "index", copy.data_dir / "index",
                    ignore=shutil.ignore_patterns(".lock"))
    return copy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text("utf-8", errors="replace")


@contextmanager
def serve(tmp_path: Path, *, workers: int = 1, env: dict[str, str] | None = None,
          timeout: float = 90.0, args: tuple[str, ...] = ()) -> Iterator[Server]:
    """Run `python -m api` (= `cpaudit serve`, with `args` added) on a free loopback port
    until the block ends."""
    port = free_port()
    log = tmp_path / f"server-{port}.log"
    environment = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "api", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers), "--log-level", "info", *args],
            cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited with {process.returncode}:\n{server.log_text()}")
            # Ready when every worker has started, not just the first one to answer.
            started = server.log_text().count("Application startup complete")
            try:
                if started >= workers and httpx.get(f"{server.url}/v1/health",
                                                    timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server did not start in {timeout:.0f} s:\n{server.log_text()}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
