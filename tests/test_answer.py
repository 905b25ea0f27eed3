"""`ask` on the real plan: direct answers, quotes inside the cited items, declines, follow-ups, English."""

from __future__ import annotations

import pytest
from conftest import nid

from qa import QuestionError
from qa.answering.conversation import join_parts, split_message, split_parts
from qa.answering.evidence import (
    RENDERING_WEIGHT,
    asked_kind,
    asks_particular,
    names_particular,
    shared_length,
)
from qa.answering.target import counted_words, counts_something_else
from qa.evaluate import evaluate_answers, load_questions, summarize
from qa.intent import Intent, classify
from qa.records import Answer
from qa.retrieve import has_cjk


def cited_ids(answer):
    return [c.id for c in answer.citations]


def test_p2p_complaint_names_the_provincial_finance_office_as_lead(assistant):
    answer = assistant.ask("我想投诉一个非法集资的网贷平台，该找哪个部门？")
    assert answer.intent == "department" and not answer.abstained
    assert answer.lead_department == "省金融办"
    assert answer.answer.startswith("牵头部门：省金融办；共同负责：")
    assert cited_ids(answer)[0] in {nid("P2.G4.S2.I3"), nid("P2.G4.S2.I5")}
    assert "[1] 二、重点行动 › （四）互联网+金融 › 行动任务 › " in answer.answer


def test_runaway_p2p_answer_quotes_the_lending_task_and_lists_co_responsible_departments(assistant):
    answer = assistant.ask("网贷平台跑路了找哪个部门？")
    assert answer.departments == ("省金融办", "人民银行济南分行", "山东银监局", "山东保监局", "省通信管理局")
    citation = answer.citations[0]
    assert citation.id == nid("P2.G4.S2.I3")
    assert citation.quotes and all(q in citation.text for q in citation.quotes)
    assert f"「{citation.quotes[0]}」" in answer.answer


def test_reverse_lookup_lists_every_task_of_the_agriculture_department(assistant):
    answer = assistant.ask("省农业厅负责哪些任务？")
    assert answer.intent == "reverse"
    named = [n for n in assistant.tasks() if "省农业厅" in [d.name for d in n.departments]]
    assert cited_ids(answer) == [n.id for n in named if n.lead.name == "省农业厅"] + [
        n.id for n in named if n.lead.name != "省农业厅"]
    assert "牵头3项，参与3项" in answer.answer
    assert "培育建设现代化智能物流中心（牵头：省发展改革委）" in answer.answer


def test_reverse_lookup_accepts_an_alias(assistant):
    answer = assistant.ask("省发改委牵头哪些工作？")
    leads, shares = assistant.department_tasks("省发展改革委")
    assert len(answer.citations) == len(leads) + len(shares) > 20


def test_rural_broadband_target_is_over_50M_with_the_quote(assistant):
    answer = assistant.ask("到2018年农村宽带接入能力要达到多少？")
    assert answer.intent == "target"
    assert answer.answer.splitlines()[0] == "目标：农村宽带接入能力超过50M。"
    assert answer.citations[0].id == nid("P1.I1")
    assert "农村宽带接入能力超过50M" in answer.citations[0].quotes[0]


def test_smart_workshop_target_is_one_hundred(assistant):
    answer = assistant.ask("到2018年要建多少个智能示范车间？")
    assert answer.answer.splitlines()[0] == "目标：智能示范车间100个（到2018年）。"
    assert answer.citations[0].label == "二、重点行动 › （一）互联网+制造 › 行动目标"


def test_when_question_answers_with_the_deadline(assistant):
    answer = assistant.ask("全省统一的政府网站平台什么时候建成？")
    assert "2017年年底前" in answer.answer.splitlines()[0]


@pytest.mark.parametrize(
    "question",
    ["山东省2020年的GDP是多少？", "江苏省的互联网+行动计划有哪些重点？", "省金融办主任是谁？", "省商务厅的联系电话是多少？",
     "What's the weather forecast for Jinan tomorrow?", "今天吃什么"],
)
def test_questions_the_plan_does_not_answer_are_declined_without_inventions(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and answer.intent == "out_of_scope"
    assert answer.lead_department is None and answer.departments == ()
    assert answer.answer.startswith(("计划中没有涉及", "The plan does not"))
    assert all(not c.quotes for c in answer.citations)


def test_gdp_2020_decline_names_the_year_and_offers_nearest_items(assistant):
    answer = assistant.ask("山东省2020年的GDP是多少？")
    assert answer.answer.startswith("计划中没有涉及“2020年”的内容。\n最接近的条目：")
    assert len(answer.citations) == 3


def test_english_question_gets_english_frame_chinese_quote_and_glosses(assistant):
    answer = assistant.ask("Which department leads cross-border e-commerce?")
    assert answer.language == "en" and answer.lead_department == "省商务厅"
    assert answer.answer.startswith("Lead department: 省商务厅 (Shandong Department of Commerce).")
    assert "Qingdao Customs" in answer.answer and "From the plan: 「" in answer.answer


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (["到2018年要建多少个智能示范车间？"], "那牵头部门是谁？", "省经济和信息化委"),
        (["智能物流骨干网络由哪个部门牵头？"], "那目标是多少？", "全省物流总额年均递增7%"),
        (["How many e-commerce demonstration enterprises will be cultivated?"], "What about its lead department?", "省商务厅"),
        (["省农业厅负责哪些任务？"], "那省商务厅呢？", "省商务厅在计划中共列入10项任务"),
    ],
)
def test_elliptical_follow_ups_refer_to_the_previous_topic(assistant, history, question, expected):
    answer = assistant.ask(question, history=history)
    assert not answer.abstained
    assert expected in answer.answer


def test_outline_and_metadata_come_from_the_structure(assistant):
    outline = assistant.ask("有哪些重点行动？")
    assert outline.intent == "outline" and outline.answer.count("- （") == 10
    meta = assistant.ask("这份文件的文号是什么？")
    assert meta.intent == "metadata" and meta.answer.startswith("文号：鲁政发〔2016〕14号")
    assert meta.citations[0].quotes == ("文号：鲁政发〔2016〕14号",)


def test_greeting_gets_help_not_an_invented_answer(assistant):
    answer = assistant.ask("你好")
    assert answer.abstained and "《山东省“互联网+”行动计划（2016-2018年）》" in answer.answer


@pytest.mark.parametrize("question", ["", "  ", "网" * 5000])
def test_bad_questions_raise_a_clear_error(assistant, question):
    with pytest.raises(QuestionError):
        assistant.ask(question)


def test_every_cited_quote_is_inside_its_item_over_the_whole_question_set(assistant):
    rows = load_questions(__import__("conftest").QA_FILE)
    for row in rows:
        answer = assistant.ask(row.question, history=list(row.history))
        for citation in answer.citations:
            node = assistant.node(citation.id)
            assert citation.text == node.text and citation.label == node.label
            assert all(q in node.text for q in citation.quotes), (row.id, citation.n)
            assert f"[{citation.n}]" in answer.answer


def test_answer_accuracy_holds_on_the_dev_split(assistant):
    # a regression guard on the split the answer layer is tuned on; test figures are reported, not asserted.
    # The scope gate trades declining off-topic questions against declining answerable ones: both sides are
    # guarded (dev: accuracy 0.853, lead 0.895, wrongly declined 0.073, Chinese off-topic declined 0.84)
    dev = [r for r in load_questions(__import__("conftest").QA_FILE) if r.split == "dev"]
    stats = summarize(evaluate_answers(assistant, dev)[0])
    assert stats["accuracy"]["rate"] >= 0.83
    assert stats["lead"]["rate"] >= 0.87
    assert stats["wrongly_declined"]["rate"] <= 0.08
    assert stats["declined_zh"]["rate"] >= 0.82
    assert stats["citations_ok"]["rate"] == 1.0


