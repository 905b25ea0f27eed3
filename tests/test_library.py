"""The library: qa add / remove / list / outline, incremental indexing, the document filter, HNSW recall."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import PLAN, ROOT, FakeEmbedder

from qa import Assistant, PlanError, Settings
from qa import index as ix
from qa.library import add, documents, outline, remove, summary

MORE = ROOT / "tests" / "fixtures" / "corpus-more"
GUOFA_42 = MORE / "guofa-2018-42-agricultural-mechanization.html"
GUOBANFA_121 = MORE / "guobanfa-2018-121-sports-events.html"
GUOBANFA_129 = MORE / "guobanfa-2018-129-consumption-poverty-alleviation.html"
PLAN_QUESTIONS = ["网贷平台跑路了找哪个部门？", "智能示范车间的目标是多少？", "谁牵头跨境电子商务？",
                  "省金融办负责哪些任务？", "互联网+农业有哪些任务？"]


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting every passage it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.passages = 0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.passages += len(texts)
        return super().embed_passages(texts)


def library(tmp_path: Path, *files: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in files:
        shutil.copy(f, corpus / f.name)
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedder="e5")


def answers(assistant: Assistant) -> list[dict]:
    return [assistant.ask(q).to_json() for q in PLAN_QUESTIONS]


def test_adding_one_document_to_a_library_of_three_embeds_under_a_third_of_a_full_build(tmp_path):
    settings = library(tmp_path, PLAN, GUOFA_42, GUOBANFA_129)
    embedder = CountingEmbedder()
    ix.build(settings, show_bar=False, embedder=embedder)
    embedder.passages = 0
    change = add(settings, [GUOBANFA_121], embedder=embedder)
    added = embedder.passages
    assert change.added == change.embedded == (GUOBANFA_121.stem,) and change.documents == 4
    assert change.passages_embedded == added
    embedder.passages = 0
    ix.build(settings, show_bar=False, embedder=embedder, full=True)  # the same four, all embedded again
    assert added <= embedder.passages / 3, (added, embedder.passages)
    assert (settings.corpus_dir / GUOBANFA_121.name).read_bytes() == GUOBANFA_121.read_bytes()


def test_an_incremental_index_equals_a_full_rebuild(tmp_path):
    settings = library(tmp_path, PLAN, GUOFA_42)
    embedder = CountingEmbedder()
    ix.build(settings, show_bar=False, embedder=embedder)
    add(settings, [GUOBANFA_121], embedder=embedder)
    step = ix.load(settings, rebuild=False, embedder=embedder)
    ix.build(settings, show_bar=False, embedder=embedder, full=True)
    whole = ix.load(settings, rebuild=False, embedder=embedder)
    assert step.chunks == whole.chunks and step.sentences == whole.sentences
    assert np.array_equal(step.dense.reconstruct_n(0, step.dense.ntotal), whole.dense.reconstruct_n(0, whole.dense.ntotal))
    assert np.array_equal(step.sentence_vectors, whole.sentence_vectors)
    assert step.doc_rows == whole.doc_rows
    assert [step.chunks[lo].node_id.split("/")[0] for lo, _ in step.doc_rows.values()] == list(step.doc_rows)


def test_a_changed_file_is_re_indexed_alone(tmp_path):
    settings = library(tmp_path, PLAN, GUOFA_42, GUOBANFA_121)
    embedder = CountingEmbedder()
    ix.build(settings, show_bar=False, embedder=embedder)
    page = settings.corpus_dir / GUOBANFA_121.name
    page.write_text(page.read_text(encoding="utf-8").replace("职业联赛", "职业联赛体系"), encoding="utf-8")
    index = ix.load(settings, embedder=embedder)  # stale: rebuilt, but only the changed page is embedded
    assert index.manifest["documents_embedded"] == [GUOBANFA_121.stem]
    assert any("职业联赛体系" in c.text for c in index.chunks)


def test_a_corrupt_document_store_is_embedded_again_and_the_others_reused(tmp_path):
    settings = library(tmp_path, PLAN, GUOFA_42)
    embedder = CountingEmbedder()
    folder = ix.build(settings, show_bar=False, embedder=embedder)
    (folder / "docs" / GUOFA_42.stem / "dense.npy").write_bytes(b"\x00garbage")
    manifest = json.loads((ix.build(settings, show_bar=False, embedder=embedder) / "manifest.json").read_text("utf-8"))
    assert manifest["documents_embedded"] == [GUOFA_42.stem]


def test_a_bad_file_is_refused_by_name_and_line_and_changes_nothing(tmp_path):
    settings = library(tmp_path, PLAN)
    embedder = CountingEmbedder()
    folder = ix.build(settings, show_bar=False, embedder=embedder)
    before = (folder / "manifest.json").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes("山东省人民政府\n".encode() + "乱码".encode("gb18030"))
    with pytest.raises(PlanError, match=r"bad\.txt:2: not UTF-8"):
        add(settings, [GUOFA_42, bad], embedder=embedder)
    unknown = tmp_path / "notes.xlsx"
    unknown.write_bytes(b"PK")
    with pytest.raises(PlanError, match=r"notes\.xlsx: unknown file type '\.xlsx'"):
        add(settings, [unknown], embedder=embedder)
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == [PLAN.name]
    assert (folder / "manifest.json").read_bytes() == before
    assert ix.check(settings) is None


def test_removing_documents_leaves_the_plan_s_answers_unchanged(tmp_path):
    settings = library(tmp_path, PLAN)
    embedder = CountingEmbedder()
    alone = answers(Assistant(settings, embedder=embedder))
    add(settings, [GUOFA_42, GUOBANFA_121, GUOBANFA_129], embedder=embedder)
    assert len(Assistant(settings, embedder=embedder).docs) == 4
    for doc in (GUOFA_42.stem, GUOBANFA_121.stem):
        change = remove(settings, doc, embedder=embedder)
        assert change.embedded == () and change.passages_embedded == 0  # nothing re-embedded to remove
    remove(settings, GUOBANFA_129.stem, embedder=embedder)
    assert answers(Assistant(settings, embedder=embedder)) == alone
    assert [p.name for p in (ix.index_folder(settings) / "docs").iterdir()] == [PLAN.stem]
    with pytest.raises(ValueError, match="only document"):
        remove(settings, PLAN.stem, embedder=embedder)
    with pytest.raises(ValueError, match=f"unknown document 'nope'; the library holds: {PLAN.stem}"):
        remove(settings, "nope", embedder=embedder)


def test_the_document_filter_keeps_hits_to_one_document(tmp_path):
    settings = library(tmp_path, PLAN, GUOFA_42, GUOBANFA_121)
    assistant = Assistant(settings, embedder=CountingEmbedder())
    question = "谁负责职业联赛？"
    for doc in assistant.doc_ids():
        for retriever in ("hybrid", "dense", "bm25"):
            hits = assistant.search(question, k=5, retriever=retriever, doc=doc)
            assert hits and all(h.node_id.startswith(f"{doc}/") for h in hits)
    top = assistant.search(question, k=1, doc=GUOBANFA_121.stem)[0]
    assert "职业" in top.text and [d.name for d in top.departments][:1] == ["体育总局"]
    with pytest.raises(ValueError, match="unknown document 'nope'; the library holds: guobanfa-2018-121"):
        assistant.search(question, doc="nope")
    with pytest.raises(ValueError, match="unknown document 'nope'"):
        assistant.ask(question, doc="nope")


def test_list_gives_title_number_date_task_count_and_departments(tmp_path):
    settings = library(tmp_path, PLAN, GUOFA_42, GUOBANFA_121, GUOBANFA_129)
    rows = {r["id"]: r for r in map(summary, documents(settings))}
    assert {k: (r["number"], r["date"], r["tasks"]) for k, r in rows.items()} == {
        PLAN.stem: ("鲁政发〔2016〕14号", "2016年6月2日", 56),
        GUOFA_42.stem: ("国发〔2018〕42号", "2018年12月21日", 18),
        GUOBANFA_121.stem: ("国办发〔2018〕121号", "2018年12月11日", 21),
        GUOBANFA_129.stem: ("国办发〔2018〕129号", "2018年12月30日", 17),
    }
    assert rows[GUOBANFA_121.stem]["departments"][:3] == ["体育总局", "民政部", "人力资源社会保障部"]
    assert rows[GUOFA_42.stem]["title"] == "国务院关于加快推进农业机械化和农机装备产业转型升级的指导意见"


def test_outline_names_each_node_s_document_departments_in_order_and_lead_or_null(tmp_path):
    settings = library(tmp_path, PLAN, GUOFA_42, GUOBANFA_121)
    docs = documents(settings)
    every = outline(docs)
    assert len(every) == sum(len(d.nodes) for d in docs)
    assert {n["doc"] for n in every} == {d.key for d in docs}
    one = {n["id"].split("/")[1]: n for n in outline(docs, doc=GUOBANFA_121.stem)}
    assert {n["doc"] for n in one.values()} == {GUOBANFA_121.stem}
    assert (one["P2.G1"]["departments"], one["P2.G1"]["lead"]) == (["体育总局", "民政部", "人力资源社会保障部"], None)
    assert one["P2.G3"]["lead"] == "体育总局"  # named alone
    agri = {n["id"].split("/")[1]: n for n in outline(docs, doc=GUOFA_42.stem)}
    assert agri["P2.G1"]["departments"][0] == agri["P2.G1"]["lead"] == "工业和信息化部"
    with pytest.raises(ValueError, match="unknown document 'x'"):
        outline(docs, doc="x")


def test_cli_list_outline_add_remove_and_doc_filter(tmp_path, monkeypatch, capsys):
    from qa import cli, embed

    settings = library(tmp_path, PLAN)
    monkeypatch.setenv("QA_CORPUS", str(settings.corpus_dir))
    monkeypatch.setenv("QA_INDEX", str(settings.index_dir))
    monkeypatch.setattr(embed, "make_embedder", lambda spec, first=None: FakeEmbedder())
    monkeypatch.setattr(ix, "make_embedder", lambda spec, first=None: FakeEmbedder())
    assert cli.main(["add", str(GUOBANFA_121)]) == 0
    assert f"added {GUOBANFA_121.stem}; library: 2 documents" in capsys.readouterr().out
    assert cli.main(["list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["id"], r["tasks"]) for r in rows] == [(GUOBANFA_121.stem, 21), (PLAN.stem, 56)]
    assert cli.main(["outline", "--json", "--doc", GUOBANFA_121.stem]) == 0
    nodes = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert nodes and all(n["doc"] == GUOBANFA_121.stem and "lead" in n for n in nodes)
    assert cli.main(["search", "--json", "--doc", GUOBANFA_121.stem, "谁负责职业联赛？"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits and all(h["id"].startswith(GUOBANFA_121.stem) for h in hits)
    assert cli.main(["search", "--doc", "nope", "职业联赛"]) == 2
    assert f"unknown document 'nope'; the library holds: {GUOBANFA_121.stem}, {PLAN.stem}" in capsys.readouterr().err
    assert cli.main(["ask", "--doc", "nope", "职业联赛"]) == 2
    assert cli.main(["remove", GUOBANFA_121.stem]) == 0
    assert "removed" in capsys.readouterr().out
    assert [p.name for p in settings.corpus_dir.iterdir()] == [PLAN.name]


def test_hnsw_recall_at_10_against_exact_is_at_least_0_99():
    rng = np.random.default_rng(7)
    # clustered unit vectors, like chunks of related documents, and queries near them
    centres = rng.normal(size=(60, 64))
    vectors = centres[rng.integers(0, 60, 4000)] + 0.6 * rng.normal(size=(4000, 64))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = centres[rng.integers(0, 60, 100)] + 0.6 * rng.normal(size=(100, 64))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    settings = Settings(ann_threshold=1000)
    approx = ix.dense_index(vectors, settings)
    exact = ix.dense_index(vectors, settings.with_(ann_threshold=10**9))
    assert type(approx).__name__ == "IndexHNSWFlat" and type(exact).__name__ == "IndexFlatIP"
    _, want = exact.search(queries, 10)
    _, got = approx.search(queries, 10)
    recall = np.mean([len(set(w) & set(g)) / 10 for w, g in zip(want, got, strict=True)])
    assert recall >= 0.99, recall


def test_a_library_above_the_threshold_searches_an_hnsw_index(tmp_path):
    settings = library(tmp_path, PLAN, GUOBANFA_121).with_(ann_threshold=50)
    assistant = Assistant(settings, embedder=CountingEmbedder())
    assert assistant.index.manifest["dense_index"] == "hnsw"
    exact = Assistant(settings.with_(ann_threshold=10**6, index_dir=tmp_path / "exact"), embedder=CountingEmbedder())
    assert exact.index.manifest["dense_index"] == "flat"
    for question in PLAN_QUESTIONS:
        assert [h.id for h in assistant.search(question)] == [h.id for h in exact.search(question)]
