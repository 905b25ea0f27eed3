"""The benchmark's served-app and one-shot sections, run small: they start real processes (e2e)."""

from __future__ import annotations

from qa.bench import load_test, one_shot_vs_floor, table


def test_load_section_starts_the_app_and_every_concurrent_call_is_answered(assistant, settings):
    questions = ["网贷平台跑路了找哪个部门？", "到2018年要建多少个智能示范车间？", "Who leads the smart tourism platform?"]
    result = load_test(settings, questions, clients=(1, 5), sequential=3)
    assert [(n, r["answered"], r["sent"]) for n, r in result["concurrent"].items()] == [("1", 1, 1), ("5", 5, 5)]
    assert all(r["throughput_qps"] > 0 and r["latency_s"]["max"] >= r["latency_s"]["median"]
               for r in result["concurrent"].values())
    assert result["app_cold_start_s"] >= result["app_start_http_s"] > 0 and result["sequential_s"]["n"] == 3


def test_one_shot_ask_is_timed_against_its_floor_in_pairs(assistant, settings):
    result = one_shot_vs_floor(settings, runs=2)
    assert result["ask_s"]["n"] == result["floor_s"]["n"] == result["floor_one_thread_s"]["n"] == 2
    best = min(result["floor_s"]["median"], result["floor_one_thread_s"]["median"])
    assert abs(result["ratio"] - result["ask_s"]["median"] / best) < 0.02


def test_the_table_shows_the_load_rounds_and_the_one_shot_ratio():
    spread = {"median": 0.1, "p95": 0.2, "max": 0.3, "n": 5}
    result = {
        "machine": {"cpus": 2, "platform": "Linux", "python": "3.11", "load_average": [1.0, 1.0, 1.0]},
        "embedder": "e5", "embed_threads": 2, "embed_threads_dynamic": True, "questions": 3, "repeat": 1,
        "index_build_s": 1.0, "chunks": 73, "cold_start": {"median_s": 0.3, "runs": 3},
        "latency_ms": {"embed_query": {"p50": 8.0, "p95": 9.0, "n": 3}},
        "search_over_embed_p50": 1.1, "search_over_embed_pairs": {"median": 1.1, "p95": 1.3},
        "one_shot": {"ask_s": spread, "floor_s": spread, "floor_one_thread_s": spread, "ratio": 1.0,
                     "pair_ratio_median": 1.0},
        "load": {"app_cold_start_s": 3.0, "sequential_s": spread,
                 "concurrent": {"50": {"answered": 50, "sent": 50, "throughput_qps": 40.0, "latency_s": spread}}},
        "peak_rss_mb": {"bench": 300, "cold_start_process": 250},
    }
    text = table(result)
    assert "| 50 | 50/50 | 40.0 q/s | 0.1 s | 0.2 s | 0.3 s |" in text
    assert "| one-shot ÷ the faster floor (medians; per round median), 5 interleaved rounds | 1.0× (1.0×) |" in text
    assert "2 engine threads, or 1 when measurably faster" in text


def test_load_rounds_ask_each_question_once_while_the_set_lasts():
    from qa.bench import _unasked

    assert _unasked(["a", "b", "a", "c"], 3) == ["a", "b", "c"]  # a repeat in the set is not asked twice
    assert _unasked(["a", "b"], 3) == ["a", "b", "a"]  # past the end it must repeat