def test_a_department_the_plan_never_names_is_declined(assistant):
    answer = assistant.ask("省体育局负责哪些工作？")
    assert answer.abstained and answer.answer.startswith("计划中没有涉及“省体育局”的内容。")


@pytest.mark.parametrize(("question", "term"), [("计划对区块链技术的发展有什么安排？", "“区块链”"),
                                                ("计划里提到人工智能了吗", "“人工智能”")])
def test_asking_whether_the_plan_mentions_an_absent_term_is_declined_naming_it(assistant, question, term):
    answer = assistant.ask(question)
    assert answer.abstained and answer.answer.startswith(f"计划中没有涉及{term}")


def test_asking_whether_the_plan_mentions_a_present_term_is_answered(assistant):
    answer = assistant.ask("计划有没有提到北斗的内容")
    assert not answer.abstained and "北斗" in answer.citations[0].quotes[0]


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("What is the 2018 target for intelligent demonstration workshops?", "智能示范车间100个"),
        ("What is the rural broadband target?", "农村宽带接入能力超过50M"),
        ("How many base stations will operators build?", "10万个"),
        ("What is the growth target for total logistics value?", "物流总额年均递增7%"),
        ("What share of administrative licences should be processed online?", "80%以上的行政许可"),
        ("How many industrial design centers by 2018?", "工业设计中心160个"),
    ],
)
def test_english_target_questions_pick_the_right_figure(assistant, question, figure):
    answer = assistant.ask(question)
    assert answer.intent == "target" and answer.answer.startswith("Target: ")
    assert figure in answer.answer.splitlines()[0]


@pytest.mark.parametrize("question,figure", [
    # a share asked: the per-cent figure, not the count 100 that shares a number with the question
    ("Out of every 100 people in Shandong, how many should be mobile internet users by 2018?", "普及率达到70%"),
    ("农业物联网示范基地的比例是多少？", "100个"),  # a share asked, a count stated: the clause with the count
])
def test_a_share_is_answered_by_a_figure_in_per_cent_or_else_by_the_count(assistant, question, figure):
    answer = assistant.ask(question)
    assert not answer.abstained and figure in answer.answer.splitlines()[0]


def test_asking_for_the_list_in_two_pieces_is_one_question_about_the_item_discussed(assistant):
    history = ["计划里说要建立网络和信息安全应急联动机制？"]
    first = assistant.ask(history[0])
    # the first piece asks for the list in words the plan never uses (列全不, 给我列), the second which ones
    for question in ("参与进来的部门，能给我列全不？都有谁？", "能把负责的部门给我列一下吗？分别是谁？"):
        answer = assistant.ask(question, history=history)
        assert not answer.abstained and answer.citations[0].id == first.citations[0].id, question
        assert answer.departments == first.departments and len(answer.departments) == 4, question
    # a first piece naming something the plan never mentions keeps its decline: the list would imply a yes
    declined = assistant.ask("那无人机也归这些部门负责吗？都有哪些？", history=history)
    assert declined.abstained and "无人机" in declined.answer and not declined.departments


@pytest.mark.parametrize("question,head", [("How much is the installation fee?", "The plan states no amounts of money"),
                                           ("那挂号费是多少钱？", "计划中没有任何金额数字"),
                                           ("这些点每天几点开门？", "计划没有规定任何时长、钟点或具体日期"),
                                           ("How long is each appointment term?", "The plan sets no durations")])
def test_an_amount_of_money_or_a_duration_asked_is_declined_as_one_the_plan_never_states(assistant, question, head):
    answer = assistant.ask(question)
    assert answer.abstained and answer.answer.startswith(head) and answer.lead_department is None


def test_the_words_a_who_question_is_read_from_are_not_its_topic(assistant):
    history = ["计划还说要支持中小企业实施开放式个性化定制？"]
    first = assistant.ask(history[0])
    for question in ("那省里是哪个部门领头？", "这条一共几家负责？都是谁？"):  # 领头 reads as who leads, 几家负责 as who
        answer = assistant.ask(question, history=history)
        assert not answer.abstained and answer.citations[0].id == first.citations[0].id, question
        assert answer.lead_department == first.lead_department == "省经济和信息化委", question
    # what is left still meets the gate: 电竞 (segmented 电 + 竞) is no plan word
    declined = assistant.ask("哪个部门领头搞电竞？")
    assert declined.abstained and "电竞" in declined.answer and declined.lead_department is None


def test_a_fine_fact_is_quoted_from_the_sentence_that_holds_it(assistant):
    answer = assistant.ask("潍坊有什么交通方面的经验要推广？")
    assert not answer.abstained
    assert "潍坊公共自行车" in answer.answer.splitlines()[0]  # the first line states the fact itself
    assert any("潍坊公共自行车" in q for q in answer.citations[0].quotes)
    assert all(q in answer.citations[0].text for q in answer.citations[0].quotes)


def test_each_english_word_counts_once_by_its_best_rendering_found():
    word = [frozenset({"bb"}), frozenset({"ccc"})]  # one word, two renderings
    assert shared_length(set(), "a bb ccc", str.split, renderings=[word]) == RENDERING_WEIGHT * 3
    assert shared_length(set(), "a bb", str.split, renderings=[word]) == RENDERING_WEIGHT * 2
    # a rendering already among the question's tokens is counted there, not again
    assert shared_length({"ccc"}, "a bb ccc", str.split, renderings=[word]) == 3 + RENDERING_WEIGHT * 2


def test_a_shared_word_counts_once_not_again_for_its_pieces(assistant):
    # the search-mode segmenter cuts 运营商 into 运营商, 运营 and 营商 too: counted three times, the sentence naming
    # 运营商 outweighed the one naming 通信运营企业 and 基站, and the plan seemed to give no figure
    assert shared_length({"运营商", "运营", "营商"}, "运营商 运营 营商", str.split) == 3
    assert shared_length({"运营", "基站"}, "运营 基站", str.split) == 4
    answer = assistant.ask("通信运营商要新建多少个基站？")
    assert not answer.abstained and "基站10万个" in answer.answer.splitlines()[0]
    assert answer.citations[0].label.endswith("强化网络基础设施保障")


def test_an_english_word_the_glossary_lacks_picks_its_sentence_through_the_dictionary(assistant):
    # "suggestions" (建言, 意见) is in no glossary entry: without its dictionary renderings the item's sentence on
    # government websites and apps wins on "government" and "online"
    answer = assistant.ask("Will the plan let citizens post suggestions to government online?")
    assert not answer.abstained
    assert any("建言献策" in q for q in answer.citations[0].quotes)


def test_a_two_part_question_is_answered_part_by_part_with_its_own_citations(assistant):
    answer = assistant.ask("到2018年要建多少个智能示范车间？由哪个部门牵头？")
    lines = answer.answer.splitlines()
    assert lines[0].startswith("（1）") and "100个" in lines[0]
    assert any(line.startswith("（2）") for line in lines)
    assert len(answer.citations) >= 2 and "[2]" in answer.answer
    assert answer.lead_department is not None


def test_a_topicless_follow_up_asks_the_previous_item(assistant):
    first = assistant.ask("网贷平台跑路了找哪个部门？")
    follow = assistant.ask("那由谁牵头？", history=["网贷平台跑路了找哪个部门？"])
    assert follow.lead_department == first.lead_department == "省金融办"
    assert follow.citations[0].id == first.citations[0].id


@pytest.mark.parametrize("question,lead", [
    ("这事由哪个部门负责？", None), ("Who's leading that work?", None), ("Which office is driving that one?", None),
    ("Which department would be in charge of it?", None),  # no conversation: 'it' and 'that work' point at nothing
    ("Who leads the P2P work there?", "省金融办"),  # a plan term as written is a topic of its own
    ("Who is in charge of that cross-border e-commerce pilot zone?", "省商务厅")])  # and one the glossary knows
