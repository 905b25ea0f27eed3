"""计划目录: the plan as an expandable outline, and one entry at a time; also what the page shows on load."""

from __future__ import annotations

import logging

import gradio as gr

import qa

from . import library, render, state
from .chat import ERROR_REPLY

log = logging.getLogger("qa.app")


def outline_choices(assistant: qa.Assistant, doc: str | None = None) -> list[tuple[str, str]]:
    """(breadcrumb, node id) for every node (or one document's) in reading order, for the entry dropdowns."""
    return [(n.label, n.id) for n in assistant.nodes.values() if doc is None or n.doc == doc]


def outline_for(doc: str | None) -> tuple[dict, str]:
    """The entry list and the whole tree for one document, or for every document (全部文件).

    Returns:
        (entry dropdown, outline tree HTML).
    """
    try:
        assistant = state.get_assistant()
    except Exception:
        log.exception("outline failed for %r", (doc or "")[:200])
        return gr.skip(), render.empty(ERROR_REPLY)
    doc = library.doc_of(doc)
    nodes = {k: n for k, n in assistant.nodes.items() if doc is None or n.doc == doc}
    return gr.update(choices=outline_choices(assistant, doc), value=None), render.outline_html(nodes)


def outline_entry(node_id: str | None) -> str:
    """One plan entry: breadcrumb, departments (lead marked), full text, and the entries under it."""
    if not node_id:
        return render.empty("从上面的列表中选择一个条目。")
    try:
        assistant = state.get_assistant()
    except Exception:
        log.exception("outline entry failed for %r", node_id[:200])
        return render.empty(ERROR_REPLY)
    node = assistant.nodes.get(node_id)
    if node is None:
        return render.empty(f"没有这个条目：{render.prefix(node_id, 80)}")
    return render.entry_html(node, assistant.children(node.id))


def startup(progress: gr.Progress = gr.Progress()) -> tuple[str, dict, dict, str, dict]:  # noqa: B008
    """Load the assistant when the page opens (showing the index build) and fill the lists that need it.

    Returns:
        (status line, department dropdown, outline dropdown, outline tree HTML, feedback item picker).
    """
    try:
        assistant = state.get_assistant(progress)
    except Exception as exc:
        log.exception("loading the assistant failed")
        return f"⚠️ 无法载入计划索引：{render.esc(str(exc))}", gr.skip(), gr.skip(), "", gr.skip()
    names = assistant.departments()
    titles = [n.title for n in assistant.nodes.values() if n.kind == "document"]
    choices = outline_choices(assistant)
    return (
        render.status_line(titles, len(assistant.tasks()), len(names)),
        gr.update(choices=names),
        gr.update(choices=choices),
        render.outline_html(assistant.nodes),
        gr.update(choices=choices),
    )
