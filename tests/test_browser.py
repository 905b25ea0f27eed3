"""The page in headless Chromium: ask, read the cited answer and its sources, follow up, and stay offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import served_app

from webapp import chat

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
P2P_LABEL = "二、重点行动 › （四）互联网+金融 › 行动任务 › 规范发展网络借贷服务"
TIMEOUT = 60_000  # ms; the first answer may wait for the embedder to warm up

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture(scope="module")
def url(assistant):
    """The app served in this process on a free port, answering with the session's assistant."""
    with served_app(assistant) as served:
        yield served


@pytest.fixture
def page(url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(TIMEOUT)
        page.problems = []  # page errors, alert dialogs and requests that leave this machine
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


def ask(page, question: str, answers_before: int) -> object:
    """Type a question, press Enter and wait until its answer has finished streaming; returns the answer."""
    from playwright.sync_api import expect

    page.locator("#qa-input textarea").fill(question)
    page.locator("#qa-input textarea").press("Enter")
    bot = page.locator('#qa-chat [data-testid="bot"]')
    expect(bot).to_have_count(answers_before + 1)
    expect(page.locator(".generating")).to_have_count(0)  # Gradio marks outputs while streaming
    return bot.nth(answers_before)


def test_ask_read_sources_follow_up_and_screenshot(page, tmp_path):
    from playwright.sync_api import expect

    first = ask(page, "网贷平台跑路了找哪个部门？", 0)
    expect(first).to_contain_text("省金融办")
    expect(first).to_contain_text("[1]")
    sources = page.locator("#qa-sources")
    expect(sources).to_contain_text(P2P_LABEL)
    expect(sources).to_contain_text("省金融办（牵头）")
    expect(sources.locator("mark").first).to_be_visible()

    second = ask(page, "那牵头部门是谁？", 1)
    expect(second).to_contain_text("省金融办")

    shot = tmp_path / "chat.png"
    page.screenshot(path=str(shot), full_page=True)
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


def test_reverse_question_lists_tasks_line_by_line_then_new_chat_clears_it(page):
    from playwright.sync_api import expect

    answer = ask(page, "省农业厅负责哪些任务？", 0)
    expect(answer).to_contain_text("1. 推进农业生产精准化智能化[1]")
    assert answer.locator("ol, ul").count() == 0  # plain lines, not a markdown list swallowing the rest
    expect(page.locator("#qa-sources .qa-source")).to_have_count(6)
    page.get_by_role("button", name="新对话").click()
    expect(page.locator('#qa-chat [data-testid="bot"]')).to_have_count(0)
    expect(page.locator("#qa-sources")).to_contain_text("会显示在这里")


def test_new_chat_while_an_answer_streams_stops_it(page, monkeypatch):
    from playwright.sync_api import expect

    monkeypatch.setattr(chat, "STREAM_DELAY", 0.4)  # the server runs in this process
    page.locator("#qa-input textarea").fill("省农业厅负责哪些任务？")
    page.locator("#qa-input textarea").press("Enter")
    expect(page.locator('#qa-chat [data-testid="bot"]')).to_contain_text("省农业厅")
    page.get_by_role("button", name="新对话").click()
    expect(page.locator(".generating")).to_have_count(0)
    page.wait_for_timeout(1500)  # longer than a few more streamed pieces would take
    expect(page.locator('#qa-chat [data-testid="bot"]')).to_have_count(0)