def test_who_handles_it_with_nothing_before_it_asks_which_task_in_either_language(assistant, question, lead):
    answer = assistant.ask(question)
    assert answer.lead_department == lead
    if lead is None:
        assert answer.abstained and not answer.citations
        assert answer.answer.startswith(("请说明您问的是哪项任务", "Which task or action do you mean?"))


def test_who_handles_it_after_a_declined_turn_asks_which_task_and_names_no_department(assistant):
    history = ["Does the plan mention mobile apps for ice rinks?"]
    assert assistant.ask(history[0]).abstained  # the turn before names something the plan does not cover
    answer = assistant.ask("Which office is driving that one?", history=history)
    assert answer.abstained and answer.lead_department is None and not answer.citations
    assert answer.answer.startswith("Which task or action do you mean?")


@pytest.mark.parametrize("question,quoted", [
    ("Does the plan talk about using the Internet of Things in fisheries?", "渔业"),
    ("Someone told me the plan backs flipped classrooms. Who leads that?", "省教育厅"),
    ("She heard about transparent farms. What are they?", "透明农场")])
def test_how_the_asker_heard_of_something_and_whom_it_is_for_are_not_its_topic(assistant, question, quoted):
    answer = assistant.ask(question)  # talk, told, heard, she: asking words, not subjects the plan lacks
    assert not answer.abstained and quoted in answer.answer


def test_a_follow_up_that_points_back_may_ask_in_words_the_plan_never_uses(assistant):
    first = assistant.ask("农村电商计划里怎么推？")
    follow = assistant.ask("搞这个最终为了啥？", history=["农村电商计划里怎么推？"])
    assert not follow.abstained and follow.citations[0].id == first.citations[0].id


def test_a_follow_up_asking_about_what_it_points_back_to_stays_on_it_in_any_words(assistant):
    first = assistant.ask("农村电商计划里怎么推？")
    follow = assistant.ask("这事谁来挑头？", history=["农村电商计划里怎么推？"])  # 挑头: a word the plan never uses
    assert not follow.abstained and follow.citations[0].id == first.citations[0].id
    assert follow.lead_department == first.lead_department == "省商务厅"
    # asking whether it covers something names a new subject, which the gate weighs
    assert assistant.ask("这个跟殡葬有关系不？", history=["农村电商计划里怎么推？"]).abstained
    assert assistant.ask("Does it cover drones?", history=["Which department leads cross-border e-commerce?"]).abstained


def stays_on_first_item(assistant, history, questions, lead):
    """Ask each follow-up after the history; each must be answered from the item the last turn cited, with that
    item's lead department. Returns the last turn's answer and the follow-ups'."""
    first = assistant.ask(history[-1], history=history[:-1])
    follows = []
    for question in questions:
        follow = assistant.ask(question, history=history)
        assert not follow.abstained and follow.citations[0].id == first.citations[0].id, question
        assert follow.lead_department == first.lead_department == lead, question
        follows.append(follow)
    return first, follows


def test_a_who_follow_up_quotes_the_sentence_the_last_turn_quoted(assistant):
    # the Wi-Fi sentence is one of several in its item; asked who leads it, or whether a department named takes
    # part, the answer stands on that sentence, not on the item's sentence that best fits the words 谁牵头
    history = ["在火车站候车能连上免费WIFI吗？"]
    wifi = "重点扩大车站、广场、写字楼、住宅小区、游客集散中心等公共场所免费WIFI的覆盖范围"
    first, follows = stays_on_first_item(assistant, history, ("那由谁牵头？", "省通信管理局也参与吗？"), "省经济和信息化委")
    assert wifi in first.citations[0].quotes[0]
    for follow in follows:
        assert follow.citations[0].quotes == first.citations[0].quotes, follow.question
        assert f"「{first.citations[0].quotes[0]}」" in follow.answer


@pytest.mark.parametrize("history,question", [
    ("全省城区公共场所免费WIFI要全覆盖吗？", "那由谁牵头？"),
    ("Will free Wi-Fi cover railway stations?", "Who is in charge of that?")])
def test_who_leads_an_overall_goal_is_the_task_carrying_it_out(assistant, history, question):
    # the overall goals (一、总体目标) list no departments, nor does anything of their part: the one who answers for
    # one is the lead of the task closest to the conversation
    first = assistant.ask(history)
    assert first.citations[0].label.startswith("一、总体目标")
    follow = assistant.ask(question, history=[history])
    assert not follow.abstained and follow.lead_department == "省经济和信息化委"
    assert follow.citations[0].label.endswith("强化网络基础设施保障") and "免费WIFI" in follow.citations[0].quotes[0]


def test_two_parts_answered_alike_are_given_once(assistant):
    # whether the public-security department takes part, and which departments do: the item's list answers both
    answer = assistant.ask("那省公安厅参与吗？都有哪些部门？", history=["物流运输综合监管平台要动态监控车辆轨迹？"])
    assert not answer.abstained and "省公安厅" in answer.departments and answer.lead_department == "省交通运输厅"
    assert "（1）" not in answer.answer and answer.answer.count("牵头部门") == 1 and len(answer.citations) == 1
    assert answer.question == "那省公安厅参与吗？都有哪些部门？"


def test_parts_answered_alike_keep_the_order_they_were_asked_in():
    # the first and third parts answered alike: given once, where it was first asked, before the second
    first, second = (Answer(question=q, answer=a, intent="general") for q, a in (("甲？", "答甲"), ("乙？", "答乙")))
    joined = join_parts("甲？乙？甲呢？", [first, second, first], "zh")
    assert joined.answer.splitlines() == ["（1）答甲", "（2）答乙"]


def test_a_who_follow_up_naming_words_of_the_item_quotes_the_sentence_holding_them(assistant):
    history = ["在火车站候车能连上免费WIFI吗？"]
    follow = assistant.ask("那宽带中国示范城市建设由谁牵头？", history=history)
    assert follow.lead_department == "省经济和信息化委"
    assert "“宽带中国”示范城市建设" in follow.citations[0].quotes[0]


@pytest.mark.parametrize(("history", "question", "sentence"), [
    ("听说省里在推“机器代人”？", "主要是哪几个行业？", "家电、服装、机械、汽车、建材"),
    ("中泰证券要发展个什么业务？", "靠的是哪些技术？", "支持中泰证券充分利用云计算和大数据技术"),
    ("远程医疗在计划里怎么安排的？", "这张服务网要铺到哪几级？", "省、市、县、乡（村）四级远程医学服务体系"),
    ("What does the plan say about a digital liver database?", "Which institutions will it be built around?",
     "青岛大学附属医院、海信医疗"),
])
def test_a_follow_up_is_answered_from_the_sentence_of_the_item_the_conversation_is_about(
        assistant, history, question, sentence):
    # the item is the one the last turn cited; of its sentences, the one about what that turn asked holds the fact
    # (a sentence with another list of industries, technologies or institutions answers a different question)
    first = assistant.ask(history)
    follow = assistant.ask(question, history=[history])
    assert follow.citations[0].id == first.citations[0].id
    assert sentence in follow.citations[0].quotes[0]


def test_a_short_follow_up_asking_in_verbs_the_plan_never_uses_stays_on_the_item(assistant):
    # no word points back, and 挑头 / 操办 are in no item: the dictionary tags them as verbs, so they say what
    # is asked, not what about; a noun the item lacks still names a new subject
    history = ["传统外贸企业想做跨境电商，计划给了啥路子？"]
    stays_on_first_item(assistant, history, ("谁挑头？", "具体是哪几家在操办？"), "省商务厅")
    assert assistant.ask("殡仪馆谁管？", history=history).abstained
    # a verb standing where a topic would (排头的责任部门) says which department is asked for: the one listed first
    stays_on_first_item(assistant, ["财政专项资金怎么往“互联网+”上使劲？"], ("排头的责任部门是？",), "省财政厅")


