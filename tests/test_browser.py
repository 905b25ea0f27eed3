"""The page in headless Chromium: every tab, ratings under an answer, user text as text, and staying offline.

Every wait is on a condition in the page or on the server (this process serves the app), never on time.
"""

from __future__ import annotations

import json
import re
import threading
import types
from pathlib import Path

import pytest
from conftest import nid, served_app

from qa.evaluate import load_questions
from qa.feedback import FeedbackStore
from webapp import chat, render

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
P2P = "网贷平台跑路了找哪个部门？"
P2P_LABEL = "二、重点行动 › （四）互联网+金融 › 行动任务 › 规范发展网络借贷服务"
BETTER = "二、重点行动 › （四）互联网+金融 › 行动任务 › 营造互联网金融良好发展环境"
TIMEOUT = 60_000  # ms; the first answer may wait for the embedder to warm up

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return FeedbackStore(tmp_path_factory.mktemp("feedback") / "feedback.sqlite3")


@pytest.fixture(scope="module")
def url(assistant, store):
    """The app served in this process on a free port, answering with the session's assistant."""
    with served_app(assistant, feedback=store) as served:
        yield served


@pytest.fixture
def page(url):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT)  # a busy machine is slow, not wrong: wait for conditions, long

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(TIMEOUT)
        page.problems = []  # page errors, alert dialogs and requests that leave the app
        page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
        page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((url, "data:", "blob:"))
                else page.problems.append(f"external request: {r.url}")
            ),
        )
        page.goto(url)
        page.locator("#qa-status").get_by_text("已载入").wait_for()
        yield page
        browser.close()


def send(page, question: str) -> None:
    page.locator("#qa-input textarea").fill(question)
    page.locator("#qa-input textarea").press("Enter")


def ask(page, question: str, answers_before: int) -> object:
    """Type a question, press Enter and wait until its answer has finished streaming; returns the answer."""
    from playwright.sync_api import expect

    send(page, question)
    bot = page.locator('#qa-chat [data-testid="bot"]')
    expect(bot).to_have_count(answers_before + 1)
    expect(page.locator(".generating")).to_have_count(0)  # Gradio marks outputs while streaming
    return bot.nth(answers_before)


def test_ask_read_sources_follow_up_rate_and_screenshot(page, store, tmp_path):
    from playwright.sync_api import expect

    first = ask(page, P2P, 0)
    expect(first).to_contain_text("省金融办")
    expect(first).to_contain_text("[1]")
    sources = page.locator("#qa-sources")
    expect(sources).to_contain_text(P2P_LABEL)
    expect(sources).to_contain_text("省金融办（牵头）")
    expect(sources.locator("mark").first).to_be_visible()

    second = ask(page, "那牵头部门是谁？", 1)
    expect(second).to_contain_text("省金融办")

    # 踩 under the first answer, then the item it should have cited and a comment.
    page.locator("#qa-chat").get_by_role("button", name=re.compile("^(踩|Dislike)$")).first.click()
    note = page.locator("#qa-feedback-note")
    expect(note).to_contain_text("已记录「踩」")
    picker = page.locator("#qa-feedback-item input")
    picker.fill("营造互联网金融良好发展环境")
    page.get_by_role("option", name=BETTER).click()
    page.locator("#qa-feedback-comment textarea").fill("应该同时引用环境建设这一条")
    shot = tmp_path / "chat.png"
    page.screenshot(path=str(shot), full_page=True)
    page.get_by_role("button", name="提交反馈").click()
    expect(note).to_contain_text("已保存")

    (row,) = store.all()
    assert (row.question, row.rating, row.suggested) == (P2P, "down", nid("P2.G4.S2.I5"))
    assert row.comment == "应该同时引用环境建设这一条" and row.answer["lead_department"] == "省金融办"
    exported = tmp_path / "feedback.jsonl"
    exported.write_text(json.dumps(row.to_eval_line(), ensure_ascii=False) + "\n", encoding="utf-8")
    (line,) = load_questions(exported)  # a valid eval/qa.jsonl row
    assert line.question == P2P and line.gold == (nid("P2.G4.S2.I5"),)

    page.get_by_role("tab", name="评测").click()
    expect(page.locator("#qa-feedback-summary")).to_contain_text("共 1 条评价")
    expect(page.locator("#qa-feedback-summary")).to_contain_text(P2P)
    assert shot.exists() and shot.stat().st_size > 10_000
    assert page.problems == []


def test_script_in_a_question_shows_as_text_and_never_runs(page):
    from playwright.sync_api import expect

    script = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    ask(page, script, 0)
    user = page.locator('#qa-chat [data-testid="user"]').first
    expect(user).to_contain_text("<script>alert(1)</script>")
    assert page.locator("#qa-chat img[src=x]").count() == 0
    assert page.problems == []


def test_a_markdown_image_in_a_question_is_shown_as_text_and_not_fetched(page):
    from playwright.sync_api import expect

    image = "![x](http://127.0.0.1:9/x.png)"
    ask(page, image, 0)
    expect(page.locator('#qa-chat [data-testid="user"]').first).to_contain_text(image)
    assert page.locator("#qa-chat img").count() == 0
    assert page.problems == []  # no request to 127.0.0.1:9


