"""Shared fixtures: the real plan, the real default embedder, and one index built per test session."""

from __future__ import annotations

import json
import logging
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
