"""The app's handlers as plain functions on the real plan, its start-up options, and its API on a live server."""

from __future__ import annotations

import logging
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import types
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import gradio as gr
import pytest
from conftest import ROOT, import_app, nid, served_app

from qa.feedback import FeedbackStore
from webapp import api, chat, departments, evaluation, feedback, library, outline, render, state

app = import_app()

P2P = "网贷平台跑路了找哪个部门？"
P2P_LABEL = "二、重点行动 › （四）互联网+金融 › 行动任务 › 规范发展网络借贷服务"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def store(tmp_path):
    return FeedbackStore(tmp_path / "feedback.sqlite3")


@pytest.fixture
def loaded(monkeypatch, assistant, store):
    """The app using the session's assistant (no second index build), a fresh ratings store, no pauses."""
    monkeypatch.setattr(state, "_assistant", assistant)
    monkeypatch.setattr(state, "_feedback", store)
    monkeypatch.setattr(chat, "STREAM_DELAY", 0)
    return assistant


def final(steps):
    """The last (messages, turns, sources, textbox) a chat run yielded."""
    return list(steps)[-1]


# ---------------------------------------------------------------- 问答


def test_department_question_names_the_lead_and_cites_the_item(loaded):
    steps = list(chat.chat(P2P, [], []))
    messages, turns, sources, box = steps[-1]
    assert steps[0][3] == ""  # the message is taken from the box at once …
    assert all(step[3] == gr.skip() for step in steps[1:])  # … and a question typed while it streams is kept
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[0]["content"] == P2P
    assert "省金融办" in messages[1]["content"] and "[1]" in messages[1]["content"]
    assert turns == [{"question": P2P, "history": [], "answer": loaded.ask(P2P).to_json(), "doc": None}]
    assert P2P_LABEL in sources and "省金融办（牵头）" in sources and "<mark>" in sources


def test_answers_are_streamed_in_growing_pieces(loaded):
    replies = [m[-1]["content"] for m, *_ in chat.chat(P2P, [], [])]
    assert replies[0] == chat.THINKING
    streamed = replies[1:]
    assert len(streamed) >= 3
    assert all(b.startswith(a) for a, b in zip(streamed, streamed[1:], strict=False))


def test_follow_up_gets_the_earlier_questions_as_history(loaded, monkeypatch):
    seen = []
    real_ask = loaded.ask

    def spy(question, history=(), doc=None):
        seen.append(list(history))
        return real_ask(question, history=history, doc=doc)

    monkeypatch.setattr(loaded, "ask", spy)
    messages, turns, _, _ = final(chat.chat(P2P, [], []))
    messages, turns, _, _ = final(chat.chat("那牵头部门是谁？", messages, turns))
    assert seen == [[], [P2P]]
    assert [t["question"] for t in turns] == [P2P, "那牵头部门是谁？"] and turns[1]["history"] == [P2P]
    assert len(messages) == 4 and "省金融办" in messages[3]["content"]


