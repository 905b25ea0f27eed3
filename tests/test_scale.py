"""The scale benchmark's parts: synthetic copies of the real documents, and the embedder that reuses vectors."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import FakeEmbedder

from qa.ingest import read_document
from qa.scale import ReusingEmbedder, recall_at_k, write_library


def test_synthetic_copies_parse_with_their_own_number_and_title_and_the_source_s_tasks(tmp_path):
    paths = write_library(tmp_path, 8)
    docs = [read_document(p) for p in paths]
    assert len({d.number for d in docs}) == len({d.title for d in docs}) == 8
    assert docs[0].number == "鲁政发〔2016〕1000号" and "（样本0）" in docs[0].title
    tasks = [sum(1 for n in d.nodes if n.departments) for d in docs]
    assert tasks[:4] == tasks[4:] and sorted(tasks[:4]) == [17, 18, 21, 56]  # as the four real documents


def test_the_reusing_embedder_embeds_each_passage_once_and_gives_copies_distinct_unit_vectors():
    inner = FakeEmbedder()
    reusing = ReusingEmbedder(inner)
    texts = ["标题一 › （一）\n推进智能制造", "标题二 › （一）\n推进智能制造", "推进智能制造", "推进智能制造"]
    vectors = reusing.embed_passages(texts)
    assert reusing.real == 1 and reusing.reused == 3  # the breadcrumb line is not part of a passage's key
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], inner.embed_passages([texts[0]])[0])
    assert not np.allclose(vectors[0], vectors[1]) and float(vectors[0] @ vectors[1]) > 0.99
    assert not np.allclose(vectors[2], vectors[3])


def test_recall_at_k_counts_the_shared_ids_per_query():
    assert recall_at_k(np.array([[1, 2, 3, 4]]), np.array([[4, 3, 9, 8]])) == 0.5


def test_distinct_passage_recall_counts_copies_of_one_passage_once():
    from qa.scale import recall_distinct

    texts = ["a", "a", "b", "c", "c", "d"]
    # exact: a, a(copy), b, c → distinct a, b, c; approx: a(other copy), c, d → distinct a, c, d
    assert recall_distinct(np.array([[0, 1, 2, 3]]), np.array([[1, 4, 5, -1]]), texts, k=3) == pytest.approx(2 / 3)


def test_recall_within_epsilon_counts_near_ties_as_hits():
    from qa.scale import recall_within

    vectors = np.array([[1.0, 0.0], [0.99995, 0.01], [0.0, 1.0]], dtype=np.float32)
    query = np.array([[1.0, 0.0]], dtype=np.float32)
    exact_scores = np.array([[1.0]], dtype=np.float32)  # k = 1: the exact best scores 1.0
    assert recall_within(exact_scores, np.array([[1]]), vectors, query) == 1.0  # 0.99995: a near-tie
    assert recall_within(exact_scores, np.array([[2]]), vectors, query) == 0.0  # 0.0: a miss
