"""Reading CLI input line by line and printing safely: every bad line gets its own clear error."""

from __future__ import annotations

import io

import pytest

from qa.lines import Line, from_arguments, parse_line, quote, read_lines, terminal_safe

USAGE = 'send {"question": "...", "history": ["earlier question", ...]}'


def test_each_line_is_read_on_its_own_and_a_bad_one_does_not_stop_the_rest():
    stdin = io.BytesIO(b"ok\n" + b"\xff\xfe\n" + "网贷平台跑路了找哪个部门？\n".encode())
    lines = list(read_lines(stdin))
    assert [(x.number, x.question, x.error is None) for x in lines] == [
        (1, "ok", True), (2, None, False), (3, "网贷平台跑路了找哪个部门？", True)]
    assert lines[1].error == "line 2 is not valid UTF-8 (byte 0xff at position 0); send UTF-8 text"


def test_an_encoded_lone_surrogate_is_invalid_utf8():
    line = parse_line("网贷".encode() + b"\xed\xa0\x80\n", 4)
    assert line.error == "line 4 is not valid UTF-8 (byte 0xed at position 6); send UTF-8 text"


def test_a_json_escaped_lone_surrogate_is_refused():
    line = parse_line(b'{"question": "\\ud800abc"}\n', 1)
    assert line.question is None and "lone surrogate" in line.error


def test_undecodable_command_line_bytes_are_refused():
    # Python hands undecodable argv bytes over as lone surrogates (surrogateescape)
    assert "lone surrogate" in from_arguments(["网贷", "\udcff"]).error
    assert from_arguments(["网贷", "平台"]) == Line(0, "网贷 平台")


def test_a_bom_before_a_json_line_is_dropped():
    line = parse_line('\ufeff{"question": "那目标是多少？", "history": ["快递进村谁来抓？"]}\r\n'.encode(), 1)
    assert line == Line(1, "那目标是多少？", ["快递进村谁来抓？"])
    assert parse_line("\ufeff网贷\n".encode(), 1).question == "网贷"


def test_null_or_absent_history_means_none_as_in_the_api():
    assert parse_line(b'{"question": "a", "history": null}', 1) == Line(1, "a", [])
    assert parse_line(b'{"question": "a"}', 1) == Line(1, "a", [])


@pytest.mark.parametrize(("raw", "error"), [
    (b'{"question": 5}', f'line 1: "question" must be a string, got int 5; {USAGE}'),
    (b'{"history": []}', f'line 1: "question" must be a string, got missing; {USAGE}'),
    (b'{"question": null}', f'line 1: "question" must be a string, got NoneType null; {USAGE}'),
    (b'{"question": "a", "history": "x"}', f'line 1: "history" must be a list of strings, got "x"; {USAGE}'),
    (b'{"question": "a", "history": [1, 2]}', f'line 1: "history" must be a list of strings, got [1, 2]; {USAGE}'),
    (b"[1,2]", f"line 1 is JSON list, not an object; {USAGE}"),
    (b'{"question": "a"', "line 1 starts with '{' but is not valid JSON (Expecting ',' delimiter, column 17); "
                          'send {"question": "...", "history": [...]} or plain text'),
])
def test_json_lines_of_the_wrong_shape_get_a_clear_error(raw, error):
    assert parse_line(raw, 1).error == error


def test_text_in_brackets_is_a_question_not_json():
    assert parse_line("[急] 网贷平台跑路了找哪个部门？".encode(), 1).question == "[急] 网贷平台跑路了找哪个部门？"


def test_errors_quote_only_a_prefix_of_a_huge_line():
    line = parse_line(b"[" + b"1," * 1_000_000 + b"1]", 1)
    assert line.error.startswith("line 1 is JSON list") and len(line.question) == 81
    assert quote("短") == "短" and quote("x" * 100, 10) == "x" * 10 + "…"


def test_terminal_escapes_are_shown_not_obeyed():
    assert terminal_safe("网贷\x1b[31m平台\x07\u202e!") == "网贷\\x1b[31m平台\\x07\\u202e!"
    assert terminal_safe("第一行\n\t第二行") == "第一行\n\t第二行"
