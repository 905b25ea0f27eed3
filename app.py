"""The web app: chat with cited answers, department lookups, the plan outline and the evaluation report."""

from __future__ import annotations

import os

# Before gradio is imported: it reads this once, at import time.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import argparse  # noqa: E402
import difflib  # noqa: E402
import html  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import gradio as gr  # noqa: E402

import qa  # noqa: E402

log = logging.getLogger("qa.app")

ROOT = Path(__file__).resolve().parent
EVAL_DIR = ROOT / "eval"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860

# One example per kind of user: an official, a citizen, an English reader, a department looking itself up.
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("干部", "到2018年要建多少个智能示范车间？"),
    ("市民", "网贷平台跑路了找哪个部门？"),
    ("English", "Which department leads cross-border e-commerce?"),
    ("反查", "省农业厅负责哪些任务？"),
)
SOURCES_PLACEHOLDER = (
    '<div class="qa-empty">回答引用的计划条目会显示在这里：出处、负责部门和原文，引用的句子会高亮。</div>'
)
ERROR_REPLY = "抱歉，处理这个问题时出错了，错误已记录。请换个说法再试一次，或稍后再试。"
STREAM_DELAY = 0.02  # seconds between streamed pieces of an answer; tests set it to 0

CSS = """
.qa-empty { color: var(--body-text-color-subdued); padding: 1em; }
.qa-source, .qa-task { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.6em 0.9em; margin: 0 0 0.7em 0; background: var(--background-fill-primary); }
.qa-crumb { font-weight: 600; }
.qa-n { display: inline-block; min-width: 2em; color: var(--color-accent); font-weight: 700; }
.qa-depts { color: var(--body-text-color-subdued); margin: 0.3em 0; font-size: 0.95em; }
.qa-text { white-space: pre-wrap; line-height: 1.7; margin: 0.3em 0 0 0; }
.qa-text mark { background: #fde68a; color: inherit; padding: 0 0.1em; border-radius: 2px; }
.qa-outline details { margin-left: 1em; }
.qa-outline > details { margin-left: 0; }
.qa-outline summary, .qa-task summary { cursor: pointer; padding: 0.15em 0; }
.qa-lead { color: var(--color-accent); font-size: 0.9em; margin-left: 0.5em; }
.qa-note { color: var(--body-text-color-subdued); }
"""

THEME = gr.themes.Soft(
    primary_hue="blue",
    # Local fonts only: the page must render without internet (no Google Fonts, no CDN).
    font=["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"],
    font_mono=["Noto Sans Mono CJK SC", "DejaVu Sans Mono", "ui-monospace", "monospace"],
)

# ---------------------------------------------------------------- the assistant, loaded on first use

_assistant: qa.Assistant | None = None
_assistant_lock = threading.Lock()


def get_assistant(progress: gr.Progress | None = None) -> qa.Assistant:
    """The shared assistant, loaded (or its index built) on first use; later calls return it at once.

    Args:
        progress: a Gradio progress tracker that shows the index build, if one happens.
    Raises:
        qa.PlanError: the corpus cannot be parsed. FileNotFoundError: no corpus.
    """
    global _assistant
    if _assistant is None:
        with _assistant_lock:
            if _assistant is None:
                report = _build_progress(progress) if progress is not None else None
                _assistant = qa.Assistant(qa.Settings(), progress=report)
    return _assistant


def _build_progress(progress: gr.Progress) -> Callable[[int, int, str], None]:
    def report(done: int, total: int, stage: str) -> None:
        progress((done, total), desc=f"首次启动，正在建立索引：{stage}")

    return report


# ---------------------------------------------------------------- HTML helpers: every user or plan text escaped


def esc(text: str) -> str:
    """Text made safe to put inside HTML (and inside Chatbot markdown)."""
    return html.escape(text, quote=True)


