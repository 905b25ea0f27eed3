"""Shared fixtures: the real plan, the real default embedder, and one index built per test session."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa import Assistant, Settings

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "corpus" / "shandong-internet-plus-action-plan-2016-2018.txt"
DOC = PLAN.stem
QA_FILE = ROOT / "eval" / "qa.jsonl"


def nid(path: str) -> str:
    """Full node id of a place in the bundled plan, e.g. nid('P2.G4.S2.I3')."""
    return f"{DOC}/{path}"


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def settings(index_dir: Path) -> Settings:
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return Settings(corpus_dir=ROOT / "corpus", index_dir=index_dir, embedder="e5")


@pytest.fixture(scope="session")
def assistant(settings: Settings) -> Assistant:
    return Assistant(settings)


@pytest.fixture(scope="session")
def qa_rows() -> list[dict]:
    return [json.loads(line) for line in QA_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def import_app():
    """app.py, which sits at the project root outside the installed package."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import app

    return app


@contextlib.contextmanager
def served_app(assistant: Assistant, stream_delay: float | None = None, feedback: object = None,
               mcp: bool = False) -> Iterator[str]:
    """The app served in this process on a free port, answering with the given assistant; yields its URL."""
    app = import_app()
    from webapp import chat, state

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(state, "_assistant", assistant)
        mp.setattr(state, "_feedback", feedback)
        if stream_delay is not None:
            mp.setattr(chat, "STREAM_DELAY", stream_delay)
        port = free_port()
        app.launch(port=port, mcp=mcp, prevent_thread_lock=True, quiet=True)
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            app.demo.close()
