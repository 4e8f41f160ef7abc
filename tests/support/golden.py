"""The golden files of the identity tests (tests/assistant/test_golden_answers.py,
tests/api/test_ask_bodies.py): rewritten only on purpose, by running the test module with
--update, which says how many lines changed so that a deliberate change is a visible one."""

from __future__ import annotations

from pathlib import Path


def rewrite(path: Path, lines: list[str], what: str) -> int:
    old = path.read_text("utf-8").splitlines() if path.is_file() else []
    changed = sum(1 for o, n in zip(old, lines, strict=False) if o != n) + abs(len(old) - len(lines))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    print(f"wrote {len(lines)} {what} to {path} ({changed} differ from the previous file)")
    return 0