def highlight(text: str, quotes: Sequence[str]) -> str:
    """Escaped text with every occurrence of each quote wrapped in <mark>.

    Overlapping quotes are merged, so the marks never nest or cross.
    """
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        quote = quote.strip()
        start = text.find(quote) if quote else -1
        while start >= 0:
            spans.append((start, start + len(quote)))
            start = text.find(quote, start + len(quote))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(esc(text[pos:start]))
        out.append(f"<mark>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def departments_line(departments: Sequence[qa.Department], english: bool = False) -> str:
    """部门：省金融办（牵头）、人民银行济南分行…, escaped; empty when the node lists none."""
    if not departments:
        return ""
    if english:
        names = [f"{d.name} ({d.english}{', lead' if d.lead else ''})" for d in departments]
        joint = " — jointly responsible" if departments[0].joint else ""
        return esc("Departments: " + "; ".join(names) + joint)
    names = [f"{d.name}（牵头）" if d.lead else d.name for d in departments]
    return esc("部门：" + "、".join(names) + ("（共同负责）" if departments[0].joint else ""))


def _node_for(assistant: qa.Assistant, node_id: str) -> qa.Node | None:
    # Citation ids are node ids, but a split item's chunk id carries a "#n" suffix.
    return assistant.nodes.get(node_id) or assistant.nodes.get(node_id.split("#", 1)[0])


def sources_html(assistant: qa.Assistant, answer: qa.Answer) -> str:
    """The sources panel: per cited item its breadcrumb, departments (lead marked) and text, quotes marked."""
    if not answer.citations:
        note = "计划中没有可引用的条目。" if answer.language != "en" else "No plan item to cite."
        return f'<div class="qa-empty">{esc(note)}</div>'
    english = answer.language == "en"
    cards = []
    for c in answer.citations:
        node = _node_for(assistant, c.id)
        # Show the whole item when every quote is in it; otherwise the cited piece the quotes come from.
        text = node.text if node and all(q in node.text for q in c.quotes) else c.text
        depts = departments_line(node.departments, english) if node else ""
        cards.append(
            f'<div class="qa-source" id="source-{c.n}">'
            f'<div class="qa-crumb"><span class="qa-n">[{c.n}]</span>{esc(c.label)}</div>'
            + (f'<div class="qa-depts">{depts}</div>' if depts else "")
            + f'<div class="qa-text">{highlight(text, c.quotes)}</div></div>'
        )
    return "".join(cards)


def _task_details(node: qa.Node) -> str:
    depts = departments_line(node.departments)
    return (
        f'<details class="qa-task"><summary class="qa-crumb">{esc(node.label)}</summary>'
        + (f'<div class="qa-depts">{depts}</div>' if depts else "")
        + f'<div class="qa-text">{esc(node.text)}</div></details>'
    )


# ---------------------------------------------------------------- 问答: the chat


_MD_INLINE = re.compile(r"([\\`*_~$|])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s)|^(\s*)([#+-])(?=\s)", re.MULTILINE)


def chat_text(text: str) -> str:
    """Plain text made to show as itself in the Chatbot: HTML escaped, markdown markers backslashed.

    The answer is plain text with line breaks; unescaped, "1. …" lines would become a list that
    swallows the lines after it, and * or _ would turn into emphasis.
    """
    text = _MD_INLINE.sub(r"\\\1", esc(text))
    return _MD_LINE_START.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}" if m[2] else f"{m[4]}\\{m[5]}", text)


def _pieces(text: str) -> list[str]:
    """The answer cut after sentence ends and line breaks, for streaming."""
    return [p for p in re.split(r"(?<=[。；！？!?\n])", text) if p]


def _shown_question(message: str, limit: int = 300) -> str:
    if len(message) <= limit:
        return chat_text(message)
    return chat_text(message[:limit]) + f"……（共 {len(message)} 字）"


def refusal(exc: qa.QuestionError, message: str, limit: int) -> str:
    """A Chinese explanation of why a question was not searched, with the library's message as detail."""
    length = len(message.strip())
    if length > limit:
        return (
            f"这个问题太长了（{length} 字），上限是 {limit} 字。请一次只问一个话题，"
            f"把问题缩短后再试。\n\n（{esc(str(exc))}）"
        )
    return f"无法处理这个问题：{esc(str(exc))}"