def test_empty_message_adds_no_turn(loaded):
    before = [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好"}]
    steps = list(chat.chat("  \n ", before, []))
    assert len(steps) == 1
    messages, turns, _, box = steps[0]
    assert messages == before and turns == [] and box == ""


def test_5000_character_message_is_refused_clearly_without_repeating_it(loaded):
    messages, turns, _, _ = final(chat.chat("网贷" * 2500, [], []))
    reply = messages[-1]["content"]
    assert "太长" in reply and "5000" in reply and "2000" in reply and len(reply) < 200
    assert chat.history_of(turns) == []  # a refused question is no context for follow-ups
    assert len(messages[0]["content"]) < 400 and "共 5000 字" in messages[0]["content"]


def test_internal_error_is_logged_and_answered_kindly(monkeypatch, caplog, assistant):
    class Broken:
        settings = assistant.settings

        def ask(self, question, history=(), doc=None):
            raise RuntimeError("index exploded")

    monkeypatch.setattr(state, "_assistant", Broken())
    with caplog.at_level(logging.ERROR, logger="qa.app"):
        messages, turns, _, _ = final(chat.chat(P2P, [], []))
    assert messages[-1]["content"] == chat.ERROR_REPLY
    assert chat.history_of(turns) == []
    assert any(r.exc_info and "index exploded" in str(r.exc_info[1]) for r in caplog.records)


def test_new_chat_clears_messages_turns_and_sources():
    assert chat.new_chat() == ([], [], render.SOURCES_PLACEHOLDER, "")


def test_script_in_a_question_is_escaped_in_the_chat(loaded):
    for messages, _, sources, _ in chat.chat(SCRIPT, [], []):
        assert "<script" not in str(messages) and "<script" not in str(sources)
    assert messages[0]["content"] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_reverse_question_lines_stay_lines(loaded):
    messages, *_ = final(chat.chat("省农业厅负责哪些任务？", [], []))
    reply = messages[-1]["content"]
    assert "\n1\\. 推进农业生产精准化智能化[1]" in reply
    assert "\n[1] 二、重点行动 › （二）互联网+农业 › 行动任务 › 推进农业生产精准化智能化" in reply


# ---------------------------------------------------------------- 👍 / 👎


def test_thumbs_down_with_a_suggested_item_is_stored_with_the_turn(loaded, store):
    messages, turns, _, _ = final(chat.chat(P2P, [], []))
    fid, note, offer_item = feedback.record_rating(1, False, turns)  # message 1 is the first answer
    assert offer_item and "踩" in note
    assert feedback.amend_rating(fid, " 应该引用 I5 ", nid("P2.G4.S2.I5")) == feedback.SAVED
    (row,) = store.all()
    assert (row.question, row.rating, row.comment, row.suggested) == (P2P, "down", "应该引用 I5", nid("P2.G4.S2.I5"))
    assert row.answer["lead_department"] == "省金融办"


def test_thumbs_up_stores_the_rating_at_once_and_offers_no_picker(loaded, store):
    _, turns, _, _ = final(chat.chat(P2P, [], []))
    fid, note, offer_item = feedback.record_rating(1, True, turns)
    assert fid and not offer_item and [r.rating for r in store.all()] == ["up"]
    assert feedback.record_rating(7, True, turns)[0] is None  # no such answer
    assert "先" in feedback.amend_rating(None, "x", None)


def test_a_rating_records_the_document_the_question_was_asked_of(loaded, store):
    doc = nid("P2").split("/")[0]
    _, turns, _, _ = final(chat.chat(P2P, [], [], doc))
    _, more, _, _ = final(chat.chat(P2P, [], [], library.ALL))
    feedback.record_rating(1, True, turns)
    feedback.record_rating(1, False, more)
    assert [r.doc for r in store.all()] == [doc, None]


def test_clicking_the_same_thumb_again_withdraws_the_rating(loaded, store):
    _, turns, _, _ = final(chat.chat(P2P, [], []))
    fid, _, _ = feedback.record_rating(1, False, turns)
    assert feedback.withdraw_rating(fid, 1, turns) == feedback.WITHDRAWN
    assert store.all() == []


def test_twenty_users_rating_at_once_are_all_stored(loaded, store):
    _, turns, _, _ = final(chat.chat(P2P, [], []))
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda i: feedback.record_rating(1, i % 2 == 0, turns), range(20)))
    assert all(fid for fid, _, _ in results) and len({fid for fid, _, _ in results}) == 20
    rows = store.all()
    assert len(rows) == 20 and sum(r.rating == "up" for r in rows) == 10 and {r.question for r in rows} == {P2P}


def test_the_eval_tab_summarises_ratings(loaded, store):
    assert "还没有评价" in evaluation.feedback_summary()
    store.add(P2P, [], None, "up")
    store.add("省魔法厅管什么？", [], None, "down", comment="![x](http://127.0.0.1:9/x.png)")
    summary = evaluation.feedback_summary()
    assert "共 2 条评价" in summary and "「赞」占 50%" in summary and "省魔法厅管什么？" in summary
    assert "![x]" not in summary  # a comment is text, never an image


