"""Retrieval on the real plan with the real default embedder: acceptance questions, the fixed set, bad input."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import nid

from qa import QuestionError
from qa.retrieve import Searcher


def titles(hits):
    return [h.label.split(" › ")[-1] for h in hits]


def test_traceability_question_finds_the_farm_business_task_led_by_agriculture(assistant):
    hits = assistant.search("农产品质量安全追溯平台由哪些部门负责？", k=3)
    hit = next(h for h in hits if h.node_id == nid("P2.G2.S2.I2"))
    assert hit.label.endswith("加快农业经营模式创新")
    assert hit.departments[0].name == "省农业厅" and hit.departments[0].lead


def test_a_verbatim_phrase_of_the_plan_lifts_its_item_to_the_top(assistant):
    # 农产品质量安全追溯平台 appears word for word in 加快农业经营模式创新; without the phrase boost the
    # food-safety task ranked first on topic alone
    question = "农产品质量安全追溯平台由哪些部门负责？"
    assert assistant.search(question, k=1)[0].node_id == nid("P2.G2.S2.I2")
    fused_only = assistant.searcher.fuse(assistant.searcher.dense_scores(question),
                                         assistant.searcher.bm25_scores(question), True)
    assert assistant.index.chunks[int(fused_only.argmax())].node_id != nid("P2.G2.S2.I2")
    assert assistant.ask(question).lead_department == "省农业厅"


@pytest.mark.parametrize(("question", "gold"), [
    ("等公交的时候能在手机上看到车还有多久到站吗？这事谁在推？", "P2.G8.S2.I3"),
    ("能在网上全程看到农产品是怎么种出来的农场，计划里管这个叫什么？", "P2.G2.S2.I2"),
])
def test_the_item_whose_one_sentence_matches_a_fine_fact_question_ranks_first(assistant, question, gold):
    # each of these items holds the fact in one sentence among many: ranked by their whole text they lose to
    # an item about the same topic in general; the third fusion ranking, by best sentence, lifts them
    searcher = assistant.searcher
    assert searcher.search(question, k=1)[0].node_id == nid(gold)
    dense, bm25 = searcher.dense_scores(question), searcher.bm25_scores(question)
    two_sided = searcher.phrase_boost(question, searcher.fuse(dense, bm25, True))
    assert assistant.index.chunks[int(two_sided.argmax())].node_id != nid(gold)


def test_english_cross_border_question_ranks_the_cross_border_task_first(assistant):
    hits = assistant.search("Which department leads cross-border e-commerce?")
    assert titles(hits)[0] == "加快跨境电子商务发展"
    assert hits[0].departments[0].name == "省商务厅"


def test_english_questions_are_ranked_at_least_as_well_by_the_hybrid_as_by_either_side(assistant, qa_rows):
    # BM25 sees an English question only through the glossary, yet ranks it better than the dense side;
    # the fusion must not let the dense side outvote it (with BM25 weighed at 0.3, dev's English Recall@1
    # was 0.69 for the hybrid and 0.78 for BM25 alone). Every written split counts: dev alone has 38 such
    # questions, where one question decides; on dev..test14 the sentence ranking raised English Recall@1
    # from 0.73 to 0.79
    english = [r for r in qa_rows if r["split"] != "feedback" and r["type"] in ("english", "target", "detail", "lead", "dept")
               and r["gold"] and not r.get("history") and not any("\u4e00" <= c <= "\u9fff" for c in r["question"])]
    assert len(english) >= 300

    def at1(retriever):
        return sum(assistant.search(r["question"], k=1, retriever=retriever)[0].node_id in r["gold"] for r in english)

    assert at1("hybrid") >= max(at1("bm25"), at1("dense"))


@pytest.mark.parametrize("retriever", ["hybrid", "dense", "bm25"])
def test_every_retriever_returns_k_distinct_items_with_scores(assistant, retriever):
    hits = assistant.search("到2018年要建多少个智能示范车间？", k=4, retriever=retriever)
    assert len(hits) == 4 and len({h.node_id for h in hits}) == 4
    assert hits[0].score >= hits[-1].score
    assert hits[0].node_id == nid("P2.G1.S1")


def test_hybrid_meets_the_recall_bar_on_the_fixed_colloquial_questions(assistant, qa_rows):
    fixed = [r for r in qa_rows if r.get("fixed")]
    assert len(fixed) >= 40
    at1 = at5 = 0
    for row in fixed:
        ranked = [h.node_id for h in assistant.search(row["question"], k=5)]
        at1 += ranked[0] in row["gold"]
        at5 += bool(set(ranked) & set(row["gold"]))
    assert at5 / len(fixed) >= 0.95
    assert at1 / len(fixed) >= 0.80


@pytest.mark.parametrize("question", ["", "   \n\t ", "\x00\x01\x02"])
def test_empty_questions_are_refused_with_a_clear_message(assistant, question):
    with pytest.raises(QuestionError, match="the question is empty"):
        assistant.search(question)


def test_a_ten_thousand_character_question_is_refused_with_its_length(assistant):
    with pytest.raises(QuestionError, match="10000 characters long; the limit is 2000"):
        assistant.search("网" * 10_000)


def test_control_characters_and_odd_symbols_still_give_sane_results(assistant):
    hits = assistant.search("网贷\x07平台\u200b跑路了\x1b[31m找哪个部门？？？🙃")
    assert hits[0].node_id == nid("P2.G4.S2.I3")


def test_unknown_retriever_lists_the_choices(assistant):
    with pytest.raises(ValueError, match="choose one of: hybrid, dense, bm25"):
        assistant.search("电子商务", retriever="sparse")


HELD_OUT_ENGLISH = [
    ("Who is in charge of smart energy services such as paying electricity bills online?", "P2.G3.S2.I4"),
    ("Which agency leads food and drug safety supervision?", "P2.G5.S2.I2"),
    ("Who leads the building of a unified government website platform?", "P2.G10.S2.I1"),
    ("What is the growth target for total logistics value?", "P2.G6.S1"),
    ("Who is responsible for tax incentives for internet companies?", "P3.G2.S2"),
    ("Which department leads online hospital appointment services?", "P2.G5.S2.I1"),
    ("Who promotes e-commerce service points in villages?", "P2.G7.S2.I2"),
    ("Which department oversees monitoring of hazardous goods transport vehicles?", "P2.G6.S2.I4"),
    ("Who leads the smart tourism platform?", "P2.G5.S2.I5"),
    ("Which office handles internet finance industry association and risk monitoring?", "P2.G4.S2.I5"),
    ("Who is responsible for talent mobility between universities and companies?", "P3.G4.S1"),
    ("What is the target for intelligent sensing of transport infrastructure?", "P2.G8.S1"),
]


def test_english_questions_outside_the_eval_set_find_their_item_in_the_top_three(assistant):
    # written after the glossary, to check it generalises beyond the questions it was written against
    found = sum(nid(gold) in [h.node_id for h in assistant.search(q, k=3)] for q, gold in HELD_OUT_ENGLISH)
    assert found == len(HELD_OUT_ENGLISH)


def test_english_bm25_sees_the_question_through_the_glossary(assistant):
    scores = assistant.searcher.bm25_scores("Which department leads cross-border e-commerce?")
    best = assistant.index.chunks[int(scores.argmax())]
    assert best.node_id == nid("P2.G7.S2.I3")


@pytest.mark.parametrize("question,gold", [
    ("Who keeps watch over trucks carrying dangerous chemicals around the clock?", "P2.G6.S2.I4"),  # 危险
    ("Is there a database of the human liver?", "P2.G5.S2.I1"),  # 人类 肝脏
    ("What does the plan say about remote diagnosis for rural patients?", "P2.G5.S2.I1")])  # 诊疗
def test_english_bm25_also_searches_by_the_dictionary_words_the_glossary_lacks(assistant, question, gold):
    def best(searcher):
        return assistant.index.chunks[int(searcher.bm25_scores(question).argmax())].node_id

    glossary_only = Searcher(assistant.index, replace(assistant.settings, dictionary_translations=0),
                             assistant.searcher.translations)
    assert best(assistant.searcher) == nid(gold) != best(glossary_only)


EVERYDAY_CHINESE = [
    ("家里交电费能在手机上办吗？", "P2.G3.S2.I4"), ("汽车修理厂能在网上预约吗？", "P2.G8.S2.I2"),
    ("网约车归哪个部门管？", "P2.G8.S2.I2"), ("小区里的快递柜谁负责建？", "P2.G6.S2.I2"),
    ("盗版软件、网上侵权找谁投诉？", "P3.G3.S2"), ("开网店办营业执照能快点吗？", "P3.G3.S3"),
    ("养老院能不能用上智能设备？", "P2.G5.S2.I4"), ("废旧家电回收有网上平台吗？", "P2.G9.S2.I3"),
    ("农村老人看病能远程问诊吗？", "P2.G5.S2.I1"), ("工厂用机器人换人有什么支持？", "P2.G1.S2.I3"),
    ("网上买的奶粉怎么查来源？", "P2.G5.S2.I2"), ("高校老师兼职赚的钱归谁？", "P3.G4.S1"),
]
FRESH_CHINESE = [
    ("想在网上查空气质量，谁在管这个？", "P2.G9.S2.I1"), ("政府会不会把公共数据开放给企业用？谁牵头？", "P3.G1.S2"),
    ("手机支付坐公交，计划里有吗？", "P2.G8.S2.I2"), ("外贸公司想在国外建仓库，政府支持吗？", "P2.G7.S2.I3"),
    ("电网故障能提前预警吗？", "P2.G3.S2.I2"), ("农村的土地流转信息在哪里查？", "P2.G2.S2.I3"),
    ("海洋牧场的水质监测谁负责？", "P2.G9.S2.I1"), ("危险化学品运输车出事了能实时知道吗？", "P2.G6.S2.I4"),
    ("学校的优质课程资源能共享吗？", "P2.G5.S2.I3"), ("企业信用查询平台由谁建？", "P3.G2.S3"),
    ("创业孵化基地归谁管？", "P3.G3.S1"), ("有没有统一的旅游网站可以订酒店？", "P2.G5.S2.I5"),
]


def test_everyday_words_reach_the_plan_s_terms(assistant):
    # 修车/快递柜/盗版 … are mapped to 汽车维修/自提网点/知识产权 for BM25 (the table was written with these in view)
    assert all(nid(gold) in [h.node_id for h in assistant.search(q, k=3)] for q, gold in EVERYDAY_CHINESE)


def test_colloquial_questions_written_after_the_tuning_mostly_find_their_item(assistant):
    # a held-out check: measured once after the last tuning step at 11/12 in the top 3
    found = sum(nid(gold) in [h.node_id for h in assistant.search(q, k=3)] for q, gold in FRESH_CHINESE)
    assert found >= 11


def test_the_assistant_runs_on_a_fake_embedder_without_the_engine(fake_index, fake_embedder):
    # the unit tier: a whole Assistant over a fake-built index; BM25 alone still finds the P2P task
    from qa import Assistant

    assistant = Assistant(fake_index, embedder=fake_embedder)
    assert assistant.index.manifest["embedder"] == "fake:char-bigrams-64"
    assert assistant.search("网贷平台跑路了找哪个部门？", k=1, retriever="bm25")[0].node_id == nid("P2.G4.S2.I3")
    assert len(assistant.search("网贷平台跑路了找哪个部门？", k=3)) == 3
    assert fake_embedder.query_calls >= 1


def test_shared_phrase_is_the_longest_verbatim_phrase_under_the_cap():
    from qa.retrieve import shared_phrase

    text = "建设农产品质量安全追溯平台，推进追溯体系建设。"
    assert shared_phrase("农产品质量安全追溯平台由谁负责", text, 6, 18) == 11  # 农产品质量安全追溯平台
    assert shared_phrase("农产品追溯", text, 6, 18) == 0  # shorter than six characters
    assert shared_phrase("质量安全追溯体系", text, 6, 18) == 6  # 质量安全追溯; 追溯体系 alone is too short
    assert shared_phrase("建设农产品质量安全追溯平台，推进追溯体系建设", text, 6, 18) == 18  # capped