def chat(
    message: str,
    messages: list[dict] | None,
    questions: list[str] | None,
    progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio's way of asking for a progress bar
) -> Iterator[tuple[list[dict], list[str], str, str]]:
    """Answer a chat message, streaming the reply; the conversation's earlier questions are its history.

    Args:
        message: what the user typed.
        messages: the Chatbot's messages so far.
        questions: the earlier questions of this conversation (raw text), oldest first.
    Yields:
        (chat messages, questions, sources panel HTML, new textbox value).
    """
    messages = list(messages or [])
    questions = list(questions or [])
    if not (message or "").strip():
        yield messages, questions, gr.skip(), ""  # an empty message adds no turn
        return
    messages.append({"role": "user", "content": _shown_question(message)})
    messages.append({"role": "assistant", "content": "正在查阅计划……"})
    yield messages, questions, gr.skip(), ""

    try:
        assistant = get_assistant(progress)
        answer = assistant.ask(message, history=questions)
    except qa.QuestionError as exc:  # raised by ask(), so the assistant is loaded
        limit = assistant.settings.max_question_chars
        messages[-1] = {"role": "assistant", "content": refusal(exc, message, limit)}
        yield messages, questions, gr.skip(), ""
        return
    except Exception:
        log.exception("chat failed for question %r", message[:200])
        messages[-1] = {"role": "assistant", "content": ERROR_REPLY}
        yield messages, questions, gr.skip(), ""
        return

    questions.append(message)
    panel = sources_html(assistant, answer)
    shown = ""
    for piece in _pieces(chat_text(answer.answer)):
        shown += piece
        messages[-1] = {"role": "assistant", "content": shown}
        yield messages, questions, panel, ""
        if STREAM_DELAY:
            time.sleep(STREAM_DELAY)
    if not shown:
        messages[-1] = {"role": "assistant", "content": "（没有回答）"}
        yield messages, questions, panel, ""


def new_chat() -> tuple[list[dict], list[str], str, str]:
    """Clear the conversation: no messages, no history, an empty sources panel and textbox."""
    return [], [], SOURCES_PLACEHOLDER, ""


# ---------------------------------------------------------------- 部门: departments and topics


def department_view(name: str | None) -> str:
    """The tasks a department leads and the tasks it shares, each expandable to its full text.

    Args:
        name: a department as the plan names it, or an alias (省发改委).
    """
    name = (name or "").strip()
    if not name:
        return '<div class="qa-empty">选择或输入一个部门，例如 省农业厅。</div>'
    try:
        assistant = get_assistant()
        leads, shares = assistant.department_tasks(name)
    except Exception:
        log.exception("department view failed for %r", name)
        return f'<div class="qa-empty">{esc(ERROR_REPLY)}</div>'
    if not leads and not shares:
        names = assistant.departments()
        close = [n for n in names if name in n or n in name] or difflib.get_close_matches(
            name, names, n=5, cutoff=0.3
        )
        hint = f"是不是：{'、'.join(close[:5])}？" if close else "请从下拉列表中选择。"
        return f'<div class="qa-empty">计划中没有找到“{esc(name)}”负责的任务。{esc(hint)}</div>'
    parts = [f"<h3>{esc(name)}</h3>"]
    for title, nodes in ((f"牵头的任务（{len(leads)}）", leads), (f"参与的任务（{len(shares)}）", shares)):
        parts.append(f"<h4>{esc(title)}</h4>")
        parts.extend(_task_details(n) for n in nodes)
        if not nodes:
            parts.append('<div class="qa-note">无</div>')
    return "".join(parts)


def topic_departments(topic: str, k: int = 5) -> str:
    """The responsible departments of the tasks that best match a topic, lead first.

    Args:
        topic: any words, e.g. 跨境电子商务 or 农产品追溯.
        k: how many matching plan items to look at.
    """
    try:
        hits = get_assistant().search(topic or "", k=k)
    except qa.QuestionError as exc:
        return f'<div class="qa-empty">{esc(str(exc))}</div>'
    except Exception:
        log.exception("topic search failed for %r", (topic or "")[:200])
        return f'<div class="qa-empty">{esc(ERROR_REPLY)}</div>'
    tasks = [h for h in hits if h.departments]
    if not tasks:
        return '<div class="qa-empty">最相关的条目没有列出负责部门。</div>'
    parts = [f"<p>与“{esc(topic.strip())}”最相关的 {len(tasks)} 项任务：</p>"]
    for h in tasks:
        parts.append(
            f'<details class="qa-task"><summary class="qa-crumb">{esc(h.label)}'
            f'<span class="qa-lead">牵头：{esc(h.departments[0].name)}</span></summary>'
            f'<div class="qa-depts">{departments_line(h.departments)}</div>'
            f'<div class="qa-text">{esc(h.text)}</div></details>'
        )
    return "".join(parts)