def test_a_follow_up_naming_only_grammar_words_stays_on_the_item(assistant):
    # 一级 (a numeral to the dictionary) and 自己 (a pronoun) name nothing the item could lack: the follow-ups
    # ask the same of the city and the province level of the remote-medicine item
    history = ["远程医学这块，省里要建一个远程医学中心？"]
    stays_on_first_item(assistant, history, ("市一级的呢？", "省里自己那一级呢？"), "省卫生计生委")


def test_a_department_question_may_put_its_question_word_after_the_noun(assistant):
    history = ["云操作系统、智能终端操作系统，计划里说要研发？"]
    first = assistant.ask(history[0])
    follow = assistant.ask("这事归口的部门有哪几家？", history=history)  # 几家 would otherwise ask for a figure
    assert follow.intent == "department" and follow.citations[0].id == first.citations[0].id
    assert follow.departments == first.departments and len(follow.departments) >= 2


def test_a_question_about_something_the_plan_never_names_is_declined_however_close_its_words(assistant):
    answer = assistant.ask("网约车司机的驾照能在网上换吗？")  # 驾照: a noun no item uses
    assert answer.abstained and "驾照" in answer.answer.splitlines()[0]
    # a heading is the plan's own word: 总体目标 names part P1, though no sentence says it
    assert "总体目标" in assistant.plan.text
    goal = assistant.ask("总体目标里信息消费的目标是多少？")
    assert not goal.abstained and "15%左右" in goal.answer and goal.citations[0].label.startswith("一、总体目标")


def test_a_follow_up_asking_who_takes_part_stays_on_the_item_discussed(assistant):
    history = ["光纤化改造这块计划怎么说？"]
    # 涉及哪几个部门 asks which departments are involved: no "does the plan mention 哪几个" question; and a
    # department named in a yes/no question (也参与吗？) asks whether it is among those responsible
    questions = ("这件事涉及哪几个部门？", "新闻出版广电局也参与吗？")
    first, follows = stays_on_first_item(assistant, history, questions, "省经济和信息化委")
    assert first.citations[0].id.endswith("/P3.G1.S1")
    for question, follow in zip(questions, follows, strict=True):
        assert follow.intent == "department" and "省新闻出版广电局" in follow.departments, question


def test_a_follow_up_asking_which_departments_are_involved_in_other_words_is_answered(assistant):
    # 涉及 here qualifies the departments (涉及的部门) or is followed by what is asked (涉及省里哪几个委厅): neither
    # asks whether the plan mentions a word
    history = ["城市共同配送，计划里点名的试点城市有哪些？"]
    for question in ("这条涉及的部门全列一下。", "这块涉及省里哪几个委厅？"):
        follow = assistant.ask(question, history=history)
        assert not follow.abstained and follow.lead_department == "省商务厅", question
        assert follow.citations[0].label.endswith("建设完善城乡共同配送体系"), question


def test_a_question_about_a_figure_it_quotes_gets_every_sentence_stating_it(assistant):
    answer = assistant.ask("计划里那个“1300家”指的是什么企业？")
    assert answer.answer.startswith("计划中写到“1300家”的有1处")
    assert answer.citations[0].label == "二、重点行动 › （九）互联网+环保 › 行动目标"
    assert "1300家省控以上危废排放企业" in answer.citations[0].quotes[0]
    english = assistant.ask("Which 2018 goals are set at 65 percent?")
    assert english.answer.startswith("The plan states “65%” twice")  # broadband and 3G, one sentence
    assert all(q in c.text for c in english.citations for q in c.quotes)


@pytest.mark.parametrize("question", [
    "全省17个市都实现共同配送，计划定在哪一年完成？",  # asks a date about what the figure counts
    "到2018年，我去办5件行政许可，大概能有几件在网上办？",  # a bare number of the asker's own
    "4G网络要覆盖到哪里？",  # digits inside a name
    "建成160个工业设计中心的目标由谁牵头？"])  # asks who leads
def test_a_figure_the_question_does_not_ask_about_is_no_figure_lookup(assistant, question):
    assert "计划中写到" not in assistant.ask(question).answer


def test_an_english_follow_up_asking_which_body_in_an_idiom_stays_on_the_item(assistant):
    # out in front, on the hook: words of no plan term, in a question asking which office for what it points at
    history = ["Which department leads cross-border e-commerce?"]
    stays_on_first_item(assistant, history, ("And which office is out in front on that?",
                                             "Which departments are on the hook for it?"), "省商务厅")


def test_a_follow_up_asking_who_answers_for_the_item_may_give_reasons_and_use_words_the_plan_never_uses(assistant):
    # the asker's own reason (要给领导写份材料, 公司想去对接, a memo) and words the plan never uses (归口, 排头, 主抓,
    # whose desk, steering) name no other item: the question asks who is responsible for the item discussed
    trade = ["传统外贸企业想做跨境电商，计划给了啥路子？"]
    stays_on_first_item(assistant, trade, ("我要给领导写份材料，省里归口管这件事的是哪个厅？",
                                           "我们公司想去对接，这事排头的是哪个部门？"), "省商务厅")
    # pointing back or not: 张罗 is in no item, and it does not open the question as its topic would
    stays_on_first_item(assistant, trade, ("由哪个部门来张罗？",), "省商务厅")
    stays_on_first_item(assistant, ["药品要建全品种的质量追溯体系？"], ("市里打算配合，省里主抓这件事的是哪家？",),
                        "省食品药品监管局")
    stays_on_first_item(assistant, ["Which department leads cross-border e-commerce?"],
                        ("Whose desk does that land on?", "I'm writing a memo. Who's steering that?"), "省商务厅")
    # a linking 那 follows up as a pointer does: 领衔 is in no item, and the question asks for a body (哪个委)
    stays_on_first_item(assistant, ["康平纳、赛轮金宇这些企业在做国家智能制造试点？"], ("那省里是哪个委领衔在推？",),
                        "省经济和信息化委")
    # what the pointer stands for, opening its clause, is the topic asked about: a new one the gate weighs
    declined = assistant.ask("殡仪馆这事归哪个厅？", history=trade)
    assert declined.abstained and "殡仪馆" in declined.answer.splitlines()[0]
    declined = assistant.ask("那殡仪馆归哪个厅？", history=trade)
    assert declined.abstained and "殡仪馆" in declined.answer.splitlines()[0]
    # a bare 谁 asks who benefits, not which body answers for the item
    helped = assistant.ask("按这个思路建的平台，要帮谁？", history=["个性化定制里说的“一行业一对策”是啥意思？"])
    assert helped.intent == "general" and not helped.abstained and "海尔" in helped.answer


def test_a_department_named_by_a_short_name_is_the_plans_word_in_a_follow_up(assistant):
    history = ["废旧资源的流向，计划打算怎么监测？"]
    first = assistant.ask(history[0])
    # 发改委, 经信委: no item writes them so, but they stand for 省发展改革委, 省经济和信息化委
    follow = assistant.ask("发改委、经信委也管吗？负责的都有谁？", history=history)
    assert not follow.abstained and follow.citations[0].id == first.citations[0].id
    assert {"省发展改革委", "省经济和信息化委"} <= set(follow.departments)


def test_the_second_part_of_a_message_follows_the_first_part_as_it_was_answered(assistant):
    # the first part is itself a follow-up (it names only departments); asked afresh as the second part's
    # context it would land elsewhere, and the two parts would cite different tasks (answered alike, the two
    # parts are given once)
    answer = assistant.ask("发改委、经信委也管吗？负责的都有谁？", history=["工业固体废物和危险化学品的流向，计划要实时监测吗？"])
    assert not answer.abstained and answer.citations and len({c.id for c in answer.citations}) == 1


