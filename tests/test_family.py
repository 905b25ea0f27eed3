"""One reader for the family: three State Council opinions, read from their gov.cn pages, and the wordings."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.departments import NATIONAL_GLOSSES, gloss, level_of, normalize
from qa.duties import read_duty
from qa.ingest import read_document
from qa.structure import parse_plan

# Copies of ../shared/corpus-more (public State Council documents), so that CI needs nothing beside the clone.
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "corpus-more"
GUOFA_42 = FIXTURES / "guofa-2018-42-agricultural-mechanization.html"
GUOBANFA_121 = FIXTURES / "guobanfa-2018-121-sports-events.html"
GUOBANFA_129 = FIXTURES / "guobanfa-2018-129-consumption-poverty-alleviation.html"


@pytest.fixture(scope="module")
def docs():
    return {p.stem: read_document(p) for p in (GUOFA_42, GUOBANFA_121, GUOBANFA_129)}


def tasks(doc):
    """Nodes that carry a responsibility parenthesis, in reading order."""
    return [n for n in doc.nodes if n.departments]


def names(node):
    return [d.name for d in node.departments]


def node(doc, path):
    return doc.node(f"{doc.key}/{path}")


@pytest.mark.parametrize(
    ("path", "title", "number", "issuer", "date", "published", "subject"),
    [
        (GUOFA_42, "国务院关于加快推进农业机械化和农机装备产业转型升级的指导意见", "国发〔2018〕42号", "国务院",
         "2018年12月21日", "2018年12月29日", "农业、林业、水利\\农业、畜牧业、渔业"),
        (GUOBANFA_121, "国务院办公厅关于加快发展体育竞赛表演产业的指导意见", "国办发〔2018〕121号", "国务院办公厅",
         "2018年12月11日", "2018年12月21日", "卫生、体育\\体育"),
        (GUOBANFA_129, "国务院办公厅关于深入开展消费扶贫助力打赢脱贫攻坚战的指导意见", "国办发〔2018〕129号",
         "国务院办公厅", "2018年12月30日", "2019年01月14日", "民政、扶贫、救灾\\扶贫"),
    ],
)
def test_web_page_metadata_table_is_kept(docs, path, title, number, issuer, date, published, subject):
    doc = docs[path.stem]
    assert (doc.key, doc.title, doc.number, doc.issuer, doc.date) == (path.stem, title, number, issuer, date)
    assert (doc.published, doc.subject, doc.level) == (published, subject, "national")
    assert doc.meta["主送"] == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"
    head = doc.node(f"{doc.key}/HEAD")
    assert f"文号：{number}" in head.text and f"主题分类：{subject}" in head.text
    # the signature block and 此件公开发布 are metadata, not part of the last task
    assert not any("此件公开发布" in n.text or n.text.endswith(date) for n in doc.nodes if n.kind != "document")


# ------------------------------------------------------------------------------------------- 国发〔2018〕42号


def test_guofa_42_has_eighteen_tasks_all_led_after_the_note(docs):
    # Counted by hand: grep -o '（[^（）]*负责[^（）]*）' on the body text finds 18 parentheses, one closing each
    # of the paragraphs （三）…（二十）; the note 列第一位者为牵头单位，下同 sits in the first of them, （三）.
    doc = docs[GUOFA_42.stem]
    found = tasks(doc)
    assert len(found) == 18
    assert [n.label.split(" › ")[-1] for n in (found[0], found[-1])] == ["（三）完善农机装备创新体系",
                                                                        "（二十）促进政府与市场良性互动"]
    assert all(n.kind == "group" and n.lead is not None for n in found)
    assert all(n.lead is n.departments[0] for n in found)


@pytest.mark.parametrize(
    ("path", "listed"),
    [
        ("P2.G1", ["工业和信息化部", "发展改革委", "科技部", "农业农村部"]),  # （三）, with the note
        ("P2.G4", ["市场监管总局", "工业和信息化部", "发展改革委", "农业农村部"]),  # （六）
        ("P4.G1", ["农业农村部", "科技部", "工业和信息化部", "财政部", "交通运输部", "商务部", "人民银行", "银保监会",
                   "民航局"]),  # （九）
        ("P7.G1", ["教育部", "工业和信息化部", "农业农村部"]),  # （十六）
    ],
)
def test_guofa_42_departments_in_order_first_leads(docs, path, listed):
    task = node(docs[GUOFA_42.stem], path)
    assert names(task) == listed
    assert [d.lead for d in task.departments] == [True] + [False] * (len(listed) - 1)


def test_guofa_42_both_departments_lead_where_the_text_says_they_lead_jointly(docs):
    # （十八）…（农业农村部、工业和信息化部牵头负责）
    task = node(docs[GUOFA_42.stem], "P8.G1")
    assert task.title == "健全组织实施机制"
    assert [(d.name, d.lead) for d in task.departments] == [("农业农村部", True), ("工业和信息化部", True)]
    alone = node(docs[GUOFA_42.stem], "P8.G2")  # （十九）（各省级人民政府负责）
    assert [(d.name, d.lead) for d in alone.departments] == [("各省级人民政府", True)]


# ------------------------------------------------------------------------------------------ 国办发〔2018〕121号


def test_guobanfa_121_has_sixteen_task_paragraphs_and_twenty_one_assignments(docs):
    # Counted by hand: the paragraphs （四）…（十九） each carry responsibility (16); grep finds 21 parentheses
    # with 负责, because （十） and （十三） have three each and （十八） two, in the middle of the paragraph
    # (16 + 2 + 2 + 1 = 21). Each group of sentences before a parenthesis is a task item of its own.
    doc = docs[GUOBANFA_121.stem]
    found = tasks(doc)
    assert len(found) == 21
    paragraphs = {n.parent if n.kind == "item" else n.id for n in found}
    assert len(paragraphs) == 16
    split = {p.split("/")[1]: len(node(doc, p.split("/")[1]).children) for p in paragraphs
             if node(doc, p.split("/")[1]).children}
    assert split == {"P3.G2": 3, "P3.G5": 3, "P5.G1": 2}  # （十）, （十三）, （十八）


def test_guobanfa_121_claims_no_lead_where_several_departments_are_listed(docs):
    # no 牵头 and no 列第一位者 anywhere in the text: departments are listed in order, no lead claimed
    doc = docs[GUOBANFA_121.stem]
    several = [n for n in tasks(doc) if len(n.departments) > 1]
    assert len(several) == 19
    assert all(n.lead is None and not any(d.lead for d in n.departments) for n in several)
    first = node(doc, "P2.G1")  # （四）大力发展职业赛事
    assert names(first) == ["体育总局", "民政部", "人力资源社会保障部"]


def test_guobanfa_121_a_department_named_alone_leads(docs):
    # （六）…（体育总局负责） and the first sentence group of （十）…（市场监管总局负责）: one name, no 等
    doc = docs[GUOBANFA_121.stem]
    alone = [(n.id.split("/")[1], n.lead.name) for n in tasks(doc) if len(n.departments) == 1]
    assert alone == [("P2.G3", "体育总局"), ("P3.G2.I1", "市场监管总局")]


def test_guobanfa_121_responsibility_in_the_middle_splits_the_paragraph(docs):
    doc = docs[GUOBANFA_121.stem]
    parent = node(doc, "P3.G2")  # （十）鼓励创新创业
    assert parent.title == "鼓励创新创业" and parent.text == "" and not parent.departments
    items = [doc.node(c) for c in parent.children]
    assert items[0].title == "大力推进商事制度改革，营造良好的体育竞赛表演产业准入环境"
    assert items[0].text.endswith("（市场监管总局负责）")
    assert items[0].label == "三、壮大市场主体，优化市场环境 › （十）鼓励创新创业 › " + items[0].title
    assert [names(i) for i in items] == [["市场监管总局"], ["体育总局", "教育部"],
                                         ["体育总局", "网信办", "科技部", "工业和信息化部"]]
    assert "".join(i.text for i in items).startswith("大力推进商事制度改革")


def test_guobanfa_121_closing_paragraph_is_not_part_of_the_last_task(docs):
    doc = docs[GUOBANFA_121.stem]
    last = node(doc, "P5.G2")  # （十九）完善相关投入机制
    assert last.text.endswith("（体育总局、人民银行、银保监会、证监会、财政部负责）")
    closing = doc.node(f"{doc.key}/END")
    assert closing.kind == "closing" and closing.text.startswith("各地区、各有关部门要充分认识")


# ------------------------------------------------------------------------------------------ 国办发〔2018〕129号


def test_guobanfa_129_has_seventeen_tasks_each_ending_with_the_provinces(docs):
    # Counted by hand: grep finds 17 parentheses with 负责, one closing each of （一）…（十七）; all end
    # "…等和各省级人民政府负责" (4: （一）（三）（十四）（十六）) or "…等和各有关省级人民政府负责" (13).
    doc = docs[GUOBANFA_129.stem]
    found = tasks(doc)
    assert len(found) == 17
    last_names = [n.departments[-1].name for n in found]
    assert last_names.count("各省级人民政府") == 4 and last_names.count("各有关省级人民政府") == 13


def test_guobanfa_129_claims_no_lead(docs):
    # no lead note, no 牵头, every list is open (等和…): no lead anywhere
    doc = docs[GUOBANFA_129.stem]
    assert all(n.lead is None for n in tasks(doc))


@pytest.mark.parametrize(
    ("path", "listed"),
    [
        ("P2.G1", ["扶贫办", "中央统战部", "中央和国家机关工委", "教育部", "卫生健康委", "人民银行", "国资委", "国管局",
                   "中央军委政治工作部", "全国总工会", "各省级人民政府"]),  # （一）
        ("P3.G1", ["商务部", "发展改革委", "农业农村部", "各有关省级人民政府"]),  # （四）
        ("P5.G3", ["农业农村部", "文化和旅游部", "各有关省级人民政府"]),  # （十二）
    ],
)
def test_guobanfa_129_departments_in_order(docs, path, listed):
    assert names(node(docs[GUOBANFA_129.stem], path)) == listed


# ----------------------------------------------------------------------------------------------- names


def test_every_department_of_the_three_documents_has_an_english_gloss(docs):
    named = {d.name for doc in docs.values() for n in doc.nodes for d in n.departments}
    assert named <= set(NATIONAL_GLOSSES)
    assert all(d.english == gloss(d.name) != d.name for doc in docs.values() for n in doc.nodes for d in n.departments)


def test_names_are_normalised_per_level_of_government():
    assert normalize("国家发展改革委", "national") == normalize("发展改革委", "national") == "发展改革委"
    assert normalize("省发改委") == normalize("省发改委", "provincial") == "省发展改革委"
    assert normalize("人民银行", "national") == "人民银行"  # not the province's 人民银行济南分行
    assert normalize("人民银行") == "人民银行济南分行"
    assert gloss("发展改革委") == "National Development and Reform Commission"
    assert level_of("国办发〔2018〕121号", "国务院办公厅") == "national"
    assert level_of("鲁政发〔2016〕14号", "山东省人民政府") == "provincial"
    assert level_of("某政发〔2017〕3号", "某某市人民政府") == "local"


# ------------------------------------------------------------------------------------- wordings, synthetic

OPINION = """\
某某部门关于推进某项工作的指导意见
国发〔2020〕1号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
为推进某项工作，现提出以下意见。
一、总体要求
（一）指导思想。坚持稳中求进。
二、重点任务
（二）甲任务。做好甲事。（国家发展改革委、工业和信息化部等负责）
（三）乙任务。做好乙事。（科技部、财政部负责。排在第一位的部门为牵头部门，下同）
（四）丙任务。做好丙事。（商务部等负责）
三、保障措施
1.丁措施。做好丁事。（教育部牵头，财政部、人力资源社会保障部配合）
2.戊措施。做好戊事。（责任单位：公安部、司法部）
3.己措施。做好己事。（牵头单位：民政部；配合单位：财政部）
4.庚措施。做好庚事。（各有关部门按职责分工负责）
国务院
2020年1月2日
"""


@pytest.fixture()
def opinion(tmp_path):
    path = tmp_path / "opinion.txt"
    path.write_text(OPINION, encoding="utf-8")
    return parse_plan(path)


def test_lead_note_applies_from_where_it_stands_on(opinion):
    before = opinion.node("opinion/P2.G1")
    assert names(before) == ["发展改革委", "工业和信息化部"] and before.lead is None
    assert opinion.node("opinion/P2.G2").lead.name == "科技部"  # the note's own parenthesis
    assert opinion.node("opinion/P2.G3").lead.name == "商务部"  # 下同: from then on
    assert (opinion.issuer, opinion.date) == ("国务院", "2020年1月2日")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("P3.S1", [("教育部", True), ("财政部", False), ("人力资源社会保障部", False)]),  # A牵头，B、C配合
        ("P3.S2", [("公安部", True), ("司法部", False)]),  # 责任单位：, after the note: first leads
        ("P3.S3", [("民政部", True), ("财政部", False)]),  # 牵头单位：A；配合单位：B
        ("P3.S4", [("各有关部门", True)]),  # 按职责分工负责: first listed, by the note
    ],
)
def test_responsibility_wordings_and_numbered_measures_under_a_part(opinion, path, expected):
    task = opinion.node(f"opinion/{path}")
    assert task.kind == "section" and task.label.startswith("三、保障措施 › ")
    assert [(d.name, d.lead) for d in task.departments] == expected


def test_wordings_without_a_lead_claim_none():
    assert not any(d.lead for d in read_duty("责任单位：公安部、司法部", "national"))
    assert not any(d.lead for d in read_duty("体育总局等负责", "national"))  # 等: not named alone
    assert not any(d.lead for d in read_duty("各有关部门按职责分工负责", "national"))  # a collective, not one body
    listed = read_duty("商务部、发展改革委等和各有关省级人民政府负责", "national")
    assert [d.name for d in listed] == ["商务部", "发展改革委", "各有关省级人民政府"]
    assert [d.name for d in read_duty("中央和国家机关工委、文化和旅游部负责", "national")] == [
        "中央和国家机关工委", "文化和旅游部"]  # 和 inside a name is not a separator


def test_dash_items_directly_under_a_numbered_paragraph(tmp_path):
    path = tmp_path / "city.txt"
    path.write_text("某市实施方案\n某政发〔2019〕2号\n一、重点任务\n（一）智慧交通。\n——建设交通大脑。（市交通局负责）\n"
                    "——推广电子站牌。（市交通局、市公安局负责）\n", encoding="utf-8")
    doc = parse_plan(path)
    first, second = doc.node("city/P1.G1.I1"), doc.node("city/P1.G1.I2")
    assert (first.title, first.lead.name) == ("建设交通大脑", "市交通局")
    assert names(second) == ["市交通局", "市公安局"] and second.lead is None