def test_reverse_question_lists_tasks_line_by_line_then_new_chat_clears_it(page):
    from playwright.sync_api import expect

    answer = ask(page, "省农业厅负责哪些任务？", 0)
    expect(answer).to_contain_text("1. 推进农业生产精准化智能化[1]")
    assert answer.locator("ol, ul").count() == 0  # plain lines, not a markdown list swallowing the rest
    expect(page.locator("#qa-sources .qa-source")).to_have_count(6)
    page.get_by_role("button", name="新对话").click()
    expect(page.locator('#qa-chat [data-testid="bot"]')).to_have_count(0)
    expect(page.locator("#qa-sources")).to_contain_text("会显示在这里")


def test_new_chat_while_an_answer_streams_stops_it(page, monkeypatch, assistant):
    """The answer is held after its first piece (a gate on the server), so 新对话 surely comes mid-stream."""
    from playwright.sync_api import expect

    gate, consumed = threading.Event(), []  # pieces taken, per answer streamed
    real_pieces = render.pieces

    def counted_pieces(text):
        consumed.append(0)
        n = len(consumed) - 1
        for piece in real_pieces(text):
            consumed[n] += 1
            yield piece

    monkeypatch.setattr(chat, "STREAM_DELAY", 0.01)
    monkeypatch.setattr(chat, "time", types.SimpleNamespace(sleep=lambda _s: gate.wait(timeout=120)))
    monkeypatch.setattr(render, "pieces", counted_pieces)
    try:
        send(page, "省农业厅负责哪些任务？")
        expect(page.locator('#qa-chat [data-testid="bot"]')).to_contain_text("省农业厅")
        # Gradio's /cancel returns once the stopped stream's worker lets go, and the page then resets
        # the stream: wait for both before asking again (a question sent earlier is Gradio's race).
        with page.expect_response(lambda r: r.url.endswith("/gradio_api/reset")), \
                page.expect_response(lambda r: r.url.endswith("/gradio_api/cancel")):
            page.get_by_role("button", name="新对话").click()
            expect(page.locator('#qa-chat [data-testid="bot"]')).to_have_count(0)
            expect(page.locator(".generating")).to_have_count(0)
            gate.set()  # the old stream may go on now, if it was not stopped
    finally:
        gate.set()
    # A full new question and answer is the barrier: a stream that was not stopped would have
    # refilled the chat with the old answer, or left its pieces unconsumed no longer.
    answer = ask(page, P2P, 0)
    expect(answer).to_contain_text("省金融办")
    expect(page.locator('#qa-chat [data-testid="user"]')).to_have_count(1)
    old_total = len(real_pieces(render.chat_text(assistant.ask("省农业厅负责哪些任务？").answer)))
    assert len(consumed) == 2 and consumed[0] < old_total


def test_a_question_sent_while_an_answer_streams_is_answered_after_it(page, monkeypatch):
    """The first answer is held after its first piece (a gate on the server), so the second question surely
    arrives while it streams; it is kept in the box, sent when the first answer is done, and answered."""
    from playwright.sync_api import expect

    gate = threading.Event()
    monkeypatch.setattr(chat, "STREAM_DELAY", 0.01)
    monkeypatch.setattr(chat, "time", types.SimpleNamespace(sleep=lambda _s: gate.wait(timeout=120)))
    try:
        send(page, "省农业厅负责哪些任务？")
        bot = page.locator('#qa-chat [data-testid="bot"]')
        expect(bot.first).to_contain_text("省农业厅")  # its first piece is shown; the rest waits for the gate
        send(page, P2P)
        expect(page.locator("#qa-input textarea")).to_have_value(P2P)  # kept while the first answer streams
    finally:
        gate.set()
    expect(page.locator('#qa-chat [data-testid="user"]')).to_have_count(2)
    expect(bot).to_have_count(2)
    expect(page.locator(".generating")).to_have_count(0)
    expect(bot.nth(1)).to_contain_text("省金融办")
    page.get_by_role("button", name="新对话").click()
    expect(bot).to_have_count(0)


def test_department_tab_answers_in_chinese(page):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="部门").click()
    page.locator("#qa-dept input").fill("省发改委")  # an alias, typed: the list offers nothing to pick
    page.locator("#qa-dept input").press("Enter")
    out = page.locator("#qa-dept-out")
    expect(out).to_contain_text("牵头的任务（")
    expect(out).to_contain_text("参与的任务（")
    page.locator("#qa-dept input").press("Escape")
    page.get_by_role("button", name="查找负责部门").click()  # an empty topic
    expect(page.locator("#qa-topic-out")).to_contain_text("请输入一个事项")
    page.locator("#qa-topic textarea").fill("跨境电子商务")
    page.get_by_role("button", name="查找负责部门").click()
    expect(page.locator("#qa-topic-out")).to_contain_text("牵头：省商务厅")
    assert page.problems == []


def test_outline_tab_shows_an_entry_and_the_whole_tree(page):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="计划目录").click()
    page.locator("#qa-entry input").fill("规范发展网络借贷服务")
    page.get_by_role("option", name=P2P_LABEL).click()
    expect(page.locator("#qa-entry-out")).to_contain_text("省金融办（牵头）")
    expect(page.locator("#qa-tree details").first).to_be_visible()
    assert page.problems == []


def test_library_tab_lists_the_plan_and_offers_no_upload_without_a_login(page, assistant):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="文库").click()
    row = page.locator("#qa-library table.qa-library tbody tr")
    expect(row).to_have_count(len(assistant.doc_ids()))
    expect(row.first).to_contain_text("鲁政发〔2016〕14号")
    expect(page.locator("#qa-upload")).to_have_count(0)  # started without QA_AUTH or --allow-upload
    expect(page.locator("#qa-doc")).to_have_count(0)  # one document: no filter in the chat
    assert page.problems == []