def test_the_words_a_question_asks_with_are_no_topic_of_its_own(assistant):
    follow = assistant.ask("哪个部门领头？", history=["网贷平台跑路了找哪个部门？"])
    assert not follow.abstained and follow.lead_department == "省金融办"


@pytest.mark.parametrize(("question", "goal"), [
    ("有影响力的互联网金融企业，到2018年要培育多少家？", "培育发展一批有影响力的互联网金融企业"),
    ("重点领域的示范应用龙头企业，到2018年要培育几家？", "培育一批重点领域“互联网+”示范应用龙头企业"),
])
def test_a_figure_asked_of_a_goal_set_without_one_says_so_instead_of_quoting_another_goals_figure(
        assistant, question, goal):
    answer = assistant.ask(question)  # both goals say 一批; the e-commerce goal's 120家 answers another question
    assert answer.answer.startswith("计划在这方面没有给出具体数字") and goal in answer.citations[0].quotes[0]
    assert "120家" not in answer.answer
    assert "100个" in assistant.ask("到2018年要建多少个智能示范车间？").answer.splitlines()[0]  # a figure the plan sets


@pytest.mark.parametrize("question,figure", [
    ("计划对每万名工人配多少台工业机器人有没有定目标？", None),  # figures in 个 and 家 nearby, none in 台
    ("到2018年全省要培养多少万名大数据人才？", None),
    ("省级远程医学中心的会诊专家库大概有多少位专家？", None),  # 位 counts people, as 名 does: 17个 is no answer
    ("潍坊那个共同配送试点一共投了多少辆配送车？", None),  # vehicles (辆), beds (张), land (亩), events (场)
    ("到2018年要培育多少家电子商务示范企业？", "120家"),  # the unit asked is the unit stated
    ("通信运营商要扩建多少万个基站？", "10万个"),  # 个 counts anything
    ("区域性的大宗农产品电子交易平台，省里打算建几家？", "10个区域性大宗农产品电子交易平台"),  # 家 of what 个 counts
    ("规模化的农资和农产品电商平台要扶持几家？", "10个规模化农资和农产品电商平台"),
])
def test_a_count_asked_in_its_own_unit_is_answered_only_by_a_figure_in_that_unit(assistant, question, figure):
    answer = assistant.ask(question)
    if figure is None:
        assert answer.abstained and answer.answer.startswith("计划没有给出这个数字") and answer.citations
    else:
        assert not answer.abstained and figure in answer.answer.splitlines()[0]


@pytest.mark.parametrize(("question", "words"), [
    ("How many hectares of farmland will be under precision agriculture by 2018?", ["hectares"]),
    ("How many public WiFi hotspots will be installed in total?", ["public", "WiFi", "hotspots"]),
    ("Out of every 100 people, how many should be mobile internet users?", []),
    ("What is the rural broadband target?", []),
])
def test_an_english_count_names_what_it_counts_after_how_many(question, words):
    assert counted_words(question) == words


@pytest.mark.parametrize(("question", "clause", "other"), [
    # the documents' words for the counted thing in the figure's clause: it counts that thing
    ("How many smart demonstration workshops are planned by 2018?", "智能示范车间100个", False),
    ("How many base stations will operators build?", "支持通信运营企业扩充建设基站10万个", False),
    # none of them there, or none at all (bridges): the figure counts something else
    ("How many bridges will get structural-health sensors?", "打造100个规模化农业物联网和精细农业示范基地", True),
    ("How many staff does a typical county government website employ?", "建成全省统一的政府网站技术平台", True),
    # a word no dictionary has is not checked
    ("How many zorblets will be built?", "智能示范车间100个", False),
])
def test_a_figure_counts_what_an_english_question_counts_only_when_its_clause_names_it(assistant, question, clause,
                                                                                   other):
    assert counts_something_else(assistant.responder.ctx, question, clause) is other


@pytest.mark.parametrize(("question", "figure"), [
    # the best figure sentences count centres, platforms and coverage, not staff, records, cable or hotspots
    ("How many staff will run the provincial telemedicine centre?", None),
    ("How many records will each city's health data centre store?", None),
    ("How many kilometres of new optical cable will be laid?", None),
    ("How many hotspots will public places get for free WiFi?", None),
    ("How many villages will get fibre by 2018?", "20户以上自然村"),  # villages: 村
])
def test_an_english_count_is_answered_only_by_a_figure_counting_that_thing(assistant, question, figure):
    answer = assistant.ask(question)
    if figure is None:
        assert answer.abstained and answer.answer.startswith("The plan gives no such figure")
        assert answer.lead_department is None and answer.citations
    else:
        assert not answer.abstained and figure in answer.answer.splitlines()[0]


@pytest.mark.parametrize(("question", "head"), [
    ("全省要建多少个电动汽车充电桩？", "计划没有给出这个数字"),
    ("How many EV charging piles will the province build?", "The plan gives no such figure"),
])
def test_a_figure_the_plan_sets_no_target_for_is_declined_with_the_closest_statement(assistant, question, head):
    # a task names the chargers (充换电设施纳入统一管理) but no goal counts them: the question is declined, and the
    # task is quoted as the closest the plan comes, with no department put forward as the answer
    answer = assistant.ask(question)
    assert answer.abstained and answer.answer.startswith(head)
    assert "充换电设施" in answer.citations[0].quotes[0] and answer.lead_department is None
    follow = assistant.ask("那由谁牵头？", history=[question])  # the quoted task stays what the chat is about
    assert not follow.abstained and follow.lead_department == "省经济和信息化委"
    assert follow.citations[0].id == answer.citations[0].id


@pytest.mark.parametrize(("question", "particular"), [
    ("山东e高速系统是哪家公司开发的？", True),
    ("Which bank issues the transport cards?", True),
    ("搞储能这块的产业化，计划里点名靠哪家企业？", True),
    ("工业设备运营平台，计划是想让哪些企业合伙搭起来？", False),  # which kinds of firm: 工控系统制造企业 answers it
    ("这事由哪家单位负责？", False),
])
def test_a_question_asks_for_one_particular_organisation_by_its_question_word(question, particular):
    assert asks_particular(question, asked_kind(question)) is particular


@pytest.mark.parametrize(("text", "named"), [
    ("依托山东润峰等企业，加快推进“互联网+”智慧储能系统产业化。", True),
    ("支持中泰证券充分利用云计算和大数据技术。", True),
    ("依托浪潮集团等企业，加快推进云操作系统的研发和应用。", True),
    ("支持商业银行、证券公司、保险公司等建设互联网金融平台。", False),  # kinds of firm, none by name
    ("支持有条件的互联网金融企业探索资产证券化。", False),
    ("加快推进线上线下支付。（省金融办、人民银行济南分行等负责）", False),  # who carries it out, not what it names
])
def test_an_item_names_a_particular_organisation_only_by_name(text, named):
    assert names_particular(text, "org") is named


@pytest.mark.parametrize(("question", "head", "quoted"), [
    ("山东e高速系统是哪家公司开发的？", "计划在这里没有点名具体的企业或机构", "山东e高速系统"),
    ("临沂国际商城电商金融服务平台的运营方是哪家公司？", "计划在这里没有点名具体的企业或机构", "临沂国际商城电商金融服务平台"),
    ("Which company will build the RFID system integration platform?", "The plan names no particular company",
     "RFID"),
    # the firm qualified by its trade
    ("省里统一的政府网站技术平台是哪家软件公司搭的？", "计划在这里没有点名具体的企业或机构", "政府网站技术平台"),
    ("Which equipment supplier builds the radiation monitoring system around the nuclear plant?",
     "The plan names no particular company", "辐射环境自动监测系统"),
    # the item names 山东润峰, for energy storage: the sentence about the micro-grid names no firm
    ("智慧能源微网是哪家电力公司来建的？", "计划在这里没有点名具体的企业或机构", "智慧能源微网"),
])
def test_a_firm_the_plan_does_not_name_is_declined_with_the_closest_statement(assistant, question, head, quoted):
    # the item the question is about names no firm: the plan does not say which one, so no department is put
    # forward as the answer, and the item stays what the chat is about
    answer = assistant.ask(question)
    assert answer.abstained and answer.answer.startswith(head) and answer.lead_department is None
    assert quoted in answer.citations[0].quotes[0]
    follow = assistant.ask("那由谁牵头？", history=[question])
    assert not follow.abstained and follow.lead_department and follow.citations[0].id == answer.citations[0].id


