"""The tokenizer's two segmenters: rjieba's whole dictionary, and the index's lexicon looked up per text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.index import plan_terms
from qa.ingest import read_document
from qa.lexicon import Lexicon, dictionary_source, write_lexicon
from qa.sentences import split_documents
from qa.tokenize import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "corpus" / "shandong-internet-plus-action-plan-2016-2018.txt",
             *sorted((ROOT / "tests" / "fixtures" / "corpus-more").glob("*.htm*"))]
ODD = ["", "   ", "ok", "Which 部门 leads 跨境电子商务?", "网贷平台跑路了找哪个部门？ ok", "😀电竞🎮", "\x1b[31m红\x1b[0m",
       "ＡＢＣ全角", "a" * 300, "中" * 300, "\U000f0000\U000f0001"]


@pytest.fixture(scope="module")
def lexicon(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = dictionary_source()
    assert source is not None, "jieba's dict.txt is a declared dependency (pyproject) and must be installed"
    path = tmp_path_factory.mktemp("lexicon") / "lexicon.sqlite"
    write_lexicon(source, path)
    return path


@pytest.fixture(scope="module")
def texts() -> list[str]:
    docs = [read_document(p) for p in DOCUMENTS]
    rows = [json.loads(line) for line in (ROOT / "eval" / "qa.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    lines = [line for p in DOCUMENTS for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return ([r["question"] for r in rows] + [h for r in rows for h in r.get("history", [])]
            + [n.text for d in docs for n in d.nodes] + [s.text for s in split_documents(docs)] + lines[:400] + ODD)


@pytest.mark.parametrize("checked_max", [None, 2000])  # 2000: the lookup memory is cleared again and again
def test_the_lexicon_segments_every_text_as_the_whole_dictionary_does(lexicon, texts, checked_max, monkeypatch):
    if checked_max:
        monkeypatch.setattr("qa.tokenize._CHECKED_MAX", checked_max)
    monkeypatch.setattr("qa.tokenize._LEXICON_CUTS", 10**9)  # stay on the lexicon throughout
    terms = plan_terms([read_document(p) for p in DOCUMENTS])
    whole, looked_up = Tokenizer(terms), Tokenizer(terms, lexicon=lexicon)
    assert len(texts) > 1500, len(texts)
    if checked_max:
        texts = texts[::4]  # clearing is exercised within a few hundred texts
    differ = [t for t in texts if whole(t) != looked_up(t) or whole.words(t) != looked_up.words(t)]
    assert differ == []


def test_a_long_process_moves_to_the_whole_dictionary_and_cuts_alike(lexicon, texts, monkeypatch):
    monkeypatch.setattr("qa.tokenize._LEXICON_CUTS", 20)
    whole, switching = Tokenizer(), Tokenizer(lexicon=lexicon)
    assert [switching(t) for t in texts[:15]] == [whole(t) for t in texts[:15]]
    assert type(switching._segmenter).__name__ == "_LexiconSegmenter"
    assert [switching(t) for t in texts[15:60]] == [whole(t) for t in texts[15:60]]
    assert type(switching._segmenter).__name__ == "Jieba"


def test_word_counts_come_from_the_lexicon_in_either_mode(lexicon, monkeypatch):
    monkeypatch.setattr("qa.tokenize._LEXICON_CUTS", 1)
    tokenizer = Tokenizer(lexicon=lexicon)
    assert tokenizer.frequency("自己") > 50_000 and tokenizer.frequency("殡葬") < 1_000
    tokenizer("网贷平台跑路了找哪个部门？")
    tokenizer("到2018年要建多少个智能示范车间？")  # now on the whole dictionary
    assert type(tokenizer._segmenter).__name__ == "Jieba" and tokenizer.frequency("自己") > 50_000
    assert tokenizer.frequency("对电") == 0 and Tokenizer().frequency("自己") == 0  # no lexicon: unknown


def test_the_lexicon_holds_the_dictionarys_words_and_total(lexicon):
    table = Lexicon(lexicon)
    assert table.lookup(["平台", "监管", "不是一个词呀"]) .keys() == {"平台", "监管"}
    assert table.total > 60_000_000 and table.longest >= 10
    # each word keeps its part of speech: the follow-up reading tells verbs (挑头) from nouns (殡仪馆) by it
    assert (table.tag("挑头"), table.tag("殡仪馆"), table.tag("不是一个词呀")) == ("v", "n", None)


def test_a_corrupt_lexicon_falls_back_to_the_whole_dictionary(tmp_path, caplog):
    bad = tmp_path / "lexicon.sqlite"
    bad.write_bytes(b"not a database" * 100)
    tokenizer = Tokenizer(["省金融办"], lexicon=bad)
    assert tokenizer("省金融办负责P2P平台的监管") == Tokenizer(["省金融办"])("省金融办负责P2P平台的监管")
    assert "loading jieba's whole dictionary" in caplog.text


def test_a_one_shot_answer_never_loads_the_whole_dictionary(assistant, settings):
    code = ("import sys; from qa import Assistant, Settings; from pathlib import Path; "
            f"a = Assistant(Settings(corpus_dir=Path({str(settings.corpus_dir)!r}), index_dir=Path({str(settings.index_dir)!r}))); "
            "print(a.ask('网贷平台跑路了找哪个部门？').answer.splitlines()[0]); "
            "print('rjieba' in sys.modules, 'rjieba.rjieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    first, loaded = out.stdout.strip().splitlines()[-2:]
    assert "省金融办" in first
    assert loaded == "False True"  # the Rust module, not rjieba/__init__.py's whole-dictionary segmenter
