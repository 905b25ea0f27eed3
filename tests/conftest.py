"""Shared fixtures: the real plan, a fake embedder for unit tests, and one real index built per session.

Tiers (markers are given here, from what a test uses, so a test file never has to say):
- unit: no index, or a small index built with FakeEmbedder (seconds);
- integration: the session's real index and the e5 embedder (the `assistant`/`settings` fixtures);
- e2e: CLI subprocesses, a served app, the browser, the sentence-transformers backend.
`python -m pytest -q` runs all three; `-m unit`, `-m "not e2e"` pick tiers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import shutil
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from qa import Assistant, Settings

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "corpus" / "shandong-internet-plus-action-plan-2016-2018.txt"
DOC = PLAN.stem
QA_FILE = ROOT / "eval" / "qa.jsonl"


E2E_MODULES = {"test_cli", "test_browser", "test_st_backend", "test_bench"}
E2E_FIXTURES = {"server", "page", "served"}
INTEGRATION_FIXTURES = {"assistant", "settings", "index_dir", "loaded"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("e2e") or item.get_closest_marker("integration"):
            continue  # the test or its module says which tier it is in
        module = item.module.__name__ if item.module else ""
        names = set(getattr(item, "fixturenames", ()))
        if module in E2E_MODULES or names & E2E_FIXTURES or item.get_closest_marker("st") \
                or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.e2e)
        elif names & INTEGRATION_FIXTURES:
            item.add_marker(pytest.mark.integration)
        else:
            item.add_marker(pytest.mark.unit)


class FakeEmbedder:
    """A tiny deterministic embedder for unit tests: hashed character bigrams, L2-normalised, 64-d.

    It implements qa.embed.Embedder, so build/load/Assistant run end to end in milliseconds; similar
    texts share bigrams, so dense search still ranks sensibly, if far below the real model.
    """

    id = "fake:char-bigrams-64"
    dim = 64
    max_tokens = 512

    def __init__(self) -> None:
        self.passage_calls = 0
        self.query_calls = 0

    def _vectors(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for a, b in zip(text, text[1:] or text, strict=False):
                out[row, hashlib.blake2b((a + b).encode(), digest_size=2).digest()[0] % self.dim] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.query_calls += 1
        return self._vectors(list(texts))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.passage_calls += 1
        return self._vectors(list(texts))

    def count_tokens(self, text: str) -> int:
        return len(text) + 2


@pytest.fixture()
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def fake_index_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the plan and its index built with the fake embedder, once; fake_index copies it per test."""
    from qa import build

    root = tmp_path_factory.mktemp("fake-template")
    (root / "corpus").mkdir()
    shutil.copy(PLAN, root / "corpus" / PLAN.name)
    build(Settings(corpus_dir=root / "corpus", index_dir=root / "index", embedder="e5"), show_bar=False,
          embedder=FakeEmbedder())
    return root


@pytest.fixture()
def fake_index(tmp_path: Path, fake_index_template: Path) -> Settings:
    """Settings for a copy of the plan in tmp_path with its fake-embedder index (copied: a build is 0.2 s)."""
    shutil.copytree(fake_index_template / "corpus", tmp_path / "corpus")
    shutil.copytree(fake_index_template / "index", tmp_path / "index")
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", embedder="e5")


def wait_until(condition: object, what: str, timeout: float = 60.0) -> None:
    """Poll until condition() is true; fail naming what was awaited (a generous bound, never a sleep)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


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