# ---------------------------------------------------------------- 部门, 计划目录, 评测


def test_department_view_lists_what_agriculture_leads_and_shares(loaded):
    html = departments.department_view("省农业厅")
    lead_part, share_part = html.split("参与的任务")
    assert "牵头的任务（3）" in lead_part and "推进农业生产精准化智能化" in lead_part
    assert "培育建设现代化智能物流中心" in share_part and html.count("<details") == 6


def test_department_view_accepts_aliases_and_explains_unknown_names(loaded):
    assert "<h3>省发展改革委（省发改委）</h3>牵头的任务（" in departments.department_view("省发改委").replace("<h4>", "")
    assert "没有找到" in departments.department_view("省魔法厅")
    assert "选择或输入" in departments.department_view("")
    assert "&lt;script&gt;" in departments.department_view(SCRIPT)


def test_topic_box_names_the_responsible_departments(loaded):
    first = departments.topic_departments("跨境电子商务").split("<details")[1]
    assert "加快跨境电子商务发展" in first and "牵头：省商务厅" in first and "青岛海关" in first


def test_topic_box_explains_errors_in_chinese(loaded):
    for topic in ("   ", "网贷" * 2500):
        text = re.sub(r"<[^>]+>", "", departments.topic_departments(topic))
        assert text and not re.search(r"[A-Za-z]", text)  # no English in the Chinese page
    assert "请输入" in departments.topic_departments("")
    assert "太长" in departments.topic_departments("网贷" * 2500)


def test_outline_entry_shows_text_and_departments(loaded):
    html = outline.outline_entry(nid("P2.G4.S2.I3"))
    assert P2P_LABEL in html and "省金融办（牵头）" in html and "个体网络借贷（P2P）平台" in html
    assert "&lt;script&gt;" in outline.outline_entry(SCRIPT)
    assert (P2P_LABEL, nid("P2.G4.S2.I3")) in outline.outline_choices(loaded)


def test_startup_shows_the_plan_and_fills_the_lists(loaded):
    status, depts, entries, tree, picker = outline.startup()
    assert status == f"已载入《山东省“互联网+”行动计划（2016-2018年）》：{len(loaded.tasks())} 项任务，" \
                     f"{len(loaded.departments())} 个部门。"
    assert depts["choices"][0] == loaded.departments()[0]
    assert len(entries["choices"]) == len(loaded.nodes) == len(picker["choices"])
    assert tree.startswith('<div class="qa-outline">')


def test_eval_tab_explains_how_to_create_a_missing_report(monkeypatch, tmp_path):
    monkeypatch.setattr(evaluation, "EVAL_DIR", tmp_path)
    text, image = evaluation.eval_report()
    assert "qa eval" in text and image["visible"] is False


