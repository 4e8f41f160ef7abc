"""`POST /v1/ask` returns exactly what it returned: the body of each Q&A question (with its
conversation history), byte for byte but for the timings, against a file of their sha256
digests. tests/assistant/test_golden_answers.py pins what `ask` answers; this pins what the
service sends for it (every field, each passage's text, the notes, the serialisation).

The digests are only rewritten on purpose, when an answer is meant to change:

    .venv/bin/python tests/api/test_ask_bodies.py --update
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "fixtures" / "answers" / "ask-bodies.sha256"
QA = ROOT / "eval" / "data" / "qa.jsonl"
# The only part of a body that changes from run to run: one flat object of numbers.
_TIMINGS = re.compile(rb'"timings":\{[^{}]*\}')


def digests(client) -> dict[str, str]:
    from eval.dataset import load_items

    out = {}
    for item in load_items(QA):
        response = client.post("/v1/ask", json={"question": item.question,
                                                "history": item.user_history})
        body = _TIMINGS.sub(b'"timings":{}', response.content)
        out[item.id] = f"{response.status_code} {hashlib.sha256(body).hexdigest()}"
    return out


def read_golden() -> dict[str, str]:
    lines = GOLDEN.read_text("utf-8").splitlines()
    return dict(line.split(" ", 1) for line in lines if line.strip())


def test_ask_bodies_identical_to_golden(client):
    golden, now = read_golden(), digests(client)
    assert list(golden) == list(now)
    changed = [i for i in now if golden[i] != now[i]]
    assert not changed, f"{len(changed)} bodies changed: {changed[:10]} (rewrite on purpose " \
                        "with: .venv/bin/python tests/api/test_ask_bodies.py --update)"


def _update() -> int:
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(CPAUDIT_DATA_DIR=tmp, CPAUDIT_EMBEDDING_MODEL="")
        os.environ.pop("CPAUDIT_LLM_BASE_URL", None)
        from fastapi.testclient import TestClient

        from api.app import create_app
        from assistant.index import build_index
        from assistant.settings import get_settings

        build_index(get_settings())
        with TestClient(create_app()) as client:
            now = digests(client)
    from support.golden import rewrite

    return rewrite(GOLDEN, [f"{i} {d}" for i, d in now.items()], "digests")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    sys.exit(_update())
