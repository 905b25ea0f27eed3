"""The app's handlers as plain functions on the real plan, its JSON API, and 20 clients on a live server."""

from __future__ import annotations

import logging
import os
import statistics
import subprocess
import sys
import time
import types
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import ROOT, import_app, nid, served_app

import qa

app = import_app()

P2P = "网贷平台跑路了找哪个部门？"
P2P_LABEL = "二、重点行动 › （四）互联网+金融 › 行动任务 › 规范发展网络借贷服务"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def loaded(monkeypatch, assistant):
    """The app using the session's assistant (no second index build) and streaming without pauses."""
    monkeypatch.setattr(app, "get_assistant", lambda progress=None: assistant)
    monkeypatch.setattr(app, "STREAM_DELAY", 0)
    return assistant


def final(steps):
    """The last (messages, questions, sources, textbox) a chat run yielded."""
    return list(steps)[-1]


# ---------------------------------------------------------------- chat


def test_department_question_names_the_lead_and_cites_the_item(loaded):
    messages, questions, sources, box = final(app.chat(P2P, [], []))
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[0]["content"] == P2P
    reply = messages[1]["content"]
    assert "省金融办" in reply and "[1]" in reply
    assert questions == [P2P]
    assert box == ""
    assert P2P_LABEL in sources
    assert "省金融办（牵头）" in sources
    assert "<mark>" in sources and "</mark>" in sources


def test_the_quoted_sentence_is_the_highlighted_one(loaded):
    answer = loaded.ask(P2P)
    sources = app.sources_html(loaded, answer)
    for quote in answer.citations[0].quotes:
        assert f"<mark>{app.esc(quote)}</mark>" in sources


def test_answers_are_streamed_in_growing_pieces(loaded):
    replies = [m[-1]["content"] for m, *_ in app.chat(P2P, [], [])]
    assert replies[0] == "正在查阅计划……"
    streamed = replies[1:]
    assert len(streamed) >= 3
    assert all(b.startswith(a) for a, b in zip(streamed, streamed[1:], strict=False))


def test_follow_up_gets_the_earlier_questions_as_history(loaded, monkeypatch):
    seen = []
    real_ask = loaded.ask

    def spy(question, history=()):
        seen.append(list(history))
        return real_ask(question, history=history)

    monkeypatch.setattr(loaded, "ask", spy)
    messages, questions, _, _ = final(app.chat(P2P, [], []))
    messages, questions, _, _ = final(app.chat("那牵头部门是谁？", messages, questions))
    assert seen == [[], [P2P]]
    assert questions == [P2P, "那牵头部门是谁？"]
    assert len(messages) == 4 and "省金融办" in messages[3]["content"]


