"""QA_AUTH in front of the MCP endpoint: Gradio 6 mounts /gradio_api/mcp/ outside its own login check."""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

MCP_PATH = "/gradio_api/mcp"
Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]


def basic_credentials(header: bytes) -> tuple[str, str] | None:
    """(user, password) from an `Authorization: Basic …` header value, or None."""
    scheme, _, value = header.decode("latin-1").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


class MCPLogin:
    """ASGI middleware: MCP requests must carry QA_AUTH's user:password as HTTP Basic auth; others pass."""

    def __init__(self, app: ASGIApp, credentials: tuple[str, str]) -> None:
        self.app = app
        self.user, self.password = credentials

    def allowed(self, scope: Scope) -> bool:
        """Whether the request is outside MCP, or carries the right user and password."""
        if scope["type"] != "http" or not scope["path"].startswith(MCP_PATH):
            return True
        header = dict(scope.get("headers") or []).get(b"authorization", b"")
        given = basic_credentials(header)
        if given is None:
            return False
        user_ok = secrets.compare_digest(given[0].encode(), self.user.encode())
        password_ok = secrets.compare_digest(given[1].encode(), self.password.encode())  # both, always: no timing hint
        return user_ok and password_ok

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        """Answer 401 to an MCP request without the login; pass everything else on."""
        if self.allowed(scope):
            await self.app(scope, receive, send)
            return
        body = b"The MCP tools need the app's login (QA_AUTH): send it as HTTP Basic auth."
        await send({"type": "http.response.start", "status": 401, "headers": [
            (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
            (b"www-authenticate", b'Basic realm="policy-qa MCP"')]})
        await send({"type": "http.response.body", "body": body})


def log_in_tool_calls(blocks: Any, credentials: tuple[str, str]) -> None:
    """Let Gradio's MCP server reach its own queue when the page has a login.

    A queued tool call goes back into the app through a gradio_client Client, which Gradio creates
    without credentials, so every call would meet the login. One logged-in client is made here.
    """
    server = getattr(blocks, "mcp_server_obj", None)
    if server is None:
        return
    from gradio_client import Client

    server._client_instance = Client(blocks.local_url, auth=credentials, download_files=False, verbose=False,
                                     analytics_enabled=False, _skip_components=False,
                                     headers={"x-gradio-user": "mcp"})
