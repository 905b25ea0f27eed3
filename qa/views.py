"""Read-only views of the plan shared by the CLI and the app: department lines, name matches, topic lookups."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .records import Department, Hit

if TYPE_CHECKING:  # the facade sits on top; this module only receives it
    from . import Assistant

# How close a typed name must be to a department for "是不是：…？" (difflib ratio, 0–1); 0.3 lets
# 发改 find 省发展改革委 while 省魔法厅 still finds nothing useful.
CLOSE_MATCH_CUTOFF = 0.3


def departments_line(departments: Sequence[Department], english: bool = False) -> str:
    """部门：省金融办（牵头）、人民银行济南分行… (plain text); empty when the node lists none.

    Args:
        departments: a node's departments, in the plan's order (the first one leads).
        english: write the English form, "Departments: 省金融办 (Shandong Financial Affairs Office, lead); …".
    """
    if not departments:
        return ""
    if english:
        names = [f"{d.name} ({d.english}{', lead' if d.lead else ''})" for d in departments]
        return "Departments: " + "; ".join(names) + (" — jointly responsible" if departments[0].joint else "")
    names = [f"{d.name}（牵头）" if d.lead else d.name for d in departments]
    return "部门：" + "、".join(names) + ("（共同负责）" if departments[0].joint else "")


def matching_departments(typed: str, names: Sequence[str], limit: int = 5) -> list[str]:
    """The plan's department names a typed name probably means: containing or contained first, then close ones.

    Args:
        typed: what the user typed, e.g. 金融 or 省发改.
        names: the plan's canonical department names.
        limit: at most this many.
    """
    typed = typed.strip()
    if not typed:
        return []
    close = [n for n in names if typed in n or n in typed]
    if not close:
        close = difflib.get_close_matches(typed, list(names), n=limit, cutoff=CLOSE_MATCH_CUTOFF)
    return close[:limit]


def topic_tasks(assistant: Assistant, topic: str, k: int = 5) -> list[Hit]:
    """The best-matching plan items for a topic that list responsible departments (the lead first).

    Args:
        assistant: the loaded plan and index.
        topic: any words, e.g. 跨境电子商务 or 农产品追溯.
        k: how many matching plan items to look at.
    Raises:
        QuestionError: an empty or over-long topic.
    """
    return [h for h in assistant.search(topic, k=k) if h.departments]
