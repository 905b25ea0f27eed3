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
        assert bool(row.history) == (row.type == "followup"), row.id


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