@pytest.mark.parametrize(("question", "firm"), [
    ("搞储能这块的产业化，计划里点名靠哪家企业？", "山东润峰"),
    ("Which company is energy storage commercialisation built around?", "山东润峰"),
    ("用云计算大数据搞以互联网理财账户为核心的新业务，计划点名支持哪家券商？", "中泰证券"),
])
def test_a_firm_the_plan_names_is_answered(assistant, question, firm):
    answer = assistant.ask(question)
    assert not answer.abstained and firm in answer.citations[0].quotes[0]


def test_a_latin_term_the_plan_writes_with_cyrillic_look_alikes_is_found_as_typed(assistant):
    # the plan writes 线上线下（О2О） with two Cyrillic О: read as Latin, O2O is the plan's word
    answer = assistant.ask("O2O汽车维修这块计划要搞模式创新？")
    assert not answer.abstained and "O2O" in answer.citations[0].quotes[0]
    assert answer.citations[0].label.endswith("推进交通出行便利化")


def test_a_date_the_plan_sets_no_deadline_for_is_declined_as_a_date(assistant):
    answer = assistant.ask("济南的互联网金融产业园什么时候建成？")  # the plan supports the park, with no date
    assert answer.abstained and answer.answer.startswith("计划没有给出这个时间")
    assert "互联网金融产业园区" in answer.citations[0].quotes[0]


@pytest.mark.parametrize(("question", "quoted"), [
    ("When does the Haoke Shandong tourism portal go live?", "好客山东旅游产业网"),
    ("When is the RFID system integration platform due to open?", "RFID"),
])
def test_an_english_when_question_about_an_undated_task_is_declined_as_a_date(assistant, question, quoted):
    # the best evidence sentence states no date: the plan sets none, and its statement is quoted as the closest
    answer = assistant.ask(question)
    assert answer.abstained and answer.answer.startswith("The plan gives no such date")
    assert quoted in answer.citations[0].quotes[0] and answer.lead_department is None


@pytest.mark.parametrize(("question", "stated"), [
    ("By when should the unified government website platform be finished?", "2017年年底前"),
    # "when it comes to" joins a clause: it asks what is done, not when
    ("What should power firms do when it comes to spotting equipment faults early?", None),
])
def test_an_english_when_is_answered_where_the_plan_dates_the_task_or_it_asks_no_date(assistant, question, stated):
    answer = assistant.ask(question)
    assert not answer.abstained
    assert stated is None or stated in answer.answer.splitlines()[0]


@pytest.mark.parametrize("question", ["依托山东e高速要建的那五个云平台，分别是哪几个？",
                                      "康平纳、赛轮金宇、泰山玻纤这几家，在计划里是啥身份？"])
def test_asking_which_ones_is_no_figure_question(assistant, question):
    # 哪几个 / 这几家 ask which ones (or point at them), not how many
    answer = assistant.ask(question)
    assert not answer.abstained and answer.intent != "target"


@pytest.mark.parametrize(("question", "figure"), [
    ("Does the plan encourage universities to cooperate internationally on training talent?", False),  # co-op-rate
    ("Does the agricultural cloud platform offer services for targeted poverty alleviation?", False),
    ("What is the target for rural broadband by 2018?", True),
    ("到2018年要建多少个智能示范车间？", True),
    ("计划里那套农业生产系统，要把生产现场的哪几个环节集成到一块？", False),
    ("智能工厂要具备哪几个特征？", False),
    ("全省要建几个区域性大宗农产品电子交易平台？", True),
    # in a clause that asks whether, 几 before a measure word and a noun is "a few"; in a clause of its own it asks
    ("互联网金融行业协会，就是几家大公司凑一块儿的联谊会吧？", False),
    ("危险品运输监控平台，是不是只盯省内几条高速？", False),
    ("轻轨要修几个站，计划里说了吗？", True),
    ("到2018年有具体要扶持几个的数吗？", True),
])
def test_only_words_that_ask_for_a_figure_make_a_figure_question(question, figure):
    assert (classify(question) == Intent.TARGET) == figure
    assert (asked_kind(question) == "number") == (figure and has_cjk(question))


def test_whether_it_is_only_a_few_is_answered_from_the_sentence_not_declined_for_want_of_a_figure(assistant):
    # 几个 here is "a few": read as "how many" the plan gave no figure and the question was declined
    answer = assistant.ask("药品质量追溯，是不是只挑几个重点品种来做？")
    assert not answer.abstained and "全品种" in answer.answer.splitlines()[0]


def test_asking_what_an_action_aims_at_is_answered_by_its_goal_even_without_a_figure(assistant):
    answer = assistant.ask("互联网+金融这块到2018年的目标是啥？")
    assert answer.citations[0].id.endswith("/P2.G4.S1") and "互联网金融企业" in answer.answer


def test_a_follow_up_about_something_absent_is_declined_even_when_it_points_back(assistant):
    answer = assistant.ask("那殡葬这块呢？", history=["农村电商计划里怎么推？"])
    assert answer.abstained and "殡葬" in answer.answer.splitlines()[0]


def test_a_follow_up_that_names_a_new_topic_starts_afresh(assistant):
    answer = assistant.ask("换个话题，跨境电子商务谁牵头？", history=["网贷平台跑路了找哪个部门？"])
    assert answer.lead_department == "省商务厅"


def test_a_long_history_is_read_only_for_its_last_turns(assistant):
    history = ["x" * 2000] * 9 + ["网贷平台跑路了找哪个部门？"]
    answer = assistant.ask("那由谁牵头？", history=history)
    assert answer.lead_department == "省金融办"


@pytest.fixture
def answered(assistant, monkeypatch):
    """The questions the responder answers from here on, earlier turns re-read as context included (its cache of
    turns emptied first)."""
    texts: list[str] = []
    real = type(assistant.responder)._answer

    def spy(self, text, history, doc=None, earlier=False):
        texts.append(text)
        return real(self, text, history, doc, earlier)

    monkeypatch.setattr(type(assistant.responder), "_answer", spy)
    assistant.responder.clear_cache()
    return texts


def test_an_earlier_turn_with_a_topic_of_its_own_does_not_read_the_turns_before_it(assistant, answered):
    junk = "平台建设推进服务" * 25
    answer = assistant.ask("那由谁牵头？", history=[junk, "智能电网建设由哪个部门牵头？"])
    assert answer.lead_department == "省经济和信息化委"
    # the question and its previous turn; the 200-character turn before that is never answered
    assert [t.rstrip("?？") for t in answered] == ["那由谁牵头", "智能电网建设由哪个部门牵头"]


def test_an_earlier_turn_about_nothing_alone_is_read_with_the_turn_it_followed(assistant, answered):
    # 主要是哪几个行业？ followed up 机器代人 without a linking word; read alone it names nothing the plan answers,
    # so the third turn must find the item the way the second turn was answered, not ask which task is meant
    history = ["听说要搞“机器代人”试点？", "主要是哪几个行业？"]
    assert assistant.ask(history[1], history=history[:1]).lead_department == "省经济和信息化委"
    assistant.responder.clear_cache()
    answer = assistant.ask("那由谁牵头？", history=history)
    assert answer.lead_department == "省经济和信息化委"
    assert any("机器代人" in q for c in answer.citations for q in c.quotes)
    assistant.responder.clear_cache()
    answered.clear()
    # a turn that alone is about something still never reads the turn before it
    assistant.ask("那由谁牵头？", history=["听说要搞“机器代人”试点？", "智能电网建设由哪个部门牵头？"])
    assert "听说要搞“机器代人”试点？" not in answered


