"""部门: the tasks a department leads and shares, and who is responsible for a topic — answered in Chinese."""

from __future__ import annotations

import logging

import qa
from qa.departments import normalize
from qa.views import matching_departments, topic_tasks

from . import render, state
from .chat import ERROR_REPLY

log = logging.getLogger("qa.app")

PROMPT = "选择或输入一个部门，例如 省农业厅。"
TOPIC_PROMPT = "请输入一个事项，例如：跨境电子商务。"


def department_view(name: str | None) -> str:
    """The tasks a department leads and the tasks it shares, each expandable to its full text.

    Args:
        name: a department as the plan names it, or an alias (省发改委).
    """
    name = (name or "").strip()
    if not name:
        return render.empty(PROMPT)
    try:
        assistant = state.get_assistant()
        leads, shares = assistant.department_tasks(name)
    except Exception:
        log.exception("department view failed for %r", name[:200])
        return render.empty(ERROR_REPLY)
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


def topic_departments(topic: str | None, k: int = 5) -> str:
    """The responsible departments of the tasks that best match a topic, lead first.

    Args:
        topic: any words, e.g. 跨境电子商务 or 农产品追溯.
        k: how many matching plan items to look at.
    """
    topic = topic or ""
    try:
        assistant = state.get_assistant()
        hits = topic_tasks(assistant, topic, k=k)
    except qa.QuestionError as exc:
        return render.empty(topic_error(exc, topic, assistant.settings.max_question_chars))
    except Exception:
        log.exception("topic search failed for %r", topic[:200])
        return render.empty(ERROR_REPLY)
    return render.topic_html(topic, hits)
