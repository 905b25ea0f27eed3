"""The embedding worker: one thread owns the engine; callers arriving together share one batch."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest
from conftest import wait_until

from qa.embed import BatchingWorker, ThreadTuner, engine_threads


class GatedEngine:
    """An engine whose first call waits for a gate, so that later callers queue up behind it."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.batches: list[list[str]] = []

    def __call__(self, texts: list[str], is_query: bool) -> np.ndarray:
        self.entered.set()
        self.gate.wait()
        self.batches.append(list(texts))
        return np.array([[len(t), float(is_query)] for t in texts], dtype=np.float32)


def test_callers_arriving_while_the_engine_is_busy_are_embedded_in_one_batch():
    engine = GatedEngine()
    worker = BatchingWorker(engine)
    results: dict[str, np.ndarray] = {}

    def ask(text):
        results[text] = worker.embed([text], True)

    first = threading.Thread(target=ask, args=("a",))
    first.start()
    assert engine.entered.wait(30)
    others = [threading.Thread(target=ask, args=("b" * n,)) for n in range(2, 12)]
    for t in others:
        t.start()
    wait_until(lambda: worker._jobs.qsize() == 10, "ten callers queued behind the busy engine")
    engine.gate.set()
    for t in [first, *others]:
        t.join()
    assert engine.batches[0] == ["a"] and len(engine.batches) == 2 and len(engine.batches[1]) == 10
    assert all(results[text].tolist() == [[len(text), 1.0]] for text in results)  # each gets its own rows


def test_queries_and_passages_queued_together_keep_their_own_mode():
    engine = GatedEngine()
    worker = BatchingWorker(engine)
    blocker = worker.submit(["x"], True)
    assert engine.entered.wait(30)
    query, passage = worker.submit(["qq"], True), worker.submit(["ppp", "pp"], False)
    engine.gate.set()
    assert blocker.result(30).tolist() == [[1, 1.0]]
    assert query.result(30).tolist() == [[2, 1.0]] and passage.result(30).tolist() == [[3, 0.0], [2, 0.0]]


def test_an_engine_error_reaches_every_caller_of_the_batch_and_the_worker_goes_on():
    calls = []

    def engine(texts, is_query):
        calls.append(texts)
        if len(calls) == 1:
            raise MemoryError("simulated")
        return np.ones((len(texts), 2), dtype=np.float32)

    worker = BatchingWorker(engine)
    with pytest.raises(MemoryError, match="simulated"):
        worker.embed(["a"], True)
    assert worker.embed(["b"], True).shape == (1, 2)


def test_the_engine_thread_count_comes_from_the_environment_or_the_cpus(monkeypatch):
    monkeypatch.setenv("QA_EMBED_THREADS", "1")
    assert engine_threads() == (1, False)  # a fixed count
    monkeypatch.delenv("QA_EMBED_THREADS")
    assert engine_threads() == (os.cpu_count(), True)  # one per CPU, tuned per batch
    monkeypatch.setenv("QA_EMBED_THREADS", "two")
    with pytest.raises(ValueError, match="QA_EMBED_THREADS='two' is not a whole number"):
        engine_threads()


def test_concurrent_real_queries_get_the_same_vectors_as_one_at_a_time():
    from qa.embed import make_embedder

    embedder = make_embedder("e5")
    questions = [f"第{i}个问题：网贷平台跑路了找哪个部门？" for i in range(12)]
    alone = np.vstack([embedder.embed_queries([q]) for q in questions])
    together: list[np.ndarray | None] = [None] * len(questions)

    def ask(i):
        together[i] = embedder.embed_queries([questions[i]])[0]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(questions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert np.allclose(np.vstack(together), alone, atol=1e-6)


def test_the_tuner_keeps_the_faster_count_and_retries_the_other_ever_more_rarely():
    tuner = ThreadTuner(2, explore=4, most_wait=32)
    seconds_per_char = {2: 0.004, 1: 0.001}  # a busy machine: one thread is faster

    def run(batches):
        picks = []
        for _ in range(batches):
            threads = tuner.pick()
            picks.append(threads)
            tuner.record(threads, seconds_per_char[threads] * 10, 10)
        return picks

    picks = run(100)
    assert picks[:2] == [2, 1]  # each measured once
    tries = [i for i, t in enumerate(picks) if t == 2][1:]
    assert tries == [4, 13, 30, 63, 96]  # the first at batch 4, then waits of 8, 16, 32, 32 after each loss
    seconds_per_char = {2: 0.0005, 1: 0.001}  # the neighbours left: two threads win again
    picks = run(40)
    assert picks[-5:] == [2] * 5 and picks.count(1) <= 33


def test_on_a_busy_machine_the_tuner_measures_one_thread_first():
    assert ThreadTuner(2, busy=True).pick() == 1 and ThreadTuner(2).pick() == 2


def test_a_one_cpu_tuner_has_nothing_to_choose():
    tuner = ThreadTuner(1)
    assert tuner.choices == (1,) and tuner.pick() == 1


def test_a_question_embedded_first_is_taken_once_and_equals_a_fresh_embedding():
    from qa.embed import E5Embedder, make_embedder

    question = "网贷平台跑路了找哪个部门？"
    early = E5Embedder(first=[question])  # what a one-shot `qa ask` starts the engine with
    assert list(early._prefetched) == [question]
    first = early.embed_queries([question])
    assert early._prefetched == {}  # taken, not kept: a later call embeds afresh
    fresh = make_embedder("e5").embed_queries([question])
    assert np.allclose(first, fresh, atol=1e-5) and first.shape == (1, early.dim)
    assert np.allclose(early.embed_queries([question]), fresh, atol=1e-5)