@pytest.mark.parametrize("history,question,fact", [
    ("省里要建远程医学中心？", "下面各市配套的中心，准备建多少个？", "17个市级分中心"),
    ("全省电动车充换电设施这块有啥安排？", "准备靠哪个平台统一管起来？", "车联网"),
])
def test_a_follow_up_whose_other_words_are_everyday_ones_asks_about_the_item_discussed(assistant, history, question,
                                                                                       fact):
    # 准备, 起来, 配套, 一级 name nothing: only the words that could name something count against a follow-up
    answer = assistant.ask(question, history=[history])
    assert fact in answer.answer.splitlines()[0]


@pytest.mark.parametrize("message,fact", [
    ("高速公路要搞智能化研究，计划指望哪类单位来做？修车这行又要推广个啥新模式？", "“互联网+汽修”"),
    ("环保部门要开发啥样的手机APP？出行那块的APP又打算让谁来开发？", "软件企业"),
])
def test_a_later_question_of_one_message_counts_every_word_it_names(assistant, message, fact):
    # within a message the second question names a topic of its own more often than a turn of a conversation
    # does: it is not read as about the first question's item for using everyday words
    assert fact in assistant.ask(message).answer


def test_the_askers_own_reasons_before_a_pointer_break_no_rule(assistant):
    # 打电话 in 我想打个电话咨询一下 is why the asker asks, not a phone number asked for (the people rule)
    history = ["省里对P2P网贷平台有啥规定？"]
    answer = assistant.ask("我想打个电话咨询一下，这事由哪个部门牵头？", history=history)
    assert answer.lead_department == "省金融办" and not answer.abstained
    # what is asked after the pointer still breaks it
    assert assistant.ask("我想打个电话咨询一下，这事牵头部门的电话是多少？", history=history).abstained


@pytest.mark.parametrize("message,parts", [
    ("智能电网要弄成啥样？归哪个部门管？", ["智能电网要弄成啥样？", "归哪个部门管？"]),
    ("宽带要覆盖多大比例？光纤几年能通到村？", ["宽带要覆盖多大比例？", "光纤几年能通到村？"]),
    ("我在济南。充电桩归谁管？", ["我在济南。充电桩归谁管？"]),  # a statement, then one question
    # between question marks a piece also asks by a tag or a choice
    ("数字化装备制造中心要建多少个？工业设计中心呢？", ["数字化装备制造中心要建多少个？", "工业设计中心呢？"]),
    ("网贷平台归金融办管吧？众筹试点也归它吧？", ["网贷平台归金融办管吧？", "众筹试点也归它吧？"]),
    ("委员会里企业专家占多数还是少数？谁来牵头？", ["委员会里企业专家占多数还是少数？", "谁来牵头？"]),
    ("那些口腔治疗呢，计划里有提吗？", ["那些口腔治疗呢，计划里有提吗？"]),  # 呢 before a comma leads in
    ("老小区还是铜线上网，计划有改造工程吗？", ["老小区还是铜线上网，计划有改造工程吗？"]),  # 还是: still, one question
    # a yes/no question in the V不V form (搞不搞, 顾不顾) asks too
    ("网络安全认证计划里搞不搞？给老人做的科技服务产品，顾不顾老年心理？",
     ["网络安全认证计划里搞不搞？", "给老人做的科技服务产品，顾不顾老年心理？"]),
])
def test_a_message_is_split_where_each_piece_asks_in_any_question_word_tag_or_choice(message, parts):
    assert split_parts(message) == parts


@pytest.mark.parametrize(("message", "leads"), [
    ("信息安全保障和大数据运用这两条，牵头部门各是哪个？", ["省经济和信息化委", "省发展改革委"]),
    ("人才流动机制这条和人才引进激励这条，列第一位的部门分别是谁？", ["省教育厅", "省委组织部"]),
])
def test_each_of_two_things_asked_one_question_is_answered_of_its_own_item(assistant, message, leads):
    # 大数据运用，它牵头部门是哪家？: the part names its own subject, and its pointer points at that, not at the
    # first part's item (which would answer both parts alike)
    assert split_message(message)[1] is False
    answer = assistant.ask(message)
    lines = answer.answer.splitlines()
    assert lines[0].startswith("（1）") and leads[0] in lines[0]
    assert any(line.startswith("（2）") and leads[1] in line for line in lines)
    assert split_message("数字化装备制造中心要建多少个？由谁牵头？")[1] is True  # questions in a row lean on each other


def test_a_second_question_in_ni_asks_the_first_ones_question_of_its_subject(assistant):
    answer = assistant.ask("两化融合发展水平指数要到多少？政务信息网上公开率呢？")
    lines = answer.answer.splitlines()
    assert lines[0].startswith("（1）") and "67" in lines[0]
    assert any(line.startswith("（2）") and "95%" in line for line in lines)


@pytest.mark.parametrize("message,parts", [
    ("智能示范车间和工业设计中心，哪个目标数更多？", ["智能示范车间的目标数是多少？", "工业设计中心的目标数是多少？"]),
    ("我想问问，物流业增加值和信息消费，增速差多少？", ["我想问问，物流业增加值的增速是多少？", "我想问问，信息消费的增速是多少？"]),
    ("Which goal is higher, fixed broadband or 3G users?", ["What is the target for fixed broadband?",
                                                             "What is the target for 3G users?"]),
    ("网贷和众筹，哪个部门管？", ["网贷和众筹，哪个部门管？"]),  # which one, but no comparison of amounts
    # after the comma, what is compared may come before the question word
    ("智能示范车间和工业设计中心，到2018年哪个目标数大？", ["智能示范车间到2018年目标数是多少？",
                                                         "工业设计中心到2018年目标数是多少？"]),
    ("信息技术产业收入和全省物流总额，目标年增速哪个快？", ["信息技术产业收入的目标年增速是多少？",
                                                         "全省物流总额的目标年增速是多少？"]),
])
def test_a_comparison_of_two_figures_asks_each_ones_figure(message, parts):
    assert split_parts(message) == parts


@pytest.mark.parametrize("question", ["工业设计中心和智能示范车间，哪个目标数更多？",
                                      "工业设计中心和智能示范车间，到2018年的目标数差多少？"])
def test_a_comparison_is_answered_with_both_figures_each_quoted(assistant, question):
    answer = assistant.ask(question)
    lines = answer.answer.splitlines()
    assert lines[0].startswith("（1）") and "160个" in lines[0]
    assert any(line.startswith("（2）") and "智能示范车间100个" in line for line in lines)


@pytest.mark.parametrize("message,parts", [
    ("智慧物流和智慧旅游，计划里分别要建啥平台？", ["智慧物流，计划里要建啥平台？", "智慧旅游，计划里要建啥平台？"]),
    ("网上政务公开、网上信访，计划对这两样各有啥要求？", ["网上政务公开，计划对它有啥要求？", "网上信访，计划对它有啥要求？"]),
])
def test_two_things_named_before_a_comma_are_each_asked_what_follows(message, parts):
    assert split_parts(message) == parts


@pytest.mark.parametrize(("question", "intent"), [
    ("管这事的有几家？", Intent.DEPARTMENT),  # how many are responsible: which ones
    ("这一条有几家单位负责？", Intent.DEPARTMENT),
    ("计划点名了几家企业？", Intent.TARGET),  # how many firms the plan names is a figure
])
def test_how_many_units_are_responsible_asks_which_departments(question, intent):
    assert classify(question) == intent


