"""The named endpoints for programs (gradio_client) and AI agents (MCP tools): ask, search, department_tasks, outline.

Gradio names each MCP tool after its function and describes it with the docstring, so the names and
docstrings here are what an agent reads. Mistakes in the input raise gr.Error: a short message, shown
to a gradio_client caller as an AppError and to an MCP client as a tool error, never a traceback.
"""

from __future__ import annotations

import json
import logging

import gradio as gr

import qa
from qa.departments import normalize
from qa.views import matching_departments

from . import render, state
from .chat import ERROR_REPLY

log = logging.getLogger("qa.app")

MAX_K = 50  # hits a search may ask for: more is no longer "the best matches"
MAX_HISTORY = 20  # earlier questions an ask may carry


def parse_history(history: list[str] | str | None) -> list[str]:
    """Earlier questions from a list or a JSON string (a plain non-JSON string is one question).

    Raises:
        qa.QuestionError: a value that is not a list of questions.
    """
    if history is None:
        return []
    if isinstance(history, str):
        if not history.strip():
            return []
        try:
            history = json.loads(history)
        except ValueError:
            return [history]
        if isinstance(history, str):
            return [history]
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        raise qa.QuestionError(
            f"history must be a list of earlier questions (strings), not {render.prefix(repr(history), 60)}"
        )
    return history[-MAX_HISTORY:]


def parse_k(k: object) -> int:
    """A hit count from a number or a numeric string.

    Raises:
        qa.QuestionError: not a whole number from 1 to MAX_K.
    """
    try:
        value = float(k) if isinstance(k, int | float | str) and not isinstance(k, bool) else float("nan")
    except ValueError:
        value = float("nan")
    if not value.is_integer() or not 1 <= value <= MAX_K:
        raise qa.QuestionError(f"k must be a whole number from 1 to {MAX_K}, not {render.prefix(repr(k), 40)}")
    return int(value)


def _user_error(exc: qa.QuestionError) -> gr.Error:
    # The library's message may quote the input; keep the reply short whatever was sent.
    return gr.Error(render.prefix(str(exc), 300), print_exception=False)


def ask(question: str, history: list[str] | str | None = None) -> dict:
    """Answer a question about the Shandong "Internet+" Action Plan 2016–2018 (山东省"互联网+"行动计划), with citations.

    Use this for any question a person asks about the plan, in Chinese or English: which department
    handles or leads something ("网贷平台跑路了找哪个部门？"), a target figure ("到2018年要建多少个智能示范车间？"),
    what a department is responsible for, or what the plan says about a topic. The answer is composed
    only from the plan's own sentences; "abstained": true means the plan does not answer the question (any
    citations then show the closest the plan comes, e.g. a task that names the subject without the figure asked).

    Args:
        question: the question, Chinese or English, up to 2,000 characters.
        history: earlier questions of the same conversation, oldest first (a list, or a JSON list string),
            so that a follow-up such as "那牵头部门是谁？" is understood.
    Returns:
        {"question", "answer", "intent", "citations": [{"n", "id", "label", "text"}], "lead_department",
        "departments", "abstained"}: the same object as `qa ask --json`.
    """
    try:
        return state.get_assistant().ask(question, history=parse_history(history)).to_json()
    except qa.QuestionError as exc:
        raise _user_error(exc) from None
    except Exception as exc:
        log.exception("/ask failed for question %r", str(question)[:200])
        raise gr.Error(ERROR_REPLY) from exc


def search(question: str, k: int = 5) -> dict:
    """Find the plan items that best match a question or topic, best first, without composing an answer.

    Use this to read the plan's own text around a topic, or to check an answer: each hit has the item's
    id, its place in the plan (label), its full text, a relevance score and its responsible departments
    (the lead first).

    Args:
        question: a question or a few words, Chinese or English.
        k: how many items to return, 1 to 50 (default 5).
    Returns:
        {"question", "hits": [{"id", "label", "text", "score", "departments"}]}, as `qa search --json`.
    """
    try:
        hits = state.get_assistant().search(question, k=parse_k(k))
    except qa.QuestionError as exc:
        raise _user_error(exc) from None
    except Exception as exc:
        log.exception("/search failed for question %r", str(question)[:200])
        raise gr.Error(ERROR_REPLY) from exc
    return {"question": question, "hits": [h.to_json() for h in hits]}


def _task(node: qa.Node) -> dict:
    return {"id": node.id, "label": node.label, "text": node.text, "departments": [d.name for d in node.departments]}


def department_tasks(department: str) -> dict:
    """List every task of one department in the plan: the tasks it leads and the tasks it shares, complete.

    Use this when asked what a department is responsible for ("省农业厅负责哪些任务？"), or to check a
    department's whole workload. Common short names work (省发改委 → 省发展改革委). The lists are
    complete, never cut to a top k.

    Args:
        department: the department's name as the plan writes it, or a common alias, e.g. 省发改委.
    Returns:
        {"department": canonical name, "leads": [{"id", "label", "text", "departments"}], "shares": [...]}.
    """
    name = (department or "").strip() if isinstance(department, str) else ""
    if not name:
        raise gr.Error("department must be a department name, e.g. 省发改委", print_exception=False)
    try:
        assistant = state.get_assistant()
        leads, shares = assistant.department_tasks(name)
    except Exception as exc:
        log.exception("/department_tasks failed for %r", name[:200])
        raise gr.Error(ERROR_REPLY) from exc
    if not leads and not shares:
        close = matching_departments(name, assistant.departments())
        hint = f"; did you mean: {', '.join(close)}?" if close else "; outline() lists every task with its departments"
        raise gr.Error(f"the plan names no department {render.prefix(name, 50)!r}{hint}", print_exception=False)
    return {"department": normalize(name), "leads": [_task(n) for n in leads], "shares": [_task(n) for n in shares]}


def outline() -> list[dict]:
    """The plan's table of contents: every part, action, section and task, in reading order.

    Use this to see what the plan covers, to find an item's id, or to answer "有哪些重点行动？".
    Each entry has its id, kind (document, part, group, section, item), breadcrumb label, title and
    departments (the lead first; empty for headings).

    Returns:
        [{"id", "kind", "label", "title", "departments"}], as `qa outline --json`.
    """
    try:
        nodes = state.get_assistant().nodes.values()
    except Exception as exc:
        log.exception("/outline failed")
        raise gr.Error(ERROR_REPLY) from exc
    return [{"id": n.id, "kind": n.kind, "label": n.label, "title": n.title,
             "departments": [d.name for d in n.departments]} for n in nodes]


def json_tool_results(blocks: gr.Blocks) -> None:
    """Make the MCP tools answer in JSON (as `qa ask --json`), not in Gradio's str() of a dict.

    Gradio 6 turns a dict a tool returns into TextContent(str(dict)): Python's repr, with single quotes
    and None. Agents should get the JSON the CLI prints, so dict and list results are dumped here;
    everything else (files, images) goes through Gradio's own conversion.
    """
    server = getattr(blocks, "mcp_server_obj", None)
    if server is None:
        return
    from mcp import types

    convert = server.postprocess_output_data

    def postprocess(data: list, root_url: str) -> list:
        if all(isinstance(d, dict | list) for d in data):
            return [types.TextContent(type="text", text=json.dumps(d, ensure_ascii=False)) for d in data]
        return convert(data, root_url)

    server.postprocess_output_data = postprocess
