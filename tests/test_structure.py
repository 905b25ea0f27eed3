"""The plan parses into its real tree, with metadata, ids, labels and departments."""

from __future__ import annotations

import shutil

import pytest
from conftest import PLAN, nid

from qa import PlanError
from qa.departments import GLOSSES, find_in_text, gloss, mentions, normalize
from qa.structure import fold_lookalikes, parse_plan


@pytest.fixture(scope="module")
def doc():
    return parse_plan(PLAN)


def kinds(doc, kind, prefix=""):
    return [n for n in doc.nodes if n.kind == kind and n.id.startswith(nid(prefix))]


def test_metadata_is_kept_and_page_chrome_is_stripped(doc):
    assert doc.title == "山东省“互联网+”行动计划（2016-2018年）"
    assert doc.number == "鲁政发〔2016〕14号"
    assert doc.issuer == "山东省人民政府"
    assert doc.date == "2016年6月2日"
    assert doc.meta["发布日期"] == "2016-06-06"
    assert doc.meta["抄送"].startswith("省委各部门")
    all_text = "".join(n.text for n in doc.nodes if n.kind != "document")
    for chrome in ("行业动态", "当前位置", "点击", "抄送"):
        assert chrome not in all_text


def test_plan_has_three_parts_ten_actions_and_five_measure_groups(doc):
    parts = kinds(doc, "part")
    assert [p.label for p in parts] == ["一、总体目标", "二、重点行动", "三、保障措施"]
    actions = kinds(doc, "group", "P2.")
    assert len(actions) == 10
    assert actions[0].label.endswith("（一）互联网+制造") and actions[9].label.endswith("（十）互联网+政务")
    assert len(kinds(doc, "group", "P3.")) == 5


def test_every_task_and_measure_is_found_with_at_least_one_department(doc):
    tasks = [n for n in kinds(doc, "item", "P2.")]
    measures = kinds(doc, "section", "P3.")
    assert len(tasks) == 40
    assert len(measures) == 16
    assert all(n.departments for n in tasks + measures)
    assert len(kinds(doc, "item", "P1.")) == 4  # the four overall goals


@pytest.mark.parametrize(
    ("path", "lead", "title"),
    [
        ("P2.G1.S2.I1", "省经济和信息化委", "推广开放式研发设计"),
        ("P2.G2.S2.I1", "省农业厅", "推进农业生产精准化智能化"),
        ("P2.G4.S2.I3", "省金融办", "规范发展网络借贷服务"),
        ("P2.G4.S2.I4", "山东证监局", "开展互联网私募股权融资试点"),
        ("P2.G7.S2.I3", "省商务厅", "加快跨境电子商务发展"),
        ("P2.G10.S2.I4", "省经济和信息化委", "推动跨部门信息资源共享"),
        ("P3.G2.S1", "省财政厅", "加大财政资金支持力度"),
        ("P3.G4.S3", "省委组织部", "完善人才引进激励机制"),
    ],
)
def test_lead_department_is_the_first_listed(doc, path, lead, title):
    node = doc.node(nid(path))
    assert node.title == title
    assert node.lead.name == lead and node.lead.lead
    assert not any(d.lead for d in node.departments[1:])


def test_breadcrumb_label_names_part_action_section_and_task(doc):
    node = doc.node(nid("P2.G2.S2.I1"))
    assert node.label == "二、重点行动 › （二）互联网+农业 › 行动任务 › 推进农业生产精准化智能化"
    assert doc.node(nid("P2.G1.S1")).label == "二、重点行动 › （一）互联网+制造 › 行动目标"
    assert doc.node(nid("P3.G1.S1")).label == "三、保障措施 › （一）完善基础支撑，提高服务能力 › 强化网络基础设施保障"


def test_jointly_responsible_departments_are_marked(doc):
    logistics = doc.node(nid("P2.G6.S2.I1"))
    assert [d.name for d in logistics.departments] == ["省发展改革委", "省经济和信息化委", "省农业厅", "省商务厅"]
    assert all(d.joint for d in logistics.departments)
    assert not any(d.joint for d in doc.node(nid("P2.G6.S2.I2")).departments)


def test_heading_alone_on_its_line_takes_the_following_paragraph(doc):
    goal = doc.node(nid("P2.G10.S1"))
    assert goal.title == "行动目标"
    assert goal.text.startswith("到2018年，建成全省统一的政府网站技术平台")


