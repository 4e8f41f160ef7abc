"""Answers on the project's Q&A set stay exactly what they were: quotes, citations, abstentions
and the ranking behind them.

The golden file was recorded from the code before the speed work (issue 15) and is only
rewritten on purpose, when an answer is meant to change:

    .venv/bin/python tests/assistant/test_golden_answers.py --update

It then prints how many items changed, so a deliberate change is also a visible one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "fixtures" / "answers" / "qa-golden.jsonl"
QA = ROOT / "eval" / "data" / "qa.jsonl"
DEPTH = 10


def record(settings, index) -> list[dict]:
    """One line per Q&A item: what `ask` answered and the ten-deep ranking eval scores."""
    from assistant.query import expand
    from assistant.retrieve import retrieve
    from assistant.service import ask
    from eval.dataset import load_items

    out = []
    for item in load_items(QA):
        answer = ask(item.question, history=item.user_history, use_llm=False,
                     settings=settings, index=index)
        ranking = retrieve(index, expand(answer.resolved_question or item.question), k=DEPTH)
        out.append({
            "id": item.id,
            "resolved": answer.resolved_question,
            "abstained": answer.abstained,
            "answer": answer.answer,
            "citations": [c.model_dump() for c in answer.citations],
            "context": [c.model_dump() for c in answer.context],
            "passages": [[p.chunk_id, p.score] for p in answer.passages],
            "ranking": [[p.chunk_id, p.score] for p in ranking.passages],
        })
    return out


def test_answers_identical_to_golden(settings, index):
    golden = [json.loads(line) for line in GOLDEN.read_text("utf-8").splitlines()]
    now = record(settings, index)
    assert [g["id"] for g in golden] == [n["id"] for n in now]
    changed = [n["id"] for g, n in zip(golden, now, strict=True) if g != n]
    assert not changed, f"{len(changed)} answers changed: {changed[:10]}"


def _update() -> int:
    import tempfile

    from assistant.index import build_index
    from assistant.retrieve import load_index
    from assistant.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), embedding_model="", llm_base_url=None)
        build_index(settings)
        now = record(settings, load_index(settings))
    from support.golden import rewrite

    return rewrite(GOLDEN, [json.dumps(n, ensure_ascii=False) for n in now], "answers")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    sys.exit(_update())
