"""👍/👎 under each answer: the rating is stored at once; a comment and, for 👎, the item it should have cited follow."""

from __future__ import annotations

import logging

import gradio as gr

from . import state
from .chat import Turn

log = logging.getLogger("qa.app")

THANKS_UP = "谢谢！已记录「赞」。可以补充说明（可选）："
THANKS_DOWN = "谢谢！已记录「踩」。它应该引用哪一条？可以在下面选择，也可以写几句说明（可选）："
SAVED = "已保存，谢谢！这条反馈会用于改进评测。"
WITHDRAWN = "已取消这条评价。"
FAILED = "抱歉，反馈没有保存成功，错误已记录。"


def turn_for(index: int | tuple | list, turns: list[Turn]) -> Turn | None:
    """The turn an assistant message belongs to: messages alternate question, answer."""
    if isinstance(index, tuple | list):  # Gradio gives (row, column) for tuple-format chats
        index = index[0]
    n = int(index) // 2
    return turns[n] if 0 <= n < len(turns) else None


def record_rating(index: int | tuple | list, liked: bool, turns: list[Turn]) -> tuple[int | None, str, bool]:
    """Store 👍 (liked) or 👎 for the answer at a chat message index.

    Returns:
        (rating id or None, note to show, whether to offer the "which item?" picker).
    """
    turn = turn_for(index, turns)
    if turn is None:
        return None, "这条消息不是回答，无法评价。", False
    try:
        fid = state.feedback_store().add(turn["question"], turn["history"], turn["answer"], "up" if liked else "down",
                                         doc=turn.get("doc"))
    except Exception:
        log.exception("storing a rating failed")
        return None, FAILED, False
    return fid, THANKS_UP if liked else THANKS_DOWN, not liked


def amend_rating(fid: int | None, comment: str | None, item: str | None) -> str:
    """Save the comment and the suggested item with the rating just given."""
    if fid is None:
        return "请先在回答下方点「赞」或「踩」。"
    try:
        state.feedback_store().amend(int(fid), (comment or "").strip(), item or None)
    except Exception:
        log.exception("amending rating %s failed", fid)
        return FAILED
    return SAVED


def withdraw_rating(fid: int | None, index: int | tuple | list, turns: list[Turn]) -> str:
    """Remove the rating just given when its thumb is clicked again (Gradio then sends liked="")."""
    turn = turn_for(index, turns)
    if fid is None or turn is None:
        return WITHDRAWN
    try:
        store = state.feedback_store()
        if any(r.id == fid and r.question == turn["question"] for r in store.all()):
            store.delete(int(fid))
    except Exception:
        log.exception("withdrawing rating %s failed", fid)
    return WITHDRAWN


def on_like(data: gr.LikeData, turns: list[Turn], fid: int | None) -> tuple[int | None, dict, dict, str, str]:
    """Chatbot like/dislike event → (rating id, panel, item picker, note, cleared comment)."""
    if not isinstance(data.liked, bool):  # the thumb was clicked again: the rating is withdrawn
        note = withdraw_rating(fid, data.index, turns)
        return None, gr.update(visible=False), gr.update(visible=False), note, ""
    fid, note, offer_item = record_rating(data.index, data.liked, turns)
    return fid, gr.update(visible=fid is not None), gr.update(visible=offer_item, value=None), note, ""


def on_amend(fid: int | None, comment: str | None, item: str | None) -> str:
    """The 提交 button under the rating: the note to show."""
    return amend_rating(fid, comment, item)
