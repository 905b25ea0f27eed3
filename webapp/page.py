"""The page: layout and event wiring only (the handlers live in one module per tab); `demo` and launch()."""

from __future__ import annotations

import gradio as gr

from . import api, chat, departments, evaluation, feedback, library, outline, render

# One example per kind of user: officials (figures), citizens (who handles it), English readers,
# departments looking themselves up, and evaluators checking that the plan's limits are kept.
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("干部·指标", "到2018年要建多少个智能示范车间？"),
    ("市民·找部门", "网贷平台跑路了找哪个部门？"),
    ("English", "Which department leads cross-border e-commerce?"),
    ("部门·反查", "省农业厅负责哪些任务？"),
    ("评测·范围外", "山东省2020年的GDP是多少？"),
)
DEPARTMENT_EXAMPLES = ("省金融办", "省发改委", "省农业厅")
TOPIC_EXAMPLES = ("跨境电子商务", "快递进村", "农产品质量安全追溯")

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
.qa-library { border-collapse: collapse; width: 100%; }
.qa-library th, .qa-library td { border: 1px solid var(--border-color-primary); padding: 0.35em 0.6em; text-align: left; }
.qa-library .qa-num { text-align: right; }
"""

THEME = gr.themes.Soft(
    primary_hue="blue",
    # Local fonts only: the page must render without internet (no Google Fonts, no CDN).
    font=["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"],
    font_mono=["Noto Sans Mono CJK SC", "DejaVu Sans Mono", "ui-monospace", "monospace"],
)
PRIVATE = {"api_visibility": "private"}  # page events are not part of the API (nor MCP tools)


def doc_filter(label: str, elem_id: str) -> gr.Dropdown:
    """A document dropdown; on load it fills, and shows when the library holds more than one document."""
    return gr.Dropdown(choices=[library.ALL], value=library.ALL, label=label, visible=False, elem_id=elem_id)

with gr.Blocks(title="山东省“互联网+”行动计划 · 政策问答") as demo:
    gr.Markdown(
        "## 山东省“互联网+”行动计划（2016-2018年）政策问答\n"
        "回答只来自计划原文，每句话都标注出处 [n]；右侧可核对原文。每个回答下方可以点「赞」或「踩」评价。"
    )
    status = gr.Markdown("正在载入计划……", elem_id="qa-status")

    with gr.Tabs():
        with gr.Tab("问答", id="chat"):
            turns = gr.State([])
            rating_id = gr.State(None)
            with gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    chat_doc = doc_filter("只问这份文件", "qa-doc")
                    chatbot = gr.Chatbot(
                        label="对话", show_label=False, height=520, elem_id="qa-chat",
                        buttons=["copy", "copy_all"], feedback_options=("Like", "Dislike"),
                        placeholder="问一个关于计划的问题，例如：网贷平台跑路了找哪个部门？",
                    )
                    with gr.Group(visible=False, elem_id="qa-feedback") as rating_panel:
                        rating_note = gr.Markdown(elem_id="qa-feedback-note")
                        rating_item = gr.Dropdown(
                            choices=[], value=None, label="它应该引用哪一条？（计划目录，可输入关键词筛选）",
                            filterable=True, visible=False, elem_id="qa-feedback-item",
                        )
                        with gr.Row():
                            rating_comment = gr.Textbox(
                                show_label=False, placeholder="补充说明（可选）", scale=5,
                                elem_id="qa-feedback-comment",
                            )
                            rating_send = gr.Button("提交反馈", scale=1, min_width=80, size="sm")
                    with gr.Row():
                        msg = gr.Textbox(
                            placeholder="输入问题，按回车发送（中文或英文）", show_label=False, scale=5,
                            max_lines=6, elem_id="qa-input",
                        )
                        send = gr.Button("发送", variant="primary", scale=1, min_width=80)
                    new = gr.Button("新对话", variant="secondary", size="sm")
                    gr.Examples(
                        examples=[[q] for _, q in EXAMPLES], inputs=[msg], label="示例问题",
                        example_labels=[f"{who}：{q}" for who, q in EXAMPLES],
                    )
                with gr.Column(scale=2):
                    gr.Markdown("### 出处")
                    sources = gr.HTML(render.SOURCES_PLACEHOLDER, elem_id="qa-sources")
            chat_io = dict(fn=chat.chat, inputs=[msg, chatbot, turns, chat_doc], outputs=[chatbot, turns, sources, msg],
                           **PRIVATE)
            # a question sent while an answer streams runs after it (Gradio's default drops it)
            answering = [msg.submit(**chat_io, trigger_mode="always_last"),
                         send.click(**chat_io, trigger_mode="always_last")]
            # 新对话 first stops an answer still streaming, then clears: cleared in the same step, the
            # stream's last pieces could still arrive and refill the chat.
            for trigger in (new.click, chatbot.clear):
                trigger(None, cancels=answering, **PRIVATE).then(
                    chat.new_chat, outputs=[chatbot, turns, sources, msg], **PRIVATE
                ).then(lambda: (None, gr.update(visible=False)), outputs=[rating_id, rating_panel], **PRIVATE)
            chatbot.like(
                feedback.on_like, inputs=[turns, rating_id],
                outputs=[rating_id, rating_panel, rating_item, rating_note, rating_comment], **PRIVATE,
            )
            rating_send.click(feedback.on_amend, inputs=[rating_id, rating_comment, rating_item],
                              outputs=[rating_note], **PRIVATE)

        with gr.Tab("部门", id="departments"):
            dept_doc = doc_filter("文件", "qa-dept-doc")
            with gr.Row(equal_height=False):
                with gr.Column():
                    dept = gr.Dropdown(
                        choices=[], value=None, label="部门（可选择，也可输入简称，如 省发改委）",
                        allow_custom_value=True, filterable=True, elem_id="qa-dept",
                    )
                    dept_btn = gr.Button("查看任务", variant="primary")
                    gr.Examples([[d] for d in DEPARTMENT_EXAMPLES], inputs=[dept], label="示例部门",
                                example_labels=list(DEPARTMENT_EXAMPLES))  # the list fills only on load
                    dept_out = gr.HTML(elem_id="qa-dept-out")
                with gr.Column():
                    topic = gr.Textbox(
                        label="事项（查谁负责）", placeholder="例如：跨境电子商务、农产品质量安全追溯",
                        elem_id="qa-topic",
                    )
                    topic_btn = gr.Button("查找负责部门", variant="primary")
                    gr.Examples([[t] for t in TOPIC_EXAMPLES], inputs=[topic], label="示例事项")
                    topic_out = gr.HTML(elem_id="qa-topic-out")
            for event in (dept.input, dept_btn.click):
                event(departments.department_view, inputs=[dept, dept_doc], outputs=dept_out, **PRIVATE)
            for event in (topic.submit, topic_btn.click):
                event(departments.topic_departments, inputs=[topic, dept_doc], outputs=topic_out, **PRIVATE)
            dept_doc.input(departments.department_choices, inputs=dept_doc, outputs=dept, **PRIVATE)
            dept_doc.input(departments.department_view, inputs=[dept, dept_doc], outputs=dept_out, **PRIVATE)

        with gr.Tab("计划目录", id="outline"):
            outline_doc = doc_filter("文件", "qa-outline-doc")
            entry = gr.Dropdown(choices=[], value=None, label="条目（可输入关键词筛选）", filterable=True,
                                elem_id="qa-entry")
            entry_out = gr.HTML(elem_id="qa-entry-out")
            gr.Markdown("### 全文目录（点击展开）")
            tree = gr.HTML(elem_id="qa-tree")
            entry.input(outline.outline_entry, inputs=entry, outputs=entry_out, **PRIVATE)
            outline_doc.input(outline.outline_for, inputs=outline_doc, outputs=[entry, tree], **PRIVATE)

        with gr.Tab("文库", id="library"):
            library_table = gr.HTML(elem_id="qa-library")
            # No file_types: Gradio would refuse another type itself, in English, before the handler explains.
            upload_file = gr.File(label=library.UPLOAD_LABEL, type="filepath",
                                  visible=False, elem_id="qa-upload")
            upload_note = gr.HTML(elem_id="qa-upload-note")
            upload_file.upload(
                library.upload, inputs=upload_file, outputs=[upload_note, library_table, chat_doc, dept_doc, outline_doc],
                concurrency_limit=1, **PRIVATE,
            ).then(lambda: None, outputs=upload_file, **PRIVATE).then(  # ready for the next file
                outline.startup, outputs=[status, dept, entry, tree, rating_item], **PRIVATE)

        with gr.Tab("评测", id="eval") as eval_tab:
            feedback_md = gr.Markdown(elem_id="qa-feedback-summary")
            eval_btn = gr.Button("重新运行评测", variant="secondary")
            eval_status = gr.Markdown()
            eval_md = gr.Markdown(evaluation.EVAL_MISSING)
            eval_img = gr.Image(label="评测图表", type="filepath", interactive=False, visible=False,
                                buttons=["download", "fullscreen"])
            eval_tab.select(evaluation.feedback_summary, outputs=[feedback_md], **PRIVATE)
            eval_btn.click(evaluation.run_evaluation, outputs=[eval_status, eval_md, eval_img],
                           concurrency_limit=1, **PRIVATE)

    # The library waits for startup, so a first start's index build shows its progress there, once.
    demo.load(outline.startup, outputs=[status, dept, entry, tree, rating_item], **PRIVATE).then(
        library.on_load, outputs=[library_table, upload_file, chat_doc, dept_doc, outline_doc], **PRIVATE)
    demo.load(evaluation.eval_report, outputs=[eval_md, eval_img], **PRIVATE)
    demo.load(evaluation.feedback_summary, outputs=[feedback_md], **PRIVATE)
    for tool in (api.ask, api.search, api.department_tasks, api.outline):
        gr.api(tool, api_name=tool.__name__)

demo.queue(default_concurrency_limit=4, max_size=64)


def launch(host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None, mcp: bool = False,
           prevent_thread_lock: bool = False, allow_upload: bool = False, **kwargs: object) -> None:
    """Serve the app locally (never through a public share link), with the offline theme.

    Args:
        mcp: also serve the four API functions as MCP tools at /gradio_api/mcp/.
        prevent_thread_lock: return once serving instead of blocking until Ctrl-C.
        allow_upload: offer the 文库 upload without a login (with one, it is always offered).
    Raises:
        OSError: the port is taken or the host cannot be bound.
    """
    library.allow_uploads(bool(auth) or allow_upload)
    if auth and mcp:  # Gradio's login does not cover /gradio_api/mcp/: put QA_AUTH in front of it
        from starlette.middleware import Middleware

        from .mcp_login import MCPLogin

        kwargs["app_kwargs"] = {"middleware": [Middleware(MCPLogin, credentials=auth)]}
    demo.launch(
        server_name=host, server_port=port, auth=auth, share=False, theme=THEME, css=CSS,
        prevent_thread_lock=True, footer_links=["api", "settings"], mcp_server=mcp,
        allowed_paths=[str(evaluation.EVAL_DIR)],  # report.png, shown even when started elsewhere
        **kwargs,
    )
    api.json_tool_results(demo)
    if auth and mcp:
        from .mcp_login import log_in_tool_calls

        log_in_tool_calls(demo, auth)
    if not prevent_thread_lock:
        demo.block_thread()
