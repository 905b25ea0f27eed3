"""qa/views.py: the department line shared by the CLI and the app, typed-name matches and topic lookups."""

from __future__ import annotations

from qa.records import Department
from qa.views import departments_line, matching_departments, topic_tasks

FINANCE = Department(name="省金融办", english="Shandong Financial Affairs Office", lead=True, joint=False)
BANK = Department(name="人民银行济南分行", english="People's Bank of China, Jinan Branch", lead=False, joint=False)


def test_department_line_marks_the_lead_in_chinese_and_english():
    assert departments_line([FINANCE, BANK]) == "部门：省金融办（牵头）、人民银行济南分行"
    assert departments_line([FINANCE], english=True) == "Departments: 省金融办 (Shandong Financial Affairs Office, lead)"
    assert departments_line([]) == ""


def test_the_cli_prints_the_same_department_line(assistant):
    from qa.cli import _hits_text

    hit = assistant.search("网贷平台跑路了找哪个部门？", k=1)[0]
    assert departments_line(hit.departments) in _hits_text("q", [hit])


def test_typed_names_match_contained_names_first_then_close_ones():
    names = ["省金融办", "省财政厅", "省发展改革委"]
    assert matching_departments("金融", names) == ["省金融办"]
    assert matching_departments("省发展改革委员会", names) == ["省发展改革委"]
    assert matching_departments("  ", names) == []


def test_topic_tasks_are_items_with_departments_lead_first(assistant):
    hits = topic_tasks(assistant, "跨境电子商务", k=5)
    assert hits and all(h.departments for h in hits)
    assert "跨境电子商务" in hits[0].label and hits[0].departments[0].name == "省商务厅"
