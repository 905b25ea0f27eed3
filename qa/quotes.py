"""The plan's text as it is quoted: figures, timeframes, department lines, quote lines and citations."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .departments import gloss
from .records import Citation, Department, Node
from .structure import DEPTS_RE

# A figure: a number not inside a Latin name (P2P, О2О are names, not figures), or a counted Chinese numeral.
FIGURE_RE = re.compile(r"(?<![A-Za-zА-Яа-я])\d|[一二两三四五六七八九十百千万]+(个|家|项|所|座|条|架|户|倍|类)|百分之|全覆盖")
TIMEFRAME_RE = re.compile(r"(到\d{4}年|\d{4}年(年底|底)?前|\d{4}年)")
WHEN_RE = re.compile(r"什么时候|何时|哪一?年|几年|时间表|期限|年底前|when\b|by (what|which) (year|date|time)|deadline", re.I)


def departments_quote(node: Node) -> str | None:
    """The closing parenthesis that names the departments, verbatim."""
    match = DEPTS_RE.search(node.text)
    return match.group(0) if match else None


def dept_name(name: str, language: str) -> str:
    """A department as shown: Chinese name, with its English gloss for English answers."""
    english = gloss(name)
    return f"{name} ({english})" if language == "en" and english != name else name


def departments_sentence(departments: Sequence[Department], language: str) -> str:
    """The direct answer for a department question: the lead, then the co-responsible ones; when the document
    marks no lead, the departments in the order listed, saying so."""
    names = [dept_name(d.name, language) for d in departments]
    leads = [d for d in departments if d.lead]
    if not leads:
        if language == "en":
            return f"Responsible, in the order listed: {', '.join(names)}. The document names no lead."
        return f"责任部门（按文件所列顺序）：{'、'.join(names)}。文件未指明牵头单位。"
    lead = leads[0]
    shown = dept_name(lead.name, language)
    others = [dept_name(d.name, language) for d in departments if d is not lead]
    if language == "en":
        if lead.joint:
            return (f"Jointly responsible: {', '.join(names)}; the first listed, {shown}, leads "
                    "(the plan: the first listed department leads).")
        text = f"Lead department: {shown}."
        return text + (f" Also responsible: {', '.join(others)}." if others else "")
    if lead.joint:
        return f"由{'、'.join(names)}共同负责，列第一位的{shown}为牵头部门。"
    text = f"牵头部门：{shown}"
    return text + (f"；共同负责：{'、'.join(others)}。" if others else "。")


def quote_line(quotes: Sequence[str], n: int, language: str) -> str:
    prefix = "From the plan: " if language == "en" else ""
    return prefix + "".join(f"「{q}」" for q in quotes) + f"[{n}]"


def citation_lines(citations: Sequence[Citation]) -> str:
    return "\n".join(f"[{c.n}] {c.label}" for c in citations)


def cite(node: Node, n: int, quotes: Sequence[str] = ()) -> Citation:
    return Citation(n=n, id=node.id, label=node.label, text=node.text, quotes=tuple(q for q in quotes if q))
