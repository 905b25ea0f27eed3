"""The web app's entry point: `python app.py [--host H] [--port P] [--mcp] [--allow-upload]`; the page is in webapp/."""

from __future__ import annotations

import os

# Before gradio is imported: it reads this once, at import time.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import argparse  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402

from webapp.page import demo, launch  # noqa: E402, F401 - `demo` is what `gradio app.py` reloads

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 7860
TRUE = ("1", "true", "yes", "on")


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """QA_AUTH's "user:password" as Gradio's auth tuple; None when unset.

    Raises:
        ValueError: a value without both a user and a password.
    """
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("QA_AUTH must look like user:password")
    return user, password


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 1–65535, with the range named in the error."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number: use 1–65535 (default {DEFAULT_PORT})")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    """Parse the options (QA_HOST, QA_PORT, QA_AUTH=user:pass, QA_MCP=1 from the environment) and serve."""
    parser = argparse.ArgumentParser(description="Serve the Shandong 'Internet+' plan assistant in a browser.")
    parser.add_argument("--host", default=os.environ.get("QA_HOST", DEFAULT_HOST), help="default 127.0.0.1 (QA_HOST)")
    parser.add_argument("--port", type=port_number, default=os.environ.get("QA_PORT", str(DEFAULT_PORT)),
                        help=f"default {DEFAULT_PORT} (QA_PORT)")
    parser.add_argument("--mcp", action="store_true", default=os.environ.get("QA_MCP", "").lower() in TRUE,
                        help="also serve the ask/search/department_tasks/outline tools over MCP (QA_MCP=1)")
    parser.add_argument("--allow-upload", action="store_true",
                        help="let anyone who opens the page add documents in the 文库 tab (a login, QA_AUTH, allows it too)")
    args = parser.parse_args(argv)
    try:
        auth = parse_auth(os.environ.get("QA_AUTH"))
    except ValueError as exc:
        parser.error(str(exc))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    for noisy in ("jieba", "httpx", "bm25s", "faiss"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        launch(args.host, args.port, auth=auth, mcp=args.mcp, allow_upload=args.allow_upload)
    except OSError as exc:  # the port is taken, or the host cannot be bound
        print(f"app.py: cannot serve on {args.host}:{args.port}: {str(exc).rstrip('.')}. Choose another with --port "
              f"(or QA_PORT), or stop the program using it.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