def test_half_width_and_full_width_punctuation_parse_alike(doc):
    # the capture writes (一) and , ; the parsed text uses the full-width forms throughout
    node = doc.node(nid("P2.G1.S2.I1"))
    assert "(" not in node.text and "," not in node.text
    assert node.text.endswith("（省经济和信息化委、省发展改革委、省科技厅等负责，列第一位者为牵头部门，下同）")


def test_ids_are_the_same_on_every_parse(doc):
    again = parse_plan(PLAN)
    assert [n.id for n in again.nodes] == [n.id for n in doc.nodes]


def test_department_aliases_normalise_and_every_plan_department_has_a_gloss(doc):
    assert normalize("省发改委") == "省发展改革委"
    assert normalize("省经信委") == "省经济和信息化委"
    assert normalize("人行济南分行") == "人民银行济南分行"
    named = {d.name for n in doc.nodes for d in n.departments}
    assert named <= set(GLOSSES)
    assert gloss("省商务厅") == "Shandong Department of Commerce"
    assert find_in_text("省发改委和人行济南分行管什么") == ["省发展改革委", "人民银行济南分行"]
    # a provincial name asked without its 省 is that department; a longer name wins over one inside it
    assert find_in_text("林业厅、海洋渔业厅也管吗") == ["省林业厅", "省海洋与渔业厅"]
    assert mentions("发改委和省发改委") == [("发改委", "省发展改革委"), ("省发改委", "省发展改革委")]


SECOND_PLAN = """\
门户网站
当前位置:首页>>通知
某某市人民政府关于印发某某市智慧城市行动方案(2017-2019年)的通知
某政发〔2017〕3号
各区县人民政府:
  现将《某某市智慧城市行动方案(2017-2019年)》印发给你们,请认真贯彻落实。
某某市人民政府
2017年3月1日
一、主要目标
  到2019年,智慧城市框架基本形成。
二、重点任务
  (一)智慧交通。
  1.行动目标。
  到2019年,建成智能信号灯500个。
  2.行动任务。
  ——建设交通大脑。汇聚交通数据,优化信号配时。(市交通局、市公安局等负责,列第一位者为牵头部门,下同)
  ——推广电子站牌。在主城区推广电子站牌。(市交通局等共同负责)
"""


def test_a_second_plan_in_the_same_conventions_parses(tmp_path):
    path = tmp_path / "second.txt"
    path.write_text(SECOND_PLAN, encoding="utf-8")
    doc = parse_plan(path)
    assert doc.title == "某某市智慧城市行动方案（2017-2019年）"
    assert doc.number == "某政发〔2017〕3号" and doc.date == "2017年3月1日" and doc.issuer == "某某市人民政府"
    task = doc.node("second/P2.G1.S2.I1")
    assert task.label == "二、重点任务 › （一）智慧交通 › 行动任务 › 建设交通大脑"
    assert [d.name for d in task.departments] == ["市交通局", "市公安局"]
    assert doc.node("second/P2.G1.S1").text == "到2019年，建成智能信号灯500个。"
    assert doc.node("second/P2.G1.S2.I2").departments[0].joint


def test_empty_file_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"empty\.txt:1: the file is empty"):
        parse_plan(path)


def test_non_utf8_file_is_an_error_naming_the_line(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("标题\n第二行\n".encode() + "一、总体目标".encode("gbk"))
    with pytest.raises(PlanError, match=r"gbk\.txt:3: not UTF-8"):
        parse_plan(path)


def test_text_without_parts_is_an_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n今天讨论了预算。\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"notes\.txt:1: no part heading"):
        parse_plan(path)


def test_item_outside_a_section_is_an_error_naming_its_line(tmp_path):
    path = tmp_path / "bad.txt"
    shutil.copy(PLAN, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "(一)互联网+制造" in line)
    lines.insert(at + 1, "  ——无处安放的任务。(省商务厅等负责)")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(PlanError, match=rf"bad\.txt:{at + 2}: a '——' item outside"):
        parse_plan(path)


def test_look_alike_letters_inside_a_latin_term_are_read_as_latin():
    assert fold_lookalikes("线上线下（О2О）汽车维修") == "线上线下（O2O）汽车维修"  # Cyrillic О beside a digit
    assert fold_lookalikes("СО2排放") == "CO2排放"  # a run folds from the Latin side inwards
    assert fold_lookalikes("Москва и Ольга") == "Москва и Ольга"  # Cyrillic words stay Cyrillic
