"""QA_AUTH covers the MCP tools too: Gradio's login does not, so the app puts one in front of them."""

from __future__ import annotations

import asyncio
import base64

import httpx
import pytest
from conftest import free_port, import_app

from qa.feedback import FeedbackStore
from webapp import state
from webapp.mcp_login import basic_credentials

AUTH = ("admin", "s3:cret")


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture(scope="module")
def mcp_url(assistant, tmp_path_factory):
    app = import_app()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(state, "_assistant", assistant)
        mp.setattr(state, "_feedback", FeedbackStore(tmp_path_factory.mktemp("fb") / "feedback.sqlite3"))
        port = free_port()
        app.launch(port=port, auth=AUTH, mcp=True, prevent_thread_lock=True, quiet=True)
        try:
            yield f"http://127.0.0.1:{port}/gradio_api/mcp/"
        finally:
            app.demo.close()


def ask_over_mcp(url, headers):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def main():
        async with httpx.AsyncClient(headers=headers, timeout=120) as http, \
                streamable_http_client(url, http_client=http) as (read, write, _), \
                ClientSession(read, write) as session:
            await session.initialize()
            tools = {t.name for t in (await session.list_tools()).tools}
            result = await session.call_tool("ask", {"question": "网贷平台跑路了找哪个部门？"})
            return tools, result

    return asyncio.run(main())


def test_mcp_with_the_login_lists_and_calls_the_tools(mcp_url):
    tools, result = ask_over_mcp(mcp_url, basic(*AUTH))
    assert tools == {"ask", "search", "department_tasks", "outline"}
    assert not result.isError and '"lead_department": "省金融办"' in result.content[0].text


@pytest.mark.parametrize("headers", [{}, basic("admin", "wrong"), {"Authorization": "Bearer s3:cret"}])
def test_mcp_without_the_login_is_refused(mcp_url, headers):
    response = httpx.post(mcp_url, headers={**headers, "Accept": "application/json, text/event-stream"},
                          json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert response.status_code == 401 and "QA_AUTH" in response.text


def test_the_page_keeps_gradios_own_login(mcp_url):
    assert httpx.get(mcp_url.replace("gradio_api/mcp/", "config")).status_code == 401


def test_basic_credentials_are_parsed_strictly():
    assert basic_credentials(b"Basic " + base64.b64encode(b"a:b:c")) == ("a", "b:c")
    assert basic_credentials(b"Basic !!!") is None
    assert basic_credentials(b"Basic " + base64.b64encode(b"nocolon")) is None
    assert basic_credentials(b"Bearer x") is None
