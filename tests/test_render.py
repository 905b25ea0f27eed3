"""webapp/render.py without gradio: escaping, highlighting, chat text, cards and the outline tree."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, nid

import qa
from webapp import render

SCRIPT = "<script>alert(1)</script>"
P2P_LABEL = "二、重点行动 › （四）互联网+金融 › 行动任务 › 规范发展网络借贷服务"


def test_render_imports_without_gradio():
    code = "import sys, webapp.render; print('gradio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_highlight_merges_overlapping_quotes_without_nesting():
    assert render.highlight("甲乙丙丁戊", ["甲乙", "乙丙", "戊"]) == "<mark>甲乙丙</mark>丁<mark>戊</mark>"
    assert render.highlight("甲乙丙", ["甲", "乙"]) == "<mark>甲乙</mark>丙"  # touching quotes share one mark
    assert render.highlight("a<b", ["<"]) == "a<mark>&lt;</mark>b"
    assert render.highlight("无引文", []) == "无引文"


def test_answer_text_shows_as_itself_not_as_markdown():
    assert render.chat_text("牵头：\n1. 推进[1]\n参与：\n4. 培育[4]") == "牵头：\n1\\. 推进[1]\n参与：\n4\\. 培育[4]"
    assert render.chat_text("# 一 *二* _三_ $$x$$") == "\\# 一 \\*二\\* \\_三\\_ \\$\\$x\\$\\$"


def test_a_markdown_image_in_a_question_becomes_plain_text():
    shown = render.shown_question("![x](http://127.0.0.1:9/x.png)")
    assert shown == "\\!\\[x\\](http://127.0.0.1:9/x.png)"
    assert render.shown_question(SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_long_text_is_cut_to_a_prefix_with_its_length():
    assert render.prefix("网贷" * 2500) == "网贷" * 150 + "……（共 5000 字）"
    assert render.prefix("短") == "短"
    assert len(render.shown_question("x" * 30_000_000)) < 400


def test_department_line_marks_the_lead_and_escapes_names():
    dept = qa.Department(name="<b>厅</b>", english="x", lead=True, joint=False)
    other = qa.Department(name="省商务厅", english="Commerce", lead=False, joint=False)
    assert render.departments_line([dept, other]) == "部门：&lt;b&gt;厅&lt;/b&gt;（牵头）、省商务厅"
    assert render.departments_line([]) == ""


def test_sources_panel_escapes_plan_text_and_marks_quotes():
    answer = qa.Answer(question=SCRIPT, answer="a", intent="lead", citations=(
        qa.Citation(n=1, id="nowhere", label=SCRIPT, text=f"前文{SCRIPT}后文。", quotes=(SCRIPT,)),))
    html = render.sources_html({}, answer)
    assert "<script" not in html
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in html
    assert "没有可引用" in render.sources_html({}, qa.Answer(question="q", answer="a", intent="general"))


def test_sources_panel_shows_the_whole_cited_item_with_its_lead(assistant):
    answer = assistant.ask("网贷平台跑路了找哪个部门？")
    html = render.sources_html(assistant.nodes, answer)
    assert P2P_LABEL in html and "省金融办（牵头）" in html
    for quote in answer.citations[0].quotes:
        assert f"<mark>{render.esc(quote)}</mark>" in html


def test_outline_tree_nests_every_node(assistant):
    html = render.outline_html(assistant.nodes)
    assert html.count("<details>") == len(assistant.nodes)
    assert "互联网+金融" in html and "牵头：省金融办" in html


def test_entry_card_lists_the_entries_under_it(assistant):
    section = assistant.node(nid("P2.G4.S2"))
    html = render.entry_html(section, assistant.children(section.id))
    assert "规范发展网络借贷服务" in html and "下级条目" in html


def test_department_card_counts_leads_and_shares(assistant):
    leads, shares = assistant.department_tasks("省农业厅")
    html = render.department_html("省农业厅", leads, shares)
    assert "牵头的任务（3）" in html and "参与的任务（3）" in html and html.count("<details") == 6
    assert "是不是：省财政厅？" in render.unknown_department_html("财政", ["省财政厅"])
    assert "&lt;script&gt;" in render.unknown_department_html(SCRIPT, [])


def test_status_line_names_the_plan_and_counts():
    assert render.status_line(["计划"], 83, 41) == "已载入《计划》：83 项任务，41 个部门。"
