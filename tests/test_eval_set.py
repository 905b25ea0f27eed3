"""eval/qa.jsonl is valid against the current parse of the plan."""

from __future__ import annotations

from collections import Counter

from conftest import QA_FILE

from qa.departments import find_in_text
from qa.evaluate import TYPES, load_questions


def test_question_set_is_large_typed_and_unique():
    rows = load_questions(QA_FILE)
    assert len(rows) >= 150
    assert len({r.id for r in rows}) == len(rows)
    counts = Counter(r.type for r in rows)
    assert set(counts) == set(TYPES)
    assert sum(r.fixed for r in rows) >= 40


def test_the_test_split_has_every_kind_the_answer_layer_is_measured_on():
    test = [r for r in load_questions(QA_FILE) if r.split == "test"]
    assert len(test) >= 200
    counts = Counter((r.type, r.lang if r.type == "unanswerable" else "") for r in test)
    minimum = {("detail", ""): 60, ("twopart", ""): 25, ("english", ""): 25, ("unanswerable", "en"): 25,
               ("unanswerable", "zh"): 20, ("followup", ""): 20, ("target", ""): 20}
    assert {k: counts[k] for k in minimum} == {k: max(counts[k], v) for k, v in minimum.items()}
    assert all(r.gold_sentences for r in test if r.type != "unanswerable")


def test_every_gold_sentence_is_verbatim_in_a_gold_item_and_holds_the_facts(assistant):
    for row in load_questions(QA_FILE):
        if not row.gold_sentences:
            continue
        texts = [assistant.node(g).text for g in row.gold]
        assert all(any(s in t for t in texts) for s in row.gold_sentences), row.id
        names = {d.name for g in row.gold for d in assistant.node(g).departments}
        assert all(any(f in s for s in row.gold_sentences) or f in names for f in row.facts), row.id


def test_every_gold_id_exists_and_every_fact_is_in_a_gold_item(assistant):
    rows = load_questions(QA_FILE)
    for row in rows:
        for gold in row.gold:
            assert gold in assistant.nodes, (row.id, gold)
        if row.type == "outline":
            labels = " ".join(n.label for n in assistant.nodes.values())
            assert all(f in labels for f in row.facts), row.id
            continue
        for fact in row.facts:
            assert any(fact in assistant.node(g).text or fact == assistant.node(g).title
                       or fact in [d.name for d in assistant.node(g).departments] for g in row.gold), (row.id, fact)
        if row.type == "unanswerable":
            assert not row.gold and not row.facts
        # a conversation ends in a follow-up, or in an off-topic question the plan cannot answer (test4)
        assert not row.history or row.type in ("followup", "unanswerable"), row.id


def test_every_action_and_measure_group_is_covered(assistant):
    rows = load_questions(QA_FILE)
    groups = [n.id for n in assistant.nodes.values() if n.kind == "group"]
    assert len(groups) == 15
    for group in groups:
        assert sum(any(g.startswith(group + ".") for g in r.gold) for r in rows) >= 2, group


def test_reverse_questions_list_every_task_of_their_department(assistant):
    for row in load_questions(QA_FILE):
        if row.type == "reverse":
            department = find_in_text(row.question)[0]
            leads, shares = assistant.department_tasks(department)
            assert {n.id for n in leads + shares} == set(row.gold), row.id
