"""评测: the latest evaluation report and chart, a button that re-runs it, and a summary of users' ratings."""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from . import render, state

log = logging.getLogger("qa.app")

EVAL_DIR = Path(__file__).resolve().parent.parent / "eval"
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
        run_eval(state.get_assistant(progress).settings, progress=report, out_dir=EVAL_DIR)
    except Exception:
        log.exception("evaluation failed")
        return ("评测运行失败，错误已记录。可以在命令行运行 `qa eval` 查看详情。", *eval_report())
    return ("评测完成。", *eval_report())


def feedback_summary() -> str:
    """Users' ratings in markdown: how many, the share of 👍, and the latest 👎 with their questions."""
    try:
        store = state.feedback_store()
        summary = store.summary()
    except Exception:
        log.exception("reading the feedback store failed")
        return "### 用户反馈\n\n无法读取反馈记录，错误已记录。"
    if not summary.count:
        return f"### 用户反馈\n\n还没有评价。问答页每个回答下方都可以点「赞」或「踩」。（保存在 `{store.path}`）"
    lines = [
        "### 用户反馈",
        "",
        f"共 {summary.count} 条评价，「赞」占 {summary.up_share:.0%}（{summary.up} 条）。"
        f"导出为评测题：`qa feedback export`。",
    ]
    if summary.latest_down:
        lines += ["", "最近的「踩」：", ""]
        for r in summary.latest_down:
            extra = f" — 应引用 `{r.suggested}`" if r.suggested else ""
            note = f" — “{render.shown_question(r.comment, 100)}”" if r.comment else ""
            lines.append(f"- {r.time[:16].replace('T', ' ')} {render.shown_question(r.question, 100)}"
                         f"{extra}{note}")
    return "\n".join(lines)