def test_eval_tab_shows_an_existing_report_and_chart(monkeypatch, tmp_path):
    (tmp_path / "report.md").write_text("# 评测\n\nhit@5 = 0.95\n", encoding="utf-8")
    (tmp_path / "report.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    monkeypatch.setattr(evaluation, "EVAL_DIR", tmp_path)
    text, image = evaluation.eval_report()
    assert "hit@5 = 0.95" in text
    assert image == {"__type__": "update", "value": str(tmp_path / "report.png"), "visible": True}


def test_rerunning_the_evaluation_without_the_module_says_so(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "qa.evaluate", None)  # makes the import fail
    monkeypatch.setattr(evaluation, "EVAL_DIR", tmp_path)
    status, text, _ = evaluation.run_evaluation()
    assert "暂不可用" in status and "qa eval" in text


def test_rerunning_the_evaluation_reports_progress_and_shows_the_new_report(loaded, monkeypatch, tmp_path):
    calls = []

    def run_eval(settings, progress=None, out_dir=None):
        for step in range(3):
            progress(step, 3, f"retrieval {step}")
        (out_dir / "report.md").write_text("# 新报告\n", encoding="utf-8")
        calls.append(settings)

    monkeypatch.setitem(sys.modules, "qa.evaluate", types.SimpleNamespace(run_eval=run_eval))
    monkeypatch.setattr(evaluation, "EVAL_DIR", tmp_path)
    status, text, image = evaluation.run_evaluation()
    assert status == "评测完成。" and text == "# 新报告\n" and image["visible"] is False
    assert calls == [loaded.settings]


def test_a_failing_evaluation_is_logged_and_explained(loaded, monkeypatch, tmp_path, caplog):
    def run_eval(settings, progress=None, out_dir=None):
        raise RuntimeError("no gold")

    monkeypatch.setitem(sys.modules, "qa.evaluate", types.SimpleNamespace(run_eval=run_eval))
    monkeypatch.setattr(evaluation, "EVAL_DIR", tmp_path)
    with caplog.at_level(logging.ERROR, logger="qa.app"):
        status, _, _ = evaluation.run_evaluation()
    assert "失败" in status and any("evaluation failed" in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------- the API functions


def test_api_ask_returns_the_cli_json(loaded):
    out = api.ask(P2P)
    assert out == loaded.ask(P2P).to_json() and out["lead_department"] == "省金融办"
    assert out["citations"][0] == {"n": 1, "id": nid("P2.G4.S2.I3"), "label": P2P_LABEL,
                                   "text": loaded.node(nid("P2.G4.S2.I3")).text}


def test_api_ask_takes_history_as_a_list_or_a_json_string(loaded):
    as_list = api.ask("那牵头部门是谁？", [P2P])
    assert api.ask("那牵头部门是谁？", f'["{P2P}"]') == as_list and as_list["lead_department"] == "省金融办"
    assert api.parse_history("") == [] and api.parse_history(None) == []
    assert api.parse_history("上一个问题") == ["上一个问题"]


def test_api_user_errors_are_short_gradio_errors(loaded):
    with pytest.raises(gr.Error, match="empty"):
        api.ask("  ")
    with pytest.raises(gr.Error, match="history"):
        api.ask(P2P, '{"a": 1}')
    with pytest.raises(gr.Error) as huge:
        api.ask("网" * 3_000_000)
    assert len(str(huge.value)) < 400  # the reply never repeats the question


@pytest.mark.parametrize("k", ["abc", -1, 0, 10**9, 2.5, None, True])
def test_api_search_refuses_a_bad_k_clearly(loaded, k, caplog):
    with caplog.at_level(logging.ERROR, logger="qa.app"), pytest.raises(gr.Error, match="k must be a whole number"):
        api.search(P2P, k)
    assert not caplog.records  # user input, not a server fault


def test_api_search_returns_question_and_hits(loaded):
    out = api.search(P2P, "3")
    assert set(out) == {"question", "hits"} and len(out["hits"]) == 3
    assert [set(h) for h in out["hits"]] == [{"id", "label", "text", "score", "departments"}] * 3
    assert out["hits"][0]["id"] == nid("P2.G4.S2.I3") and out["hits"][0]["departments"][0] == "省金融办"


def test_api_department_tasks_are_complete_and_accept_aliases(loaded):
    out = api.department_tasks("省发改委")
    leads, shares = loaded.department_tasks("省发改委")
    assert out["department"] == "省发展改革委"
    assert [t["id"] for t in out["leads"]] == [n.id for n in leads]
    assert [t["id"] for t in out["shares"]] == [n.id for n in shares]
    with pytest.raises(gr.Error, match="no department"):
        api.department_tasks("省魔法厅")


def test_api_outline_lists_every_node_in_reading_order(loaded):
    out = api.outline()
    assert [n["id"] for n in out] == list(loaded.nodes)
    assert {"id": nid("P2.G4.S2.I3"), "kind": "item", "label": P2P_LABEL, "title": "规范发展网络借贷服务",
            "departments": [d.name for d in loaded.node(nid("P2.G4.S2.I3")).departments]} in out


# ---------------------------------------------------------------- start-up


def test_auth_comes_from_user_colon_password():
    assert app.parse_auth("admin:s3:cret") == ("admin", "s3:cret")
    assert app.parse_auth(None) is None
    with pytest.raises(ValueError, match="user:password"):
        app.parse_auth("admin")


def run_app(*args, env=None):
    return subprocess.run([sys.executable, "app.py", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=180, env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})})


