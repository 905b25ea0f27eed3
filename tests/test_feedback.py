"""The ratings store: WAL SQLite outside the repository, 20 writers at once, and `qa feedback` export lines."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import ROOT, nid

from qa.evaluate import load_questions
from qa.feedback import FeedbackStore, data_dir

P2P = "网贷平台跑路了找哪个部门？"


@pytest.fixture
def store(tmp_path):
    return FeedbackStore(tmp_path / "feedback.sqlite3")


def test_data_folder_comes_from_qa_data_else_the_users_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("QA_DATA", str(tmp_path / "d"))
    assert data_dir() == tmp_path / "d"
    monkeypatch.delenv("QA_DATA")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert data_dir() == tmp_path / "xdg" / "policy-qa"
    assert ROOT not in data_dir().parents


def test_a_rating_keeps_question_history_answer_comment_item_and_version(store, assistant):
    answer = assistant.ask(P2P).to_json()
    fid = store.add(P2P, ["上一个问题"], answer, "down")
    store.amend(fid, "应该引用另一条", nid("P2.G4.S2.I5"))
    (row,) = store.all()
    assert (row.id, row.question, row.history, row.rating) == (fid, P2P, ("上一个问题",), "down")
    assert row.answer == answer and row.comment == "应该引用另一条" and row.suggested == nid("P2.G4.S2.I5")
    assert row.version and row.time.endswith("+00:00")
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_bad_ratings_and_unknown_ids_are_refused(store):
    with pytest.raises(ValueError, match="up, down"):
        store.add("q", [], None, "meh")
    with pytest.raises(KeyError):
        store.amend(99, "", None)


def test_twenty_concurrent_ratings_are_all_stored(store):
    def rate(i):
        return FeedbackStore(store.path).add(f"问题{i}", [], {"answer": str(i)}, "up" if i % 2 else "down")

    with ThreadPoolExecutor(max_workers=20) as pool:
        ids = list(pool.map(rate, range(20)))
    rows = store.all()
    assert len(set(ids)) == 20 and len(rows) == 20
    assert sorted(r.question for r in rows) == sorted(f"问题{i}" for i in range(20))
    summary = store.summary()
    assert (summary.count, summary.up, len(summary.latest_down)) == (20, 10, 5)


def test_export_lines_are_valid_eval_rows_with_the_suggested_item_as_gold(store, assistant, tmp_path):
    answer = assistant.ask(P2P).to_json()
    down = store.add(P2P, [], answer, "down")
    store.amend(down, "", nid("P2.G4.S2.I5"))
    store.add("那牵头部门是谁？", [P2P], answer, "up")
    lines = [r.to_eval_line() for r in store.all()]
    assert lines[0]["gold"] == [nid("P2.G4.S2.I5")] and lines[0]["split"] == "feedback"
    assert lines[1]["gold"] == [answer["citations"][0]["id"]] and lines[1]["type"] == "followup"
    path = tmp_path / "fb.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    rows = load_questions(path)
    assert [r.gold for r in rows] == [(nid("P2.G4.S2.I5"),), (answer["citations"][0]["id"],)]


def test_a_rating_given_under_a_document_filter_keeps_it_and_evaluates_within_it(store, assistant, tmp_path):
    doc = nid("P2").split("/")[0]
    answer = assistant.ask(P2P, doc=doc).to_json()
    store.add(P2P, [], answer, "up", doc=doc)
    store.add(P2P, [], answer, "up")
    first, whole = store.all()
    assert first.doc == doc and whole.doc is None
    lines = [r.to_eval_line() for r in store.all()]
    assert lines[0]["doc"] == doc and "doc" not in lines[1]
    path = tmp_path / "fb.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    assert [r.doc for r in load_questions(path)] == [doc, None]


def test_a_store_written_before_ratings_kept_their_document_gets_the_column(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:  # the first release's table, with one rating in it
        conn.execute("CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, "
                     "question TEXT NOT NULL, history TEXT NOT NULL, answer TEXT, rating TEXT NOT NULL, "
                     "comment TEXT NOT NULL DEFAULT '', suggested TEXT, version TEXT NOT NULL)")
        conn.execute("INSERT INTO feedback (time, question, history, rating, version) "
                     "VALUES ('2026-01-01T00:00:00+00:00', '旧问题', '[]', 'up', '0.1')")
    store = FeedbackStore(path)
    store.add("新问题", [], None, "down", doc="some-doc")
    assert [(r.question, r.doc) for r in store.all()] == [("旧问题", None), ("新问题", "some-doc")]


def test_qa_feedback_list_and_export_read_the_store_in_qa_data(tmp_path):
    FeedbackStore(tmp_path / "feedback.sqlite3").add(P2P, [], None, "down", suggested=nid("P2.G4.S2.I3"))
    env = {**os.environ, "QA_DATA": str(tmp_path)}

    def qa(*args):
        return subprocess.run([sys.executable, "-m", "qa", "feedback", *args], capture_output=True, text=True,
                              cwd=ROOT, env=env, timeout=120)

    listed = qa("list")
    assert listed.returncode == 0, listed.stderr
    assert P2P in listed.stdout and "👎" in listed.stdout and "1 条评价" in listed.stderr
    exported = qa("export", "--out", str(tmp_path / "out.jsonl"))
    assert exported.returncode == 0, exported.stderr
    (row,) = load_questions(tmp_path / "out.jsonl")
    assert row.question == P2P and row.gold == (nid("P2.G4.S2.I3"),)
    line = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert line["split"] == "feedback" and line["rating"] == "down"
