"""CLI input and output hygiene: stdin lines → questions or per-line errors; text made safe for a terminal."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

BOM = "\ufeff"
# How much of a bad line an error message quotes: enough to find it, never the whole of a huge line.
QUOTE_CHARS = 80
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# C0 and C1 controls (ESC starts ANSI sequences), DEL, and the invisible bidi overrides that can
# reorder what a terminal shows; newlines and tabs stay, they are layout.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class Line:
    """One question read from the command line or stdin, or why that input line could not be used."""

    number: int  # 1-based line of stdin (0 for the command-line arguments)
    question: str | None = None
    history: list[str] = field(default_factory=list)
    error: str | None = None  # set when the line is unusable; question is then a short safe prefix or None


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A short prefix of text for an error message, with an ellipsis when it was cut."""
    return text if len(text) <= limit else text[:limit] + "…"


def terminal_safe(text: str) -> str:
    """Text with control characters shown as escapes (\\x1b, \\u202e) instead of acting on the terminal."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _surrogate_error(number: int, where: str) -> Line:
    return Line(number, None, error=f"{where} contains a lone surrogate (half of a UTF-16 pair), which is "
                "not text; send UTF-8 text")


def from_arguments(words: list[str]) -> Line:
    """The question given as command-line words (undecodable bytes arrive as lone surrogates)."""
    question = " ".join(words)
    if _SURROGATE.search(question):
        return _surrogate_error(0, "the question")
    return Line(0, question)


def parse_line(raw: bytes, number: int) -> Line:
    """One stdin line: plain text, or a JSON object {"question": str, "history": [str, ...] | null}.

    A UTF-8 BOM is dropped. A line starting with "{" must be such an object; one starting with "[" is read
    as JSON when it parses (and then refused: it is not an object), as text otherwise.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        return Line(number, None, error=f"line {number} is not valid UTF-8 (byte 0x{bad} at position {exc.start}); "
                    "send UTF-8 text")
    text = text.rstrip("\r\n").lstrip(BOM)
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return Line(number, text)
    try:
        obj = json.loads(stripped)
    except ValueError as exc:
        if stripped.startswith("["):
            return Line(number, text)  # 【…】 and [..] open ordinary questions too
        return Line(number, quote(text), error=f"line {number} starts with '{{' but is not valid JSON ({exc.msg}, "
                    f'column {exc.colno}); send {{"question": "...", "history": [...]}} or plain text')
    return _from_json(obj, number, text)


def _from_json(obj: object, number: int, text: str) -> Line:
    usage = 'send {"question": "...", "history": ["earlier question", ...]}'
    if not isinstance(obj, dict):
        return Line(number, quote(text), error=f"line {number} is JSON {type(obj).__name__}, not an object; {usage}")
    question = obj.get("question")
    if not isinstance(question, str):
        got = "missing" if "question" not in obj else f"{type(question).__name__} {quote(json.dumps(question))}"
        return Line(number, None, error=f'line {number}: "question" must be a string, got {got}; {usage}')
    history = obj.get("history")
    if history is None:  # absent or null: no earlier questions, as the /ask API reads it
        history = []
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        return Line(number, quote(question), error=f'line {number}: "history" must be a list of strings, got '
                    f"{quote(json.dumps(history, ensure_ascii=False))}; {usage}")
    if _SURROGATE.search(question) or any(_SURROGATE.search(h) for h in history):
        return _surrogate_error(number, f"line {number}")
    return Line(number, question, list(history))


def read_lines(stream: Iterable[bytes]) -> Iterator[Line]:
    """Every line of a binary stream, parsed on its own: one bad line never stops the rest."""
    for number, raw in enumerate(stream, start=1):
        yield parse_line(raw, number)