@pytest.mark.e2e  # starts a Python process that imports gradio
def test_a_port_out_of_range_is_a_clear_usage_error():
    out = run_app("--port", "99999")
    assert out.returncode == 2 and "not a port number: use 1–65535" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.e2e  # starts a Python process that imports gradio
def test_a_port_in_use_is_a_clear_message_not_a_traceback(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        out = run_app("--port", str(busy.getsockname()[1]), env={"QA_DATA": str(tmp_path)})
    assert out.returncode == 1 and "cannot serve on 127.0.0.1:" in out.stderr and "--port" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.e2e  # starts a Python process that imports gradio
def test_importing_the_app_does_not_load_the_plan():
    code = "import app, webapp.state as s; print(s.loaded(), app.demo is not None)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True"]


def test_the_app_package_stays_small():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "webapp").glob("*.py")}
    assert len((ROOT / "app.py").read_text(encoding="utf-8").splitlines()) <= 80
    assert max(sizes.values()) <= 250, sizes


# ---------------------------------------------------------------- a live server


@pytest.fixture(scope="module")
def server(assistant, tmp_path_factory):
    """The app served in this process on a free port, answering with the session's assistant."""
    store = FeedbackStore(tmp_path_factory.mktemp("feedback") / "feedback.sqlite3")
    with served_app(assistant, stream_delay=0, feedback=store) as url:
        yield url


def test_named_endpoints_are_the_four_tools(server):
    from gradio_client import Client

    api_info = Client(server, verbose=False).view_api(return_format="dict", print_info=False)
    assert set(api_info["named_endpoints"]) == {"/ask", "/search", "/department_tasks", "/outline"}


def test_gradio_client_search_returns_hits_and_refuses_a_bad_k(server):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(server, verbose=False)
    out = client.predict(P2P, 2, api_name="/search")
    assert out["hits"][0]["departments"][0] == "省金融办" and len(out["hits"]) == 2
    with pytest.raises(AppError, match="k must be a whole number from 1 to 50"):
        client.predict(P2P, "abc", api_name="/search")


def test_a_30_mb_question_gets_a_short_error_reply(server):
    import httpx

    body = {"data": ["网" * 10_000_000, []]}  # 30 MB as UTF-8
    with httpx.Client(timeout=120) as http:
        event = http.post(f"{server}gradio_api/call/ask", json=body).json()["event_id"]
        reply = http.get(f"{server}gradio_api/call/ask/{event}").text
    assert "event: error" in reply and "10000000" in reply
    assert len(reply) < 1_000


def test_twenty_concurrent_clients_all_get_answers(server, qa_rows):
    from gradio_client import Client

    questions = [row["question"] for row in qa_rows if not row["history"]][:20]
    assert len(questions) == 20

    def ask(question):
        start = time.perf_counter()
        out = Client(server, verbose=False).predict(question, [], api_name="/ask")
        return out, time.perf_counter() - start

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(ask, questions))
    answers = [out for out, _ in results]

    # Each answer belongs to its own question (compared NFKC-folded: the echo may be cleaned, ？ → ?).
    def fold(text):
        return unicodedata.normalize("NFKC", text)

    assert [fold(a["question"]) for a in answers] == [fold(q) for q in questions]
    assert all(a["answer"] for a in answers)
    assert answers[0]["lead_department"] == "省金融办"
    latencies = sorted(t for _, t in results)
    print(f"\n20 concurrent /ask: median {statistics.median(latencies):.2f} s, max {latencies[-1]:.2f} s")
