"""问答: a chat with streamed, cited answers; each turn keeps its question, history and answer for ratings."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import gradio as gr

import qa

from . import library, render, state

log = logging.getLogger("qa.app")

ERROR_REPLY = "抱歉，处理这个问题时出错了，错误已记录。请换个说法再试一次，或稍后再试。"
THINKING = "正在查阅计划……"
STREAM_DELAY = 0.02  # seconds between streamed pieces of an answer; tests set it to 0

# {"question": str, "history": [str], "answer": the `qa ask --json` object or None, "doc": the document asked of or None}
Turn = dict


def history_of(turns: list[Turn]) -> list[str]:
    """The earlier questions that were answered (refused or failed ones are no context for follow-ups)."""
    return [t["question"] for t in turns if t["answer"] is not None]


def refusal(exc: qa.QuestionError, message: str, limit: int) -> str:
    """A Chinese explanation of why a question was not searched; never repeats a long question."""
    length = len(message.strip())
    if length > limit:
        return f"这个问题太长了（{length} 字），上限是 {limit} 字。请一次只问一个话题，把问题缩短后再试。"
    return f"无法处理这个问题：{render.esc(render.prefix(str(exc)))}"


def chat(
    message: str,
    messages: list[dict] | None,
    turns: list[Turn] | None,
    doc: str | None = None,
    progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio's way of asking for a progress bar
) -> Iterator[tuple[list[dict], list[Turn], str, str]]:
    """Answer a chat message, streaming the reply; the conversation's answered questions are its history.

    Args:
        message: what the user typed.
        messages: the Chatbot's messages so far.
        turns: one record per assistant message so far (question, history, answer JSON).
        doc: the document filter's value: one document's id, or 全部文件 / None for the whole library.
    Yields:
        (chat messages, turns, sources panel HTML, new textbox value). The box is cleared when the message
        is taken and left alone after, so a question typed while the answer streams is kept (and sent
        after it: the page's submit runs with trigger_mode="always_last").
    """
    messages, turns = list(messages or []), list(turns or [])
    if not (message or "").strip():
        yield messages, turns, gr.skip(), ""  # an empty message adds no turn
        return
    history = history_of(turns)
    messages.append({"role": "user", "content": render.shown_question(message)})
    messages.append({"role": "assistant", "content": THINKING})
    yield messages, turns, gr.skip(), ""

    turn: Turn = {"question": message, "history": history, "answer": None, "doc": library.doc_of(doc)}
    try:
        assistant = state.get_assistant(progress)
        answer = assistant.ask(message, history=history, doc=turn["doc"])
    except qa.QuestionError as exc:  # raised by ask(), so the assistant is loaded
        messages[-1] = {"role": "assistant", "content": refusal(exc, message, assistant.settings.max_question_chars)}
        yield messages, [*turns, turn], gr.skip(), gr.skip()
        return
    except Exception:
        log.exception("chat failed for question %r", message[:200])
        messages[-1] = {"role": "assistant", "content": ERROR_REPLY}
        yield messages, [*turns, turn], gr.skip(), gr.skip()
        return

    turns.append({**turn, "answer": answer.to_json()})
    panel = render.sources_html(assistant.nodes, answer)
    shown = ""
    for piece in render.pieces(render.chat_text(answer.answer)):
        shown += piece
        messages[-1] = {"role": "assistant", "content": shown}
        yield messages, turns, panel, gr.skip()
        if STREAM_DELAY:
            time.sleep(STREAM_DELAY)
    if not shown:
        messages[-1] = {"role": "assistant", "content": "（没有回答）"}
        yield messages, turns, panel, gr.skip()


def new_chat() -> tuple[list[dict], list[Turn], str, str]:
    """Clear the conversation: no messages, no turns, an empty sources panel and textbox."""
    return [], [], render.SOURCES_PLACEHOLDER, ""
