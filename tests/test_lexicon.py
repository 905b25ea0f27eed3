"""The word lists under qa/data are data with rules: every target is in the plan, no self-maps, no duplicates."""

from __future__ import annotations

from importlib import resources

import pytest
from conftest import PLAN

from qa.departments import normalize
from qa.glossary import DATA_FILES, WORD_FILES, english_terms, table, words


@pytest.fixture(scope="module")
def plan_text() -> str:
    from qa.structure import parse_plan

    doc = parse_plan(PLAN)
    return PLAN.read_text(encoding="utf-8") + "\n".join(n.text for n in doc.nodes)


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_target_term_occurs_in_the_plan(name, plan_text):
    missing = [(key, t) for key, terms in table(name).items() for t in terms if t not in plan_text]
    assert missing == []


@pytest.mark.parametrize("name", DATA_FILES)
def test_no_entry_maps_a_word_to_itself(name):
    assert [k for k, terms in table(name).items() if k in {t.lower() for t in terms}] == []


@pytest.mark.parametrize("name", DATA_FILES)
def test_no_key_is_listed_twice(name):
    lines = resources.files("qa").joinpath("data", name).read_text(encoding="utf-8").splitlines()[1:]
    keys = [line.split("\t", 1)[0].strip().lower() for line in lines if line.strip() and not line.startswith("#")]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("name", DATA_FILES)
def test_department_targets_are_canonical_names(name):
    # a target that is a department alias (省发改委) must be written as the canonical name
    assert [t for terms in table(name).values() for t in terms if normalize(t) != t] == []


def test_a_duplicate_key_is_refused_with_file_and_line(tmp_path, monkeypatch):
    from qa import glossary

    data = tmp_path / "qa" / "data"
    data.mkdir(parents=True)
    (data / "glossary_en.tsv").write_text("english\tchinese\nbank\t银行\nbank\t金融\n", encoding="utf-8")
    monkeypatch.setattr(glossary.resources, "files", lambda _pkg: tmp_path / "qa")
    glossary.table.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"glossary_en.tsv:3: duplicate key 'bank'"):
            glossary.table("glossary_en.tsv")
    finally:
        glossary.table.cache_clear()


@pytest.mark.parametrize("name", WORD_FILES)
def test_word_lists_load_without_duplicates_and_hold_no_plan_topic(name):
    listed = words(name)
    assert len(listed) > 100
    assert not listed & {"p2p", "电子商务", "物流", "e-commerce", "logistics"}  # topics are never stopwords


@pytest.mark.parametrize("question,phrase,terms", [
    ("Will pensions be paid online?", "pensions", ("养老",)),  # listed singular, asked plural
    ("Where can I pick up a parcel?", "parcel", ("快递", "快件")),  # listed plural, asked singular
    ("Which startups get help?", "startups", ("创业",)),
    ("Who handles subsidies?", "subsidies", ("补助",))])  # both numbers listed: each keeps its own entry
def test_a_glossary_phrase_is_found_in_either_number(question, phrase, terms):
    assert (phrase, terms) in english_terms(question)


@pytest.mark.parametrize("question", ["Is custom furniture covered?", "What does the future hold?",
                                      "Is it good for farmers?"])
def test_a_plural_with_a_meaning_of_its_own_is_not_found_in_its_singular(question):
    found = {phrase for phrase, _ in english_terms(question)}
    assert not found & {"custom", "future", "good"}
