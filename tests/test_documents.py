"""Answers across several documents: the plan plus the three State Council pages, as published (HTML).

Each citation names its document; a question that names a document is answered from it alone; reverse
lookups span every document. The library is built once for this module with the real embedder."""

from __future__ import annotations

import shutil

import pytest
from conftest import PLAN, ROOT

from qa import Assistant, Settings

# A real e5 index of the plan and the three State Council pages, built once for the module.
pytestmark = pytest.mark.integration

FIXTURES = ROOT / "tests" / "fixtures" / "corpus-more"
SPORTS = "guobanfa-2018-121-sports-events"
FARM = "guofa-2018-42-agricultural-mechanization"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, assistant: Assistant, settings: Settings) -> Assistant:
    corpus = tmp_path_factory.mktemp("library")
    shutil.copy(PLAN, corpus)
    for page in FIXTURES.glob("*.html"):
        shutil.copy(page, corpus)
    index = tmp_path_factory.mktemp("library-index")
    # start from the session's index of the plan: the build reuses its vectors and embeds the three pages
    shutil.copytree(settings.index_dir, index, dirs_exist_ok=True)
    return Assistant(Settings(corpus_dir=corpus, index_dir=index, embedder="e5"))


def test_citations_name_their_document_by_short_title_and_number(library):
    answer = library.ask("网贷平台跑路了找哪个部门？")
    assert answer.lead_department == "省金融办"
    assert answer.citations[0].label.startswith("《互联网+行动计划》鲁政发〔2016〕14号 › ")
    assert f"[1] {answer.citations[0].label}" in answer.answer


@pytest.mark.parametrize("question", ["国办发〔2018〕121号里谁负责职业联赛？", "体育竞赛那份文件里谁负责职业联赛？"])
def test_a_question_that_names_a_document_is_answered_from_it(library, question):
    answer = library.ask(question)
    assert not answer.abstained
    assert all(library.node(c.id).doc == SPORTS for c in answer.citations)
    assert answer.citations[0].label.startswith("《加快发展体育竞赛表演产业》国办发〔2018〕121号")
    assert "体育总局" in answer.departments


def test_the_doc_argument_keeps_an_answer_to_one_document(library):
    answer = library.ask("谁负责推进农机装备产业转型升级？", doc=FARM)
    assert answer.citations and all(library.node(c.id).doc == FARM for c in answer.citations)
    with pytest.raises(ValueError, match="the library holds"):
        library.ask("谁负责？", doc="no-such-document")


def test_a_ministry_is_looked_up_across_every_document(library):
    answer = library.ask("工业和信息化部在这些文件里牵头哪些任务？")
    leads, shares = library.department_tasks("工业和信息化部")
    assert answer.intent == "reverse" and len(answer.citations) == len(leads) + len(shares)
    assert {library.node(c.id).doc for c in answer.citations} >= {FARM}


def test_which_documents_ask_a_provincial_department_to_lead(library):
    answer = library.ask("哪些文件要求省商务厅牵头？")
    leads, _ = library.department_tasks("省商务厅")
    assert answer.intent == "reverse" and leads
    assert all(c.label.startswith("《互联网+行动计划》") for c in answer.citations)


def test_a_document_without_a_lead_note_says_so(library):
    answer = library.ask("国办发〔2018〕129号里谁负责推动电商平台开设扶贫频道？")
    assert not answer.abstained and answer.lead_department is None
    assert "文件未指明牵头单位" in answer.answer
