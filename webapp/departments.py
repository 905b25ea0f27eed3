"""部门: the tasks a department leads and shares, and who is responsible for a topic — answered in Chinese."""

from __future__ import annotations

import logging

import gradio as gr

import qa
from qa.departments import normalize
from qa.views import matching_departments, topic_tasks

from . import library, render, state
from .chat import ERROR_REPLY

log = logging.getLogger("qa.app")

PROMPT = "选择或输入一个部门，例如 省农业厅。"
TOPIC_PROMPT = "请输入一个事项，例如：跨境电子商务。"


def department_choices(doc: str | None = None) -> dict:
    """The department dropdown's names: the library's, or one document's (most tasks first, as on load)."""
    assistant = state.get_assistant()
    names = assistant.departments()
    if library.doc_of(doc):
        named = {d.name for n in assistant.tasks() if n.doc == library.doc_of(doc) for d in n.departments}
        names = [n for n in names if n in named]
    return gr.update(choices=names)


def department_view(name: str | None, doc: str | None = None) -> str:
    """The tasks a department leads and the tasks it shares, each expandable to its full text.

    Args:
        name: a department as the plan names it, or an alias (省发改委).
        doc: the document filter's value: one document's id, or 全部文件 / None for every document.
    """
    name = (name or "").strip()
    if not name:
        return render.empty(PROMPT)
    try:
        assistant = state.get_assistant()
        leads, shares = assistant.department_tasks(name)
        found = bool(leads or shares)
        if library.doc_of(doc):
            leads, shares = ([n for n in nodes if n.doc == library.doc_of(doc)] for nodes in (leads, shares))
    except Exception:
        log.exception("department view failed for %r", name[:200])
        return render.empty(ERROR_REPLY)
    if found and not leads and not shares:
        return render.empty(f"这份文件没有列出{name}的任务；选择「{library.ALL}」可查看它在其他文件中的任务。")
    if not leads and not shares:
        return render.unknown_department_html(name, matching_departments(name, assistant.departments()))
    canonical = normalize(name)
    return render.department_html(canonical if canonical == name else f"{canonical}（{name}）", leads, shares)


def topic_error(exc: qa.QuestionError, topic: str, limit: int) -> str:
    """Why a topic was not searched, in Chinese (the library's messages are English)."""
    if not topic.strip():
        return TOPIC_PROMPT
    if len(topic.strip()) > limit:
        return f"事项太长了（{len(topic.strip())} 字），上限是 {limit} 字，请缩短后再试。"
    return "无法查找这个事项，请换个说法再试。"


def topic_departments(topic: str | None, doc: str | None = None, k: int = 5) -> str:
    """The responsible departments of the tasks that best match a topic, lead first.

    Args:
        topic: any words, e.g. 跨境电子商务 or 农产品追溯.
        doc: the document filter's value: one document's id, or 全部文件 / None for every document.
        k: how many matching plan items to look at.
    """
    topic, doc = topic or "", library.doc_of(doc)
    try:
        assistant = state.get_assistant()
        hits = [h for h in assistant.search(topic, k=k, doc=doc) if h.departments] if doc else \
            topic_tasks(assistant, topic, k=k)
    except qa.QuestionError as exc:
        return render.empty(topic_error(exc, topic, assistant.settings.max_question_chars))
    except Exception:
        log.exception("topic search failed for %r", topic[:200])
        return render.empty(ERROR_REPLY)
    return render.topic_html(topic, hits)
