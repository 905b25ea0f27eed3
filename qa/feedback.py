"""Users' ratings of answers, kept in a local SQLite file (WAL mode) and exported as evaluation lines."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, get_args

Rating = Literal["up", "down"]
RATINGS: tuple[str, ...] = get_args(Rating)
FILE_NAME = "feedback.sqlite3"
APP_NAME = "policy-qa"
# How long a writer waits for another writer's lock before giving up (seconds): generous, because
# twenty ratings arriving at once on a busy 2-core machine queue behind each other.
BUSY_TIMEOUT_S = 30.0
# The eval/qa.jsonl types an answer's intent can become when exported; any other intent is "paraphrase".
_EXPORT_TYPES = ("target", "lead", "reverse", "outline", "metadata")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,            -- UTC, ISO 8601
    question TEXT NOT NULL,
    history TEXT NOT NULL,         -- JSON list of earlier questions
    answer TEXT,                   -- JSON object as `qa ask --json` prints, or NULL
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    suggested TEXT,                -- node id of the item the answer should have cited
    version TEXT NOT NULL,         -- app version that gave the answer
    doc TEXT                       -- the document the question was asked of, NULL for the whole library
)
"""
# columns added after the first release: a store written by an older version gets them on opening
_ADDED_COLUMNS = {"doc": "TEXT"}


def data_dir() -> Path:
    """QA_DATA, or the user's data folder: ~/.local/share/policy-qa (XDG), ~/Library/…, %APPDATA%\\…"""
    if os.environ.get("QA_DATA"):
        return Path(os.environ["QA_DATA"]).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP_NAME


def app_version() -> str:
    """The installed policy-qa version, or "unknown" when running from a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(APP_NAME)
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True, slots=True)
class Feedback:
    """One stored rating."""

    id: int
    time: str
    question: str
    history: tuple[str, ...]
    answer: dict | None
    rating: Rating
    comment: str
    suggested: str | None
    version: str
    doc: str | None = None  # the document the question was asked of; None for the whole library

    def to_eval_line(self) -> dict[str, object]:
        """An eval/qa.jsonl row with split "feedback": the suggested item, else a 👍 answer's citations, as gold."""
        answer = self.answer or {}
        if self.suggested:
            gold = [self.suggested]
        elif self.rating == "up":
            gold = [c["id"] for c in answer.get("citations", [])[:1]]
        else:
            gold = []
        intent = str(answer.get("intent", ""))
        kind = "followup" if self.history else intent if intent in _EXPORT_TYPES else "paraphrase"
        return {"id": f"fb{self.id:04d}", "question": self.question, "history": list(self.history),
                "gold": gold, "facts": [], "type": kind, "split": "feedback", "rating": self.rating,
                "comment": self.comment, "time": self.time, "version": self.version,
                **({"doc": self.doc} if self.doc else {})}


@dataclass(frozen=True, slots=True)
class Summary:
    """What the 评测 tab shows: how many ratings, the share of 👍, the latest 👎."""

    count: int
    up: int
    latest_down: tuple[Feedback, ...]

    @property
    def up_share(self) -> float:
        """Share of 👍 among all ratings (0 when there are none)."""
        return self.up / self.count if self.count else 0.0


class FeedbackStore:
    """The ratings file; safe to use from many threads and processes (one connection per call)."""

    def __init__(self, path: str | Path | None = None) -> None:
        """Open (creating when missing) the store.

        Args:
            path: the SQLite file; default data_dir()/feedback.sqlite3.
        Raises:
            OSError: the folder cannot be created.
        """
        self.path = Path(path) if path else data_dir() / FILE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            # WAL: a writer never blocks readers, and a crash mid-write loses nothing already committed.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)
            have = {row[1] for row in conn.execute("PRAGMA table_info(feedback)")}
            for name, kind in _ADDED_COLUMNS.items():
                if name not in have:
                    conn.execute(f"ALTER TABLE feedback ADD COLUMN {name} {kind}")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)

    def add(self, question: str, history: list[str] | tuple[str, ...], answer: dict | None, rating: Rating,
            comment: str = "", suggested: str | None = None, doc: str | None = None) -> int:
        """Store one rating and return its id; doc is the document the question was asked of (None: all).

        Raises:
            ValueError: a rating other than "up" or "down".
        """
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {', '.join(RATINGS)}, not {rating!r}")
        row = (datetime.now(timezone.utc).isoformat(timespec="seconds"), question,
               json.dumps(list(history), ensure_ascii=False),
               json.dumps(answer, ensure_ascii=False) if answer is not None else None,
               rating, comment, suggested or None, app_version(), doc or None)
        with self._connect() as conn:
            cur = conn.execute("INSERT INTO feedback (time, question, history, answer, rating, comment, "
                               "suggested, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            return int(cur.lastrowid or 0)

    def amend(self, feedback_id: int, comment: str, suggested: str | None) -> None:
        """Add the comment and the suggested item to a stored rating.

        Raises:
            KeyError: no rating has this id.
        """
        with self._connect() as conn:
            cur = conn.execute("UPDATE feedback SET comment = ?, suggested = ? WHERE id = ?",
                               (comment, suggested or None, feedback_id))
            if cur.rowcount == 0:
                raise KeyError(feedback_id)

    def delete(self, feedback_id: int) -> None:
        """Remove a rating its user withdrew (clicked the same thumb again); an unknown id is ignored."""
        with self._connect() as conn:
            conn.execute("DELETE FROM feedback WHERE id = ?", (feedback_id,))

    def all(self) -> list[Feedback]:
        """Every rating, oldest first."""
        with self._connect() as conn:
            rows = conn.execute("SELECT id, time, question, history, answer, rating, comment, suggested, "
                                "version, doc FROM feedback ORDER BY id").fetchall()
        return [Feedback(id=r[0], time=r[1], question=r[2], history=tuple(json.loads(r[3])),
                         answer=json.loads(r[4]) if r[4] else None, rating=r[5], comment=r[6],
                         suggested=r[7], version=r[8], doc=r[9]) for r in rows]

    def summary(self, latest: int = 5) -> Summary:
        """Count, 👍 count and the latest 👎 ratings (newest first)."""
        rows = self.all()
        downs = [r for r in rows if r.rating == "down"]
        return Summary(count=len(rows), up=sum(r.rating == "up" for r in rows),
                       latest_down=tuple(reversed(downs[-latest:])))


def main(action: Literal["list", "export"], out: str | None = None, store: FeedbackStore | None = None) -> int:
    """`qa feedback list` prints one line per rating; `qa feedback export` writes eval lines (stdout or out).

    Returns:
        The exit code: 0.
    """
    store = store or FeedbackStore()
    rows = store.all()
    if action == "list":
        for r in rows:
            extra = "".join(f"  {k}: {v}" for k, v in (("评论", r.comment), ("应引用", r.suggested)) if v)
            print(f"{r.id}  {r.time}  {'👍' if r.rating == 'up' else '👎'}  {r.question}{extra}")
        print(f"{len(rows)} 条评价，保存在 {store.path}", file=sys.stderr)
        return 0
    lines = "".join(json.dumps(r.to_eval_line(), ensure_ascii=False) + "\n" for r in rows)
    if out:
        Path(out).write_text(lines, encoding="utf-8")
        print(f"{len(rows)} lines written to {out}", file=sys.stderr)
    else:
        sys.stdout.write(lines)
    return 0
