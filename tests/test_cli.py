"""The `qa` command as a user runs it: real subprocesses over the session's index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from conftest import PLAN, ROOT, nid


def run_qa(args, settings, stdin=None, env_extra=None):
    env = {**os.environ, "QA_INDEX": str(settings.index_dir), "QA_CORPUS": str(settings.corpus_dir)}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "qa", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=300)


def test_search_json_prints_utf8_hits(assistant, settings):
    out = run_qa(["search", "网贷平台跑路了找哪个部门？", "--json", "--k", "2"], settings)
    assert out.returncode == 0, out.stderr
    line = out.stdout.strip()
    assert "规范发展网络借贷服务" in line  # not \u-escaped
    obj = json.loads(line)
    assert obj["question"] == "网贷平台跑路了找哪个部门？"
    assert [set(h) for h in obj["hits"]] == [{"id", "label", "text", "score", "departments"}] * 2
    assert obj["hits"][0]["id"] == nid("P2.G4.S2.I3")
    assert obj["hits"][0]["departments"][0] == "省金融办"


def test_search_reads_questions_from_stdin_and_reports_empty_ones(assistant, settings):
    stdin = "到2018年要建多少个智能示范车间？\n\nWhich department leads cross-border e-commerce?\n"
    out = run_qa(["search", "--json", "--k", "1"], settings, stdin=stdin)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [("error" in r) for r in rows] == [False, True, False]
    assert rows[0]["hits"][0]["id"] == nid("P2.G1.S1")
    assert "empty" in rows[1]["error"]
    assert rows[2]["hits"][0]["id"] == nid("P2.G7.S2.I3")


def test_plain_search_shows_label_departments_and_text(assistant, settings):
    out = run_qa(["search", "农产品质量安全追溯平台由哪些部门负责？", "--k", "3"], settings)
    assert out.returncode == 0
    assert "加快农业经营模式创新" in out.stdout and "省农业厅（牵头）" in out.stdout


def test_empty_question_exits_with_a_message_not_a_traceback(assistant, settings):
    out = run_qa(["search", "  "], settings)
    assert out.returncode == 1
    assert "the question is empty" in out.stderr and "Traceback" not in out.stderr


def test_non_utf8_corpus_file_gives_a_clear_message(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_bytes(PLAN.read_text(encoding="utf-8").encode("gb18030"))
    env = {**os.environ, "QA_INDEX": str(tmp_path / "index"), "QA_CORPUS": str(corpus)}
    out = subprocess.run([sys.executable, "-m", "qa", "search", "电子商务"], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 2
    assert "plan.txt:1: not UTF-8" in out.stderr and "Traceback" not in out.stderr


def test_unknown_embedder_lists_the_choices(tmp_path, settings):
    out = run_qa(["build", "--embedder", "word2vec"], settings, env_extra={"QA_INDEX": str(tmp_path)})
    assert out.returncode == 2
    assert "unknown embedder 'word2vec'; choose one of: e5, st:<name or path>" in out.stderr


def test_ask_json_reads_plain_and_json_lines_with_history(assistant, settings):
    stdin = "\n".join([
        "我想投诉一个非法集资的网贷平台，该找哪个部门？",
        json.dumps({"question": "那牵头部门是谁？", "history": ["到2018年要建多少个智能示范车间？"]}, ensure_ascii=False),
        "   ",
        "山东省2020年的GDP是多少？",
    ]) + "\n"
    out = run_qa(["ask", "--json"], settings, stdin=stdin)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 4 and out.returncode == 1  # one empty question among them
    first = rows[0]
    assert set(first) == {"question", "answer", "intent", "citations", "lead_department", "departments", "abstained"}
    assert first["lead_department"] == "省金融办" and not first["abstained"]
    assert set(first["citations"][0]) == {"n", "id", "label", "text"}
    assert "「" in first["answer"] and "\\u" not in out.stdout
    assert rows[1]["lead_department"] == "省经济和信息化委"
    assert "error" in rows[2]
    assert rows[3]["abstained"] and rows[3]["departments"] == []
    assert rows[0] == assistant.ask(rows[0]["question"]).to_json()  # the same through the Python API


def test_plain_ask_prints_the_answer_with_its_citation(assistant, settings):
    out = run_qa(["ask", "到2018年农村宽带接入能力要达到多少？"], settings)
    assert out.returncode == 0
    assert out.stdout.startswith("目标：农村宽带接入能力超过50M。")
    assert "[1] 一、总体目标 › 基础支撑更趋完善" in out.stdout


def run_qa_bytes(args, settings, stdin: bytes):
    env = {**os.environ, "QA_INDEX": str(settings.index_dir), "QA_CORPUS": str(settings.corpus_dir)}
    return subprocess.run([sys.executable, "-m", "qa", *args], input=stdin, capture_output=True,
                          env=env, cwd=ROOT, timeout=300)


def test_a_batch_with_bad_bytes_lone_surrogates_and_wrong_json_answers_every_other_line(assistant, settings):
    stdin = b"\n".join([
        "网贷平台跑路了找哪个部门？".encode(),
        b"\xff\xfe",
        "网贷".encode() + b"\xed\xa0\x80",  # a lone surrogate, UTF-8 encoded
        b'{"question": "\\udc80"}',
        b'{"question": "a", "history": null}',
        b'{"question": 5}',
        b'{"question": "a", "history": "x"}',
        b"[1,2]",
        b"\xef\xbb\xbf" + json.dumps({"question": "那牵头部门是谁？", "history": ["网贷平台跑路了找哪个部门？"]},
                                      ensure_ascii=False).encode(),
        "到2018年要建多少个智能示范车间？".encode(),
    ]) + b"\n"
    out = run_qa_bytes(["ask", "--json"], settings, stdin)
    assert out.returncode == 1 and b"Traceback" not in out.stderr
    rows = [json.loads(line) for line in out.stdout.decode("utf-8").splitlines()]
    assert len(rows) == 10  # one object per line, none lost
    errors = [r.get("error", "") for r in rows]
    assert [bool(e) for e in errors] == [False, True, True, True, False, True, True, True, False, False]
    assert errors[1] == "line 2 is not valid UTF-8 (byte 0xff at position 0); send UTF-8 text"
    assert "not valid UTF-8" in errors[2] and "lone surrogate" in errors[3]
    assert '"question" must be a string, got int 5' in errors[5]
    assert '"history" must be a list of strings, got "x"' in errors[6] and "JSON list, not an object" in errors[7]
    assert rows[0]["lead_department"] == "省金融办"
    assert rows[8]["question"] == "那牵头部门是谁？" and rows[8]["lead_department"] == "省金融办"  # BOM dropped
    assert rows[9]["question"] == "到2018年要建多少个智能示范车间？"


def test_plain_output_escapes_terminal_control_sequences(assistant, settings):
    question = "网贷\x1b[31m平台\x1b]0;owned\x07跑路了找哪个部门？"
    for command in (["search", question, "--k", "1"], ["ask", question]):
        out = run_qa(command, settings)
        assert out.returncode == 0, out.stderr
        assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert "网贷\\x1b[31m平台\\x1b]0;owned\\x07" in run_qa(["search", question, "--k", "1"], settings).stdout


def test_a_stuck_manifest_is_rebuilt_by_the_next_command(assistant, settings, tmp_path):
    shutil.copytree(settings.index_dir / "e5", tmp_path / "index" / "e5")  # a copy of the session's index
    env = {**os.environ, "QA_INDEX": str(tmp_path / "index"), "QA_CORPUS": str(settings.corpus_dir)}
    (tmp_path / "index" / "e5" / "manifest.json").write_text("[]", encoding="utf-8")
    (tmp_path / "index" / ".e5.build-killed").mkdir()
    out = subprocess.run([sys.executable, "-m", "qa", "search", "电子商务", "--json", "--k", "1"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert "is not an index manifest" in out.stderr and json.loads(out.stdout)["hits"]
    assert not (tmp_path / "index" / ".e5.build-killed").exists()