# ---------------------------------------------------------------- 计划目录: the outline


def outline_choices(assistant: qa.Assistant) -> list[tuple[str, str]]:
    """(breadcrumb, node id) for every node in reading order, for the entry dropdown."""
    return [(n.label, n.id) for n in assistant.nodes.values()]


def outline_html(assistant: qa.Assistant) -> str:
    """The whole plan as nested <details>: parts › actions › sections › tasks, with text and departments."""

    def render(node: qa.Node) -> str:
        lead = f'<span class="qa-lead">牵头：{esc(node.lead.name)}</span>' if node.lead else ""
        depts = departments_line(node.departments)
        body = (f'<div class="qa-depts">{depts}</div>' if depts else "") + (
            f'<div class="qa-text">{esc(node.text)}</div>' if node.text else ""
        )
        kids = "".join(render(assistant.nodes[c]) for c in node.children if c in assistant.nodes)
        heading = node.label.split(" › ")[-1]  # keeps the plan's numbering: （四）互联网+金融
        return f"<details><summary>{esc(heading)}{lead}</summary>{body}{kids}</details>"

    roots = [n for n in assistant.nodes.values() if n.parent is None]
    return '<div class="qa-outline">' + "".join(render(n) for n in roots) + "</div>"


def outline_entry(node_id: str | None) -> str:
    """One plan entry: breadcrumb, departments (lead marked), full text, and the entries under it."""
    if not node_id:
        return '<div class="qa-empty">从上面的列表中选择一个条目。</div>'
    try:
        assistant = get_assistant()
    except Exception:
        log.exception("outline entry failed for %r", node_id)
        return f'<div class="qa-empty">{esc(ERROR_REPLY)}</div>'
    node = assistant.nodes.get(node_id)
    if node is None:
        return f'<div class="qa-empty">没有这个条目：{esc(node_id)}</div>'
    depts = departments_line(node.departments)
    parts = [f'<div class="qa-source"><div class="qa-crumb">{esc(node.label)}</div>']
    if depts:
        parts.append(f'<div class="qa-depts">{depts}</div>')
    parts.append(
        f'<div class="qa-text">{esc(node.text) if node.text else "（本节没有正文，见下级条目）"}</div>'
    )
    children = assistant.children(node.id)
    if children:
        parts.append(
            "<p>下级条目：</p><ul>" + "".join(f"<li>{esc(c.title)}</li>" for c in children) + "</ul>"
        )
    parts.append("</div>")
    return "".join(parts)


def startup(progress: gr.Progress = gr.Progress()) -> tuple[str, dict, dict, str]:  # noqa: B008
    """Load the assistant when the page opens (showing the index build) and fill the lists that need it.

    Returns:
        (status line, department dropdown update, outline dropdown update, outline tree HTML).
    """
    try:
        assistant = get_assistant(progress)
    except Exception as exc:
        log.exception("loading the assistant failed")
        return f"⚠️ 无法载入计划索引：{esc(str(exc))}", gr.skip(), gr.skip(), ""
    names = assistant.departments()
    titles = "、".join(f"《{n.title}》" for n in assistant.nodes.values() if n.kind == "document")
    status = f"已载入{esc(titles)}：{len(assistant.tasks())} 项任务，{len(names)} 个部门。"
    return (
        status,
        gr.update(choices=names),
        gr.update(choices=outline_choices(assistant)),
        outline_html(assistant),
    )


# ---------------------------------------------------------------- 评测: the evaluation report

EVAL_MISSING = (
    "还没有评测报告。在命令行运行 `qa eval` 会生成 `eval/report.md` 和 `eval/report.png`，"
    "也可以点击“重新运行评测”在这里运行。"
)


def eval_report() -> tuple[str, dict]:
    """The evaluation report (markdown) and the chart, or a note saying how to create them."""
    md, png = EVAL_DIR / "report.md", EVAL_DIR / "report.png"
    text = md.read_text(encoding="utf-8") if md.is_file() else EVAL_MISSING
    image = str(png) if png.is_file() else None
    return text, gr.update(value=image, visible=image is not None)