def test_empty_message_adds_no_turn(loaded):
    before = [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好"}]
    steps = list(app.chat("  \n ", before, ["你好"]))
    assert len(steps) == 1
    messages, questions, _, box = steps[0]
    assert messages == before and questions == ["你好"] and box == ""


def test_5000_character_message_is_refused_clearly_in_chinese(loaded):
    messages, questions, _, _ = final(app.chat("网贷" * 2500, [], []))
    reply = messages[-1]["content"]
    assert "太长" in reply and "5000" in reply and "2000" in reply
    assert questions == []  # a refused question is no context for follow-ups
    assert len(messages[0]["content"]) < 400  # the echo is cut, with the length noted
    assert "共 5000 字" in messages[0]["content"]


def test_internal_error_is_logged_and_answered_kindly(monkeypatch, caplog, assistant):
    class Broken:
        settings = assistant.settings

        def ask(self, question, history=()):
            raise RuntimeError("index exploded")

    monkeypatch.setattr(app, "get_assistant", lambda progress=None: Broken())
    with caplog.at_level(logging.ERROR, logger="qa.app"):
        messages, questions, _, _ = final(app.chat(P2P, [], []))
    assert messages[-1]["content"] == app.ERROR_REPLY
    assert questions == []
    assert any(r.exc_info and "index exploded" in str(r.exc_info[1]) for r in caplog.records)


def test_new_chat_clears_messages_history_and_sources():
    assert app.new_chat() == ([], [], app.SOURCES_PLACEHOLDER, "")


# ---------------------------------------------------------------- escaping


def test_script_in_a_question_is_escaped_in_the_chat(loaded):
    for messages, _, sources, _ in app.chat(SCRIPT, [], []):
        assert "<script" not in str(messages) and "<script" not in str(sources)
    assert messages[0]["content"] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_script_is_escaped_in_every_html_view(loaded):
    views = [app.department_view(SCRIPT), app.topic_departments(SCRIPT), app.outline_entry(SCRIPT)]
    for html in views:
        assert "<script" not in html
    assert "&lt;script&gt;" in views[0] and "&lt;script&gt;" in views[2]


def test_sources_panel_escapes_plan_text_and_quotes():
    dept = qa.Department(name="<b>厅</b>", english="x", lead=True, joint=False)
    answer = qa.Answer(
        question=SCRIPT,
        answer="a",
        intent="lead",
        citations=(
            qa.Citation(n=1, id="nowhere", label=SCRIPT, text=f"前文{SCRIPT}后文。", quotes=(SCRIPT,)),
        ),
    )
    html = app.sources_html(type("A", (), {"nodes": {}})(), answer)
    assert "<script" not in html
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in html
    assert "&lt;b&gt;厅&lt;/b&gt;（牵头）" in app.departments_line([dept])


def test_answer_text_shows_as_itself_not_as_markdown():
    assert (
        app.chat_text("牵头：\n1. 推进[1]\n参与：\n4. 培育[4]")
        == "牵头：\n1\\. 推进[1]\n参与：\n4\\. 培育[4]"
    )
    assert app.chat_text("# 一 *二* _三_ $$x$$") == "\\# 一 \\*二\\* \\_三\\_ \\$\\$x\\$\\$"


def test_reverse_question_lines_stay_lines(loaded):
    messages, *_ = final(app.chat("省农业厅负责哪些任务？", [], []))
    reply = messages[-1]["content"]
    assert "\n1\\. 推进农业生产精准化智能化[1]" in reply
    assert "\n[1] 二、重点行动 › （二）互联网+农业 › 行动任务 › 推进农业生产精准化智能化" in reply


def test_highlight_merges_overlapping_quotes_without_nesting():
    assert app.highlight("甲乙丙丁戊", ["甲乙", "乙丙", "戊"]) == "<mark>甲乙丙</mark>丁<mark>戊</mark>"
    assert app.highlight("甲乙丙", ["甲", "乙"]) == "<mark>甲乙</mark>丙"  # touching quotes share one mark
    assert app.highlight("a<b", ["<"]) == "a<mark>&lt;</mark>b"
    assert app.highlight("无引文", []) == "无引文"


# ---------------------------------------------------------------- 部门, 计划目录, 评测


def test_department_view_lists_what_agriculture_leads_and_shares(loaded):
    html = app.department_view("省农业厅")
    assert "牵头的任务（3）" in html and "参与的任务（3）" in html
    lead_part, share_part = html.split("参与的任务")
    assert "推进农业生产精准化智能化" in lead_part
    assert "培育建设现代化智能物流中心" in share_part
    assert html.count("<details") == 6
    assert "省农业厅（牵头）" in lead_part


def test_department_view_accepts_aliases_and_explains_unknown_names(loaded):
    assert "牵头的任务（" in app.department_view("省发改委")
    assert "没有找到" in app.department_view("省魔法厅")
    assert "选择或输入" in app.department_view("")


def test_topic_box_names_the_responsible_departments(loaded):
    html = app.topic_departments("跨境电子商务")
    first = html.split("<details")[1]
    assert "加快跨境电子商务发展" in first and "牵头：省商务厅" in first
    assert "省商务厅（牵头）" in first and "青岛海关" in first
    assert "empty" in app.topic_departments("   ")


def test_outline_entry_shows_text_and_departments(loaded):
    html = app.outline_entry(nid("P2.G4.S2.I3"))
    assert P2P_LABEL in html
    assert "省金融办（牵头）" in html and "个体网络借贷（P2P）平台" in html
    section = app.outline_entry(nid("P2.G4.S2"))
    assert "规范发展网络借贷服务" in section and "下级条目" in section


def test_outline_tree_nests_every_node(loaded):
    html = app.outline_html(loaded)
    assert html.count("<details>") == len(loaded.nodes)
    assert "互联网+金融" in html and "牵头：省金融办" in html
    choices = app.outline_choices(loaded)
    assert (P2P_LABEL, nid("P2.G4.S2.I3")) in choices


def test_startup_fills_the_department_and_outline_lists(loaded):
    status, depts, entries, tree = app.startup()
    assert "已载入" in status
    assert depts["choices"][0] == loaded.departments()[0]
    assert len(entries["choices"]) == len(loaded.nodes)
    assert tree.startswith('<div class="qa-outline">')


def test_eval_tab_explains_how_to_create_a_missing_report(monkeypatch, tmp_path):
    monkeypatch.setattr(app, "EVAL_DIR", tmp_path)
    text, image = app.eval_report()
    assert "qa eval" in text and image["visible"] is False


def test_eval_tab_shows_an_existing_report_and_chart(monkeypatch, tmp_path):
    (tmp_path / "report.md").write_text("# 评测\n\nhit@5 = 0.95\n", encoding="utf-8")
    (tmp_path / "report.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    monkeypatch.setattr(app, "EVAL_DIR", tmp_path)
    text, image = app.eval_report()
    assert "hit@5 = 0.95" in text
    assert image == {"__type__": "update", "value": str(tmp_path / "report.png"), "visible": True}


def test_rerunning_the_evaluation_without_the_module_says_so(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "qa.evaluate", None)  # makes the import fail
    monkeypatch.setattr(app, "EVAL_DIR", tmp_path)
    status, text, _ = app.run_evaluation()
    assert "暂不可用" in status and "qa eval" in text


def test_rerunning_the_evaluation_reports_progress_and_shows_the_new_report(loaded, monkeypatch, tmp_path):
    calls = []

    def run_eval(settings, progress=None, out_dir=None):
        for step in range(3):
            progress(step, 3, f"retrieval {step}")
        (out_dir / "report.md").write_text("# 新报告\n", encoding="utf-8")
        calls.append(settings)
        return {}

    monkeypatch.setitem(sys.modules, "qa.evaluate", types.SimpleNamespace(run_eval=run_eval))
    monkeypatch.setattr(app, "EVAL_DIR", tmp_path)
    status, text, image = app.run_evaluation()
    assert status == "评测完成。" and text == "# 新报告\n" and image["visible"] is False
    assert calls == [loaded.settings]


def test_a_failing_evaluation_is_logged_and_explained(loaded, monkeypatch, tmp_path, caplog):
    def run_eval(settings, progress=None, out_dir=None):
        raise RuntimeError("no gold")

    monkeypatch.setitem(sys.modules, "qa.evaluate", types.SimpleNamespace(run_eval=run_eval))
    monkeypatch.setattr(app, "EVAL_DIR", tmp_path)
    with caplog.at_level(logging.ERROR, logger="qa.app"):
        status, _, _ = app.run_evaluation()
    assert "失败" in status and "qa eval" in status
    assert any("evaluation failed" in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------- JSON API and launch options


def test_api_ask_returns_the_cli_json(loaded):
    out = app.api_ask(P2P)
    assert out == loaded.ask(P2P).to_json()
    assert {
        "question",
        "answer",
        "intent",
        "citations",
        "lead_department",
        "departments",
        "abstained",
    } <= set(out)
    assert out["lead_department"] == "省金融办"
    assert out["citations"][0] == {
        "n": 1,
        "id": nid("P2.G4.S2.I3"),
        "label": P2P_LABEL,
        "text": loaded.node(nid("P2.G4.S2.I3")).text,
    }


def test_api_ask_takes_history_as_a_list_or_a_json_string(loaded):
    as_list = app.api_ask("那牵头部门是谁？", [P2P])
    assert app.api_ask("那牵头部门是谁？", f'["{P2P}"]') == as_list
    assert as_list["lead_department"] == "省金融办"
    assert app.parse_history("") == [] and app.parse_history(None) == []
    assert app.parse_history("上一个问题") == ["上一个问题"]


def test_api_errors_are_json_not_tracebacks(loaded):
    assert app.api_ask("  ") == {"question": "  ", "error": app.api_ask("  ")["error"]}
    assert "empty" in app.api_ask("  ")["error"]
    assert "history" in app.api_ask(P2P, '{"a": 1}')["error"]
    assert "error" in app.api_search("x" * 5000)


def test_api_search_returns_question_and_hits(loaded):
    out = app.api_search(P2P, 3)
    assert set(out) == {"question", "hits"} and out["question"] == P2P
    assert len(out["hits"]) == 3
    assert [set(h) for h in out["hits"]] == [{"id", "label", "text", "score", "departments"}] * 3
    assert out["hits"][0]["id"] == nid("P2.G4.S2.I3") and out["hits"][0]["departments"][0] == "省金融办"


def test_auth_comes_from_user_colon_password():
    assert app.parse_auth("admin:s3:cret") == ("admin", "s3:cret")
    assert app.parse_auth(None) is None
    with pytest.raises(ValueError, match="user:password"):
        app.parse_auth("admin")


def test_importing_the_app_does_not_load_the_plan():
    code = "import app, sys; print(app._assistant is None, 'qa.index' in sys.modules, app.demo is not None)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "True" and out.stdout.split()[2] == "True"


# ---------------------------------------------------------------- a live server


@pytest.fixture(scope="module")
def server(assistant):
    """The app served in this process on a free port, answering with the session's assistant."""
    with served_app(assistant, stream_delay=0) as url:
        yield url


def test_named_endpoints_are_ask_and_search_only(server):
    from gradio_client import Client

    api = Client(server, verbose=False).view_api(return_format="dict", print_info=False)
    assert set(api["named_endpoints"]) == {"/ask", "/search"}


def test_gradio_client_search_returns_hits(server):
    from gradio_client import Client

    out = Client(server, verbose=False).predict(P2P, 2, api_name="/search")
    assert out["hits"][0]["departments"][0] == "省金融办" and len(out["hits"]) == 2


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
    assert all(a["answer"] and "error" not in a for a in answers)
    assert answers[0]["lead_department"] == "省金融办"
    latencies = sorted(t for _, t in results)
    print(
        f"\n20 concurrent /ask: median {statistics.median(latencies):.2f} s, "
        f"p95 {latencies[int(0.95 * len(latencies)) - 1]:.2f} s, max {latencies[-1]:.2f} s"
    )
