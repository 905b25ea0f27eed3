"""文库: the library's documents and their counts, an upload that adds one, and the document filter the tabs share.

Uploading writes into corpus/, so it is offered only when the app was started with a login (QA_AUTH) or with
--allow-upload; launch() says which, and the handler checks again (a hidden control can still be called).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import gradio as gr

import qa
from qa.ingest import MAX_FILE_BYTES
from qa.library import add, summary
from qa.structure import DOCUMENT_SUFFIXES

from . import render, state

log = logging.getLogger("qa.app")

ALL = "全部文件"  # the filter's value for the whole library (a document id is a file stem, never this)
UPLOAD_OFF = "上传未开启：只有带登录（QA_AUTH）或以 --allow-upload 启动的应用才能加入文件。"
TYPES = "、".join(DOCUMENT_SUFFIXES)
UPLOAD_LABEL = f"加入文件（{TYPES}，每个不超过 {MAX_FILE_BYTES // 2**20} MB）"

_uploads = False
_adding = threading.Lock()  # one upload at a time: each re-indexes the whole library's manifest


RELOAD_FAILED = "已加入并索引「{name}」，但载入新文库时出错（错误已记录）；问答仍用原来的文库，重启应用后生效。"


def allow_uploads(allowed: bool) -> None:
    """Whether this app may add documents (set by launch(): a login or --allow-upload)."""
    global _uploads
    _uploads = bool(allowed)


def uploads_allowed() -> bool:
    """Whether the upload control is shown and its handler accepts files."""
    return _uploads


def doc_of(choice: str | None) -> str | None:
    """A document filter's value as the `doc=` the assistant takes: None for 全部文件 (or nothing chosen)."""
    return None if not choice or choice == ALL else choice


def doc_choices(assistant: qa.Assistant) -> list[tuple[str, str]]:
    """(《short title》number, id) for every document, after 全部文件."""
    return [(ALL, ALL)] + [(assistant.plan.citation_prefix(d), d) for d in assistant.doc_ids()]


def doc_filter(assistant: qa.Assistant) -> dict:
    """A document dropdown set to 全部文件, shown only when the library holds more than one document."""
    return gr.update(choices=doc_choices(assistant), value=ALL, visible=len(assistant.doc_ids()) > 1)


def table(assistant: qa.Assistant) -> str:
    """The 文库 table: id, title, number, date, tasks with departments and departments, per document."""
    return render.library_html([summary(d) for d in assistant.docs])


def on_load() -> tuple[str, dict, dict, dict, dict]:
    """The table, whether the upload shows, and the three document filters, when the page opens.

    Returns:
        (table HTML, upload control, chat filter, 部门 filter, 计划目录 filter).
    """
    upload = gr.update(visible=uploads_allowed())
    try:
        assistant = state.get_assistant()
    except Exception:
        log.exception("loading the library failed")
        return render.empty("无法载入文库。"), upload, gr.skip(), gr.skip(), gr.skip()
    filters = doc_filter(assistant)
    return table(assistant), upload, filters, filters, filters


def file_size(n: int) -> str:
    """A byte count as people read it: 20 MB, 1.5 MB, 48 KB."""
    return f"{n / 2**20:.3g} MB" if n >= 2**20 else f"{max(1, round(n / 1024))} KB"


def precheck(path: Path) -> str | None:
    """Why a file is refused before it is read (its type or its size), in Chinese; None when it may be read."""
    name = render.prefix(path.name, 80)
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        return f"未加入「{name}」：不支持这种文件类型，请上传 {TYPES} 文件。"
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"未加入「{name}」：文件有 {file_size(size)}，超过 {file_size(MAX_FILE_BYTES)} 的上限。"
    return None


def refusal(path: Path, exc: Exception) -> str:
    """Why a file that was read was not added, in Chinese, with the library's own reason after it."""
    name = render.prefix(path.name, 80)
    reason = render.prefix(str(exc).replace(str(path), path.name), 200)
    if "no text layer" in reason:
        return f"未加入「{name}」：这个 PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）再上传。"
    return f"未加入「{name}」：无法把它读成一份政策文件，文库没有改变。原因：{reason}"


def _note_only(note: str) -> tuple[str, dict, dict, dict, dict]:
    """upload's reply that shows only a note: the table and the filters are left as they are."""
    return render.empty(note), gr.skip(), gr.skip(), gr.skip(), gr.skip()


def upload(
    file: str | None,
    progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio's way of asking for a progress bar
) -> tuple[str, str | dict, dict, dict, dict]:
    """Add an uploaded document to the library, re-index it alone, reload the assistant and refresh the tab.

    Args:
        file: the uploaded file's path (Gradio keeps its original name, which becomes the document id).
    Returns:
        (note, table HTML, chat filter, 部门 filter, 计划目录 filter); on a refused file only the note changes.
    """
    path = Path(file or "")  # "" is the folder ".", never a file
    problem = UPLOAD_OFF if not uploads_allowed() else precheck(path) if path.is_file() else "请选择一个文件。"
    if problem:
        return _note_only(problem)
    with _adding:
        try:
            assistant = state.get_assistant(progress)
            progress(0.3, desc=f"正在加入并索引 {path.name}")
            change = add(assistant.settings, [path], embedder=assistant.index.embedder)
        except (qa.PlanError, ValueError) as exc:  # IngestError is a PlanError; a clashing id a ValueError
            return _note_only(refusal(path, exc))
        except Exception:
            log.exception("adding %s failed", path.name)
            note = f"加入「{path.name}」时出错，错误已记录，文库没有改变。"
            return _note_only(note)
        try:
            assistant = state.reload()
        except Exception:  # the file is in and indexed; the assistant serving now stays until a restart
            log.exception("reloading the library after adding %s failed", path.name)
            return _note_only(RELOAD_FAILED.format(name=path.name))
    doc = change.added[0]
    title = next((d.title for d in assistant.docs if d.key == doc), doc)
    note = render.esc(f"已加入《{title}》（{doc}），文库现有 {change.documents} 份文件。")
    filters = doc_filter(assistant)
    return note, table(assistant), filters, filters, filters