def run_evaluation(progress: gr.Progress = gr.Progress()) -> tuple[str, str, dict]:  # noqa: B008
    """Re-run the evaluation with a progress bar, then show the new report.

    Returns:
        (status message, report markdown, chart update).
    """
    try:
        from qa.evaluate import run_eval
    except ImportError:
        log.exception("qa.evaluate is not available")
        return ("评测模块（qa/evaluate.py）暂不可用，无法在这里运行评测。", *eval_report())

    def report(done: int, total: int, stage: str = "") -> None:
        progress((done, total), desc=f"评测中：{stage}" if stage else "评测中")

    try:
        run_eval(get_assistant(progress).settings, progress=report, out_dir=EVAL_DIR)
    except Exception:
        log.exception("evaluation failed")
        return ("评测运行失败，错误已记录。可以在命令行运行 `qa eval` 查看详情。", *eval_report())
    return ("评测完成。", *eval_report())


# ---------------------------------------------------------------- the JSON API (gradio_client: /ask, /search)


def parse_history(history: list[str] | str | None) -> list[str]:
    """Earlier questions from a list or a JSON string (a plain non-JSON string is one question).

    Raises:
        qa.QuestionError: a JSON value that is not a list of questions.
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
    if not isinstance(history, list):
        raise qa.QuestionError(
            f"history must be a list of earlier questions (or a JSON list), not {history!r}"
        )
    return [str(h) for h in history]


def api_ask(question: str, history: list[str] | str | None = None) -> dict:
    """Ask a question; returns the JSON object `qa ask --json` prints (or {"question", "error"}).

    Args:
        question: Chinese or English text.
        history: earlier questions of the same conversation, oldest first: a list or a JSON list string.
    """
    try:
        return get_assistant().ask(question, history=parse_history(history)).to_json()
    except qa.QuestionError as exc:
        return {"question": question, "error": str(exc)}
    except Exception as exc:
        log.exception("/ask failed for question %r", str(question)[:200])
        raise gr.Error(ERROR_REPLY) from exc


def api_search(question: str, k: int = 5) -> dict:
    """The plan items that best match a question: {"question": ..., "hits": [...]} as `qa search --json`.

    Args:
        question: Chinese or English text.
        k: how many hits (1–50).
    """
    try:
        hits = get_assistant().search(question, k=max(1, min(int(k or 5), 50)))
    except qa.QuestionError as exc:
        return {"question": question, "error": str(exc)}
    except Exception as exc:
        log.exception("/search failed for question %r", str(question)[:200])
        raise gr.Error(ERROR_REPLY) from exc
    return {"question": question, "hits": [h.to_json() for h in hits]}


# ---------------------------------------------------------------- the page

with gr.Blocks(title="山东省“互联网+”行动计划 · 政策问答") as demo:
    gr.Markdown(
        "## 山东省“互联网+”行动计划（2016-2018年）政策问答\n"
        "回答只来自计划原文，每句话都标注出处 [n]；右侧可核对原文。"
    )
    status = gr.Markdown("正在载入计划……", elem_id="qa-status")

    with gr.Tabs():
        with gr.Tab("问答", id="chat"):
            questions_state = gr.State([])
            with gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label="对话",
                        show_label=False,
                        height=520,
                        elem_id="qa-chat",
                        buttons=["copy", "copy_all"],
                        feedback_options=None,
                        placeholder="问一个关于计划的问题，例如：网贷平台跑路了找哪个部门？",
                    )
                    with gr.Row():
                        msg = gr.Textbox(
                            placeholder="输入问题，按回车发送（中文或英文）",
                            show_label=False,
                            scale=5,
                            max_lines=6,
                            elem_id="qa-input",
                        )
                        send = gr.Button("发送", variant="primary", scale=1, min_width=80)
                    new = gr.Button("新对话", variant="secondary", size="sm")
                    gr.Examples(
                        examples=[[q] for _, q in EXAMPLES],
                        inputs=[msg],
                        label="示例问题",
                        example_labels=[f"{who}：{q}" for who, q in EXAMPLES],
                    )
                with gr.Column(scale=2):
                    gr.Markdown("### 出处")
                    sources = gr.HTML(SOURCES_PLACEHOLDER, elem_id="qa-sources")
            chat_io = dict(
                fn=chat,
                inputs=[msg, chatbot, questions_state],
                outputs=[chatbot, questions_state, sources, msg],
                api_visibility="private",
            )
            answering = [msg.submit(**chat_io), send.click(**chat_io)]
            # A new chat stops an answer still streaming, or its last pieces would refill the cleared chat.
            reset_io = dict(
                fn=new_chat,
                outputs=[chatbot, questions_state, sources, msg],
                cancels=answering,
                api_visibility="private",
            )
            new.click(**reset_io)
            chatbot.clear(**reset_io)

        with gr.Tab("部门", id="departments"):
            with gr.Row(equal_height=False):
                with gr.Column():
                    dept = gr.Dropdown(
                        choices=[],
                        value=None,
                        label="部门（可选择，也可输入，如 省发改委）",
                        allow_custom_value=True,
                        filterable=True,
                    )
                    dept_btn = gr.Button("查看任务", variant="primary")
                    dept_out = gr.HTML()
                with gr.Column():
                    topic = gr.Textbox(
                        label="事项（查谁负责）", placeholder="例如：跨境电子商务、农产品质量安全追溯"
                    )
                    topic_btn = gr.Button("查找负责部门", variant="primary")
                    topic_out = gr.HTML()
            dept.input(department_view, inputs=dept, outputs=dept_out, api_visibility="private")
            dept_btn.click(department_view, inputs=dept, outputs=dept_out, api_visibility="private")
            topic.submit(topic_departments, inputs=topic, outputs=topic_out, api_visibility="private")
            topic_btn.click(topic_departments, inputs=topic, outputs=topic_out, api_visibility="private")

        with gr.Tab("计划目录", id="outline"):
            entry = gr.Dropdown(choices=[], value=None, label="条目（可输入关键词筛选）", filterable=True)
            entry_out = gr.HTML()
            gr.Markdown("### 全文目录（点击展开）")
            tree = gr.HTML()
            entry.input(outline_entry, inputs=entry, outputs=entry_out, api_visibility="private")

        with gr.Tab("评测", id="eval"):
            eval_btn = gr.Button("重新运行评测", variant="secondary")
            eval_status = gr.Markdown()
            eval_md = gr.Markdown(EVAL_MISSING)
            eval_img = gr.Image(
                label="评测图表",
                type="filepath",
                interactive=False,
                visible=False,
                buttons=["download", "fullscreen"],
            )
            eval_btn.click(
                run_evaluation,
                outputs=[eval_status, eval_md, eval_img],
                concurrency_limit=1,
                api_visibility="private",
            )

    demo.load(startup, outputs=[status, dept, entry, tree], api_visibility="private")
    demo.load(eval_report, outputs=[eval_md, eval_img], api_visibility="private")
    gr.api(api_ask, api_name="ask")
    gr.api(api_search, api_name="search")

demo.queue(default_concurrency_limit=4, max_size=64)


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """QA_AUTH's "user:password" as Gradio's auth tuple; None when unset.

    Raises:
        ValueError: a value without both a user and a password.
    """
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("QA_AUTH must look like user:password")
    return user, password


def launch(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    auth: tuple[str, str] | None = None,
    prevent_thread_lock: bool = False,
    **kwargs: object,
) -> tuple[object, str, str]:
    """Serve the app locally (never through a public share link), with the offline theme."""
    return demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        share=False,
        theme=THEME,
        css=CSS,
        prevent_thread_lock=prevent_thread_lock,
        footer_links=["api", "settings"],
        allowed_paths=[str(EVAL_DIR)],  # report.png, shown even when started from another directory
        **kwargs,
    )


def main(argv: list[str] | None = None) -> int:
    """`python app.py [--host H] [--port P]`; QA_HOST, QA_PORT and QA_AUTH=user:pass from the environment."""
    parser = argparse.ArgumentParser(
        description="Serve the Shandong 'Internet+' plan assistant in a browser."
    )
    parser.add_argument(
        "--host", default=os.environ.get("QA_HOST", DEFAULT_HOST), help="default 127.0.0.1 (QA_HOST)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=os.environ.get("QA_PORT", str(DEFAULT_PORT)),
        help="default 7860 (QA_PORT)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    for noisy in ("jieba", "httpx", "bm25s", "faiss"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        auth = parse_auth(os.environ.get("QA_AUTH"))
    except ValueError as exc:
        parser.error(str(exc))
    launch(args.host, args.port, auth=auth)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
