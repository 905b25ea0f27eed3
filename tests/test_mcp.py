"""The app's MCP tools through the real `mcp` client over streamable HTTP at /gradio_api/mcp/."""

from __future__ import annotations

import asyncio
import json

import pytest
from conftest import nid, served_app

from qa.feedback import FeedbackStore

P2P = "网贷平台跑路了找哪个部门？"
TOOLS = {"ask", "search", "department_tasks", "outline"}


@pytest.fixture(scope="module")
def mcp_url(assistant, tmp_path_factory):
    store = FeedbackStore(tmp_path_factory.mktemp("feedback") / "feedback.sqlite3")
    with served_app(assistant, stream_delay=0, feedback=store, mcp=True) as url:
        yield f"{url}gradio_api/mcp/"


def session_run(url, work):
    """Open an MCP session on url, run `await work(session)` and return its result."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def main():
        async with streamable_http_client(url) as (read, write, _), ClientSession(read, write) as session:
            await session.initialize()
            return await work(session)

    return asyncio.run(main())


def call(url, tool, arguments):
    """(isError, the text of the result) of one tool call."""

    async def work(session):
        result = await session.call_tool(tool, arguments)
        return result.isError, "".join(c.text for c in result.content)

    return session_run(url, work)


def test_four_tools_are_listed_each_telling_an_agent_when_to_use_it(mcp_url):
    async def work(session):
        return (await session.list_tools()).tools

    tools = {t.name: t for t in session_run(mcp_url, work)}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert "Use this" in tool.description, tool.name
    assert set(tools["ask"].inputSchema["properties"]) == {"question", "history"}
    assert set(tools["search"].inputSchema["properties"]) == {"question", "k"}
    assert set(tools["department_tasks"].inputSchema["properties"]) == {"department"}


def test_ask_names_the_finance_office_as_lead_with_a_citation(mcp_url, assistant):
    failed, text = call(mcp_url, "ask", {"question": P2P, "history": []})
    assert not failed
    out = json.loads(text)  # JSON, as `qa ask --json` prints
    assert out == assistant.ask(P2P).to_json()
    assert out["lead_department"] == "省金融办"
    assert out["citations"][0]["id"] == nid("P2.G4.S2.I3")
    follow = json.loads(call(mcp_url, "ask", {"question": "那牵头部门是谁？", "history": [P2P]})[1])
    assert follow["lead_department"] == "省金融办"


def test_department_tasks_is_complete(mcp_url, assistant):
    failed, text = call(mcp_url, "department_tasks", {"department": "省发改委"})
    assert not failed
    out = json.loads(text)
    leads, shares = assistant.department_tasks("省发展改革委")
    assert out["department"] == "省发展改革委"
    assert [t["id"] for t in out["leads"]] == [n.id for n in leads]
    assert [t["id"] for t in out["shares"]] == [n.id for n in shares]
    assert len(out["leads"]) + len(out["shares"]) > 5  # more than a top-k would give


def test_search_and_outline_return_json(mcp_url, assistant):
    hits = json.loads(call(mcp_url, "search", {"question": P2P, "k": 3})[1])["hits"]
    assert len(hits) == 3 and hits[0]["departments"][0] == "省金融办"
    entries = json.loads(call(mcp_url, "outline", {})[1])
    assert [e["id"] for e in entries] == list(assistant.nodes)


def test_mistakes_come_back_as_tool_errors_not_tracebacks(mcp_url):
    for tool, arguments, message in [
        ("ask", {"question": "  "}, "empty"),
        ("ask", {"question": "网" * 5000}, "5000"),
        ("search", {"question": P2P, "k": 0}, "k must be a whole number"),
        ("department_tasks", {"department": "省魔法厅"}, "no department"),
    ]:
        failed, text = call(mcp_url, tool, arguments)
        assert failed and message in text and "Traceback" not in text, (tool, text)
        assert len(text) < 500