@pytest.mark.parametrize(("question", "intent"), [
    # the plan names the lead first: the one listed first is the lead, however it is asked for
    ("名单上排头的是谁？", Intent.LEAD),
    ("跨境这摊事，名单最前头是哪个厅？", Intent.LEAD),
    ("列在最前面的是哪个厅？", Intent.LEAD),
    ("Who's first-listed for the rural and community e-commerce push?", Intent.LEAD),
    ("Before powers are run online, does the plan ask for them to be listed first?", Intent.GENERAL),
    ("头一个是建在美国吗？", Intent.GENERAL),  # the first of the things discussed, no list of bodies
    ("Which deadline comes first?", Intent.TARGET),
    # the bodies responsible asked for without a question word
    ("负责的单位能全列出来吗？", Intent.DEPARTMENT),
    ("涉及的厅局能一个个说说不？", Intent.DEPARTMENT),
    ("计划对部门之间的协同有什么要求？", Intent.GENERAL),  # 部门 as a topic asks for no body
])
def test_the_body_listed_first_is_the_lead_and_the_bodies_may_be_asked_for_in_any_words(question, intent):
    assert classify(question) == intent


def test_a_follow_up_asking_for_the_body_listed_first_or_for_every_body_stays_on_the_item(assistant):
    # 名单, 排头, 列出来 and 厅局 are in no item: they ask for the item's bodies, not about something new
    stays_on_first_item(assistant, ["村镇银行、农商行这些小银行，计划想让它们咋转型？"], ("名单上排头的是谁？",),
                        "省金融办")
    first, follows = stays_on_first_item(assistant, ["在线政务服务水平要怎么提升？"],
                                         ("负责的单位能全列出来吗？", "涉及的厅局能一个个说说不？"), "省政府办公厅")
    assert all(f.departments == first.departments for f in follows)


def test_a_question_naming_an_actions_goals_is_answered_from_its_goal_section(assistant):
    plan = assistant.plan
    assert plan.named_goal("物流目标里对城乡共同配送的覆盖面是怎么定的？") == nid("P2.G6.S1")
    assert plan.named_goal("民生板块的目标，只提了看病和上学两样？") == nid("P2.G5.S1")
    assert plan.named_goal("互联网+制造的目标里，制造业要在哪几方面水平明显提高？") == nid("P2.G1.S1")
    # two actions named (each part of such a message names its own), or a phrase every action has (互联网)
    assert plan.named_goal("能源目标和金融目标里各有一句带“逐步”的，分别说的啥？") is None
    assert plan.named_goal("互联网目标是什么？") is None and plan.named_goal("总体目标有哪些？") is None
    # the task on 城乡共同配送 is closer in words; the goals named are where the coverage is set
    answer = assistant.ask("物流目标里对城乡共同配送的覆盖面是怎么定的？")
    assert answer.citations[0].id == nid("P2.G6.S1") and "17市共同配送全覆盖" in answer.answer
    answer = assistant.ask("金融目标里，老银行跟互联网金融以后是啥关系？")
    assert answer.citations[0].id == nid("P2.G4.S1") and "良性互动" in answer.answer
    # goals named in a guess are a premise to check: the index of 67 is an overall goal, not manufacturing's
    answer = assistant.ask("两化融合发展水平指数要到67，这是制造那块的行动目标吧？")
    assert answer.citations[0].id == nid("P1.I2")


def test_a_follow_up_asking_how_many_units_take_part_lists_them(assistant):
    history = ["计划里那个全省统一的就业创业服务平台，是靠互联网建？"]
    first = assistant.ask(history[0])
    follow = assistant.ask("管这事的一共有几家？", history=history)
    assert follow.intent == "department" and follow.citations[0].id == first.citations[0].id
    assert len(follow.departments) >= 2 and follow.departments[0] in follow.answer


def test_each_part_of_a_two_part_question_in_everyday_words_gets_its_own_answer(assistant):
    answer = assistant.ask("个性化定制平台计划让哪两家大厂来建？这事归哪个部门挑头？")
    lines = answer.answer.splitlines()
    assert lines[0].startswith("（1）") and any(line.startswith("（2）") for line in lines)
    assert "红领" in answer.answer and "省经济和信息化委" in answer.answer


def test_what_the_plan_never_states_is_declined_in_a_follow_up_too(assistant):
    answer = assistant.ask("那他们的联系电话是多少？", history=["网贷平台跑路了找哪个部门？"])
    assert answer.abstained and "联系电话" in answer.answer.splitlines()[0]
    assert answer.citations[0].id.endswith("/P2.G4.S2.I3")  # the nearest item is the one being discussed


@pytest.mark.parametrize("question,stated", [
    ("能源目标里，能源网络要达到啥效果？", "能源网络的开放共享和用电智能化服务水平大幅提升"),
    ("总体目标里，发展环境要达到什么效果？", "发展环境更加优化"),
    ("农业目标里，示范基地要建多少个？", "100个")])  # a figure asked: still the figure
def test_a_goal_question_asking_what_not_how_many_is_answered_by_the_goal_in_words(assistant, question, stated):
    answer = assistant.ask(question)
    assert not answer.abstained and stated in answer.answer.splitlines()[0]


@pytest.mark.parametrize("question,lead", [
    ("Which regulator is first in line for online equity crowdfunding pilots?", "山东证监局"),
    ("Which bureau leads the work on market access for internet firms?", "省工商局")])
def test_which_bureau_or_regulator_asks_for_the_department_like_which_office(assistant, question, lead):
    answer = assistant.ask(question)
    assert answer.answer.startswith(f"Lead department: {lead}")


@pytest.mark.parametrize(("question", "fact"), [
    ("计划里点名红领，是要它干啥？", "个性化定制平台"),  # 点名 (names) asks, as 提到 does
    ("互金行业万一出了风险，计划准备建什么机制兜着？", "风险监测"),  # 互金: the everyday short form of 互联网金融
])
def test_everyday_asking_words_and_short_forms_are_no_absent_topic(assistant, question, fact):
    answer = assistant.ask(question)
    assert not answer.abstained and fact in answer.answer.splitlines()[0]


@pytest.mark.parametrize("question", ["入选的人，每年能带几名研究生？", "在线访谈一个月搞几场？"])
def test_a_count_asked_in_any_measure_word_is_a_figure_the_plan_may_not_give(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and answer.answer.startswith("计划没有给出这个数字")


def test_an_ordinal_asks_for_no_count():
    assert classify("德州是第几批入选“宽带中国”示范城市的？") != Intent.TARGET
    assert classify("入选的人，每年能带几名研究生？") == Intent.TARGET


@pytest.mark.parametrize(("question", "says"), [
    ("How many homes in Zibo already have fibre?", "reports no figures of the present"),
    ("全省现在一共有多少辆危险品运输车？", "不报告现状"),
    ("中泰证券的总部设在哪个城市？", "没有列出企业的总部"),
])
def test_a_rule_decline_says_what_kind_of_fact_the_plan_does_not_give(assistant, question, says):
    answer = assistant.ask(question)
    assert answer.abstained and says in answer.answer.splitlines()[0]


def test_a_count_in_one_measure_word_is_answered_by_a_figure_counting_the_same_thing_in_another(assistant):
    # 几座城市 is answered by 6-8个城市; 几天 still needs a figure in days
    answer = assistant.ask("定制公交、公共自行车的试点，要在几座城市铺开？")
    assert not answer.abstained and "6-8个城市" in answer.answer.splitlines()[0]


@pytest.mark.parametrize(("question", "free"), [
    ("车站、广场这些公共场所能免费上网吗？", True),  # the plan says public places get free Wi-Fi
    ("Will public places get free Wi-Fi?", True),
    ("城里的停车场能免费停吗？", False),  # of parking it says nothing: 城里 is no word of what it says is free
])
def test_whether_it_is_free_is_answered_of_what_the_plan_says_is_free(assistant, question, free):
    answer = assistant.ask(question)
    assert answer.abstained != free
    assert ("公共场所" in answer.answer.splitlines()[0]) == free
