"""Users' 赞/踩 on answers, kept in a SQLite file in the data directory (feedback.sqlite3).

Each record holds what is needed to turn it into an evaluation item later (`cpaudit feedback
export`): the question as typed and as resolved, the conversation before it, the answer, its
citations and mode, and for a 踩 what the user says it should have been — no basis in the
documents, or the passage that should have been quoted.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import Field

from assistant.models import Citation, Mode, Strict
from assistant.settings import Settings

FILE = "feedback.sqlite3"
Rating = Literal["up", "down"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL,
    question TEXT NOT NULL,
    resolved_question TEXT,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    mode TEXT NOT NULL,
    answerer TEXT NOT NULL,
    citations TEXT NOT NULL,
    history TEXT NOT NULL,
    no_basis INTEGER NOT NULL,
    expected TEXT NOT NULL
)"""


class PriorTurn(Strict):
    """An earlier question of the conversation and the answer it got."""

    question: str = Field(min_length=1, max_length=2000)
    answer: str = Field(max_length=20000)


class FeedbackIn(Strict):
    rating: Rating
    comment: str = Field("", max_length=2000)
    question: str = Field(min_length=1, max_length=2000)
    resolved_question: str | None = Field(None, max_length=2000)
    answer: str = Field(max_length=20000)
    abstained: bool = False
    mode: Mode
    answerer: Literal["extractive", "llm", "extractive-fallback"] = "extractive"
    citations: list[Citation] = Field(default_factory=list, max_length=20)
    history: list[PriorTurn] = Field(default_factory=list, max_length=50)
    # A 踩's correction: the documents do not answer this (the answer should have said so),
    # or the passage that should have been quoted, copied from the document.
    no_basis: bool = False
    expected: str = Field("", max_length=2000)


class FeedbackRecord(FeedbackIn):
    id: int
    created: str


def path_of(settings: Settings) -> Path:
    return settings.data_dir / FILE


def _connect(settings: Settings) -> sqlite3.Connection:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path_of(settings), timeout=10)  # several API workers may write
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(_SCHEMA)
    return db


def add(settings: Settings, item: FeedbackIn) -> FeedbackRecord:
    created = datetime.now(UTC).isoformat(timespec="seconds")
    with closing(_connect(settings)) as db, db:
        cursor = db.execute(
            "INSERT INTO feedback (created, rating, comment, question, resolved_question, answer,"
            " abstained, mode, answerer, citations, history, no_basis, expected)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (created, item.rating, item.comment.strip(), item.question, item.resolved_question,
             item.answer, int(item.abstained), item.mode, item.answerer,
             json.dumps([c.model_dump() for c in item.citations], ensure_ascii=False),
             json.dumps([t.model_dump() for t in item.history], ensure_ascii=False),
             int(item.no_basis), item.expected.strip()),
        )
        row_id = cursor.lastrowid
    return FeedbackRecord(id=row_id, created=created, **item.model_dump())


def records(settings: Settings) -> list[FeedbackRecord]:
    """All feedback, oldest first; none when nobody has given any."""
    if not path_of(settings).is_file():
        return []
    with closing(_connect(settings)) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute("SELECT * FROM feedback ORDER BY id").fetchall()
    out = []
    for row in rows:
        fields = dict(row)
        fields.update(abstained=bool(fields["abstained"]), no_basis=bool(fields["no_basis"]),
                      citations=json.loads(fields["citations"]),
                      history=json.loads(fields["history"]))
        out.append(FeedbackRecord.model_validate(fields))
    return out
