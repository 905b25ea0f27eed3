"""Pure functions from qa records to the page's HTML and chat text; every user or plan text is escaped here."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

import qa
from qa.views import departments_line as plain_departments_line

SOURCES_PLACEHOLDER = (
    '<div class="qa-empty">回答引用的计划条目会显示在这里：出处、负责部门和原文，引用的句子会高亮。</div>'
)
# How much of a user's question a message may repeat (characters): enough to recognise it,
# never enough to turn a 30 MB question into a 60 MB reply.
ECHO_LIMIT = 300


def esc(text: str) -> str:
    """Text made safe to put inside HTML (and inside Chatbot markdown)."""
    return html.escape(text, quote=True)


def empty(note: str) -> str:
    """A grey note in place of a result (escaped)."""
    return f'<div class="qa-empty">{esc(note)}</div>'


def prefix(text: str, limit: int = ECHO_LIMIT) -> str:
    """The start of a text, with its length noted when it was cut: 网贷网贷……（共 5000 字）."""
    return text if len(text) <= limit else f"{text[:limit]}……（共 {len(text)} 字）"


def highlight(text: str, quotes: Sequence[str]) -> str:
    """Escaped text with every occurrence of each quote wrapped in <mark>.

    Overlapping or touching quotes are merged, so the marks never nest or cross.
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
    return esc(plain_departments_line(departments, english))


_MD_INLINE = re.compile(r"([\\`*_~$|!])")
_MD_LINK = re.compile(r"([\[\]])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s)|^(\s*)([#+-])(?=\s)", re.MULTILINE)


def chat_text(text: str) -> str:
    """Plain text made to show as itself in the Chatbot: HTML escaped, markdown markers backslashed.

    Unescaped, "1. …" lines would become a list that swallows the lines after it, and * or _ would
    turn into emphasis. The answer's [n] markers stay as they are.
    """
    text = _MD_INLINE.sub(r"\\\1", esc(text))
    return _MD_LINE_START.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}" if m[2] else f"{m[4]}\\{m[5]}", text)


def shown_question(message: str, limit: int = ECHO_LIMIT) -> str:
    """A user's text as markdown that shows it as text, cut when very long: ![x](url) fetches nothing."""
    return _MD_LINK.sub(r"\\\1", chat_text(prefix(message, limit)))


def pieces(text: str) -> list[str]:
    """The answer cut after sentence ends and line breaks, for streaming."""
    return [p for p in re.split(r"(?<=[。；！？!?\n])", text) if p]


def _node_for(nodes: Mapping[str, qa.Node], node_id: str) -> qa.Node | None:
    # Citation ids are node ids, but a split item's chunk id carries a "#n" suffix.
    return nodes.get(node_id) or nodes.get(node_id.split("#", 1)[0])


def sources_html(nodes: Mapping[str, qa.Node], answer: qa.Answer) -> str:
    """The sources panel: per cited item its breadcrumb, departments (lead marked) and text, quotes marked."""
    if not answer.citations:
        return empty("计划中没有可引用的条目。" if answer.language != "en" else "No plan item to cite.")
    english = answer.language == "en"
    cards = []
    for c in answer.citations:
        node = _node_for(nodes, c.id)
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


def task_details(node: qa.Node) -> str:
    """One task, folded: its breadcrumb, expanding to its departments and full text."""
    depts = departments_line(node.departments)
    return (
        f'<details class="qa-task"><summary class="qa-crumb">{esc(node.label)}</summary>'
        + (f'<div class="qa-depts">{depts}</div>' if depts else "")
        + f'<div class="qa-text">{esc(node.text)}</div></details>'
    )


def department_html(name: str, leads: Sequence[qa.Node], shares: Sequence[qa.Node]) -> str:
    """What a department leads and what it shares, each task expandable to its full text."""
    parts = [f"<h3>{esc(name)}</h3>"]
    for title, nodes in ((f"牵头的任务（{len(leads)}）", leads), (f"参与的任务（{len(shares)}）", shares)):
        parts.append(f"<h4>{esc(title)}</h4>")
        parts.extend(task_details(n) for n in nodes)
        if not nodes:
            parts.append('<div class="qa-note">无</div>')
    return "".join(parts)


def unknown_department_html(name: str, close: Sequence[str]) -> str:
    """No tasks for a typed name, with the names it probably meant."""
    hint = f"是不是：{'、'.join(close)}？" if close else "请从下拉列表中选择。"
    return empty(f"计划中没有找到“{prefix(name, 50)}”负责的任务。{hint}")


def topic_html(topic: str, hits: Sequence[qa.Hit]) -> str:
    """The best-matching tasks for a topic, each with its lead and all its departments."""
    if not hits:
        return empty("最相关的条目没有列出负责部门。")
    parts = [f"<p>与“{esc(prefix(topic.strip(), 50))}”最相关的 {len(hits)} 项任务：</p>"]
    for h in hits:
        parts.append(
            f'<details class="qa-task"><summary class="qa-crumb">{esc(h.label)}'
            f'<span class="qa-lead">牵头：{esc(h.departments[0].name)}</span></summary>'
            f'<div class="qa-depts">{departments_line(h.departments)}</div>'
            f'<div class="qa-text">{esc(h.text)}</div></details>'
        )
    return "".join(parts)


def outline_html(nodes: Mapping[str, qa.Node]) -> str:
    """The whole plan as nested <details>: parts › actions › sections › tasks, with text and departments."""

    def render(node: qa.Node) -> str:
        lead = f'<span class="qa-lead">牵头：{esc(node.lead.name)}</span>' if node.lead else ""
        depts = departments_line(node.departments)
        body = (f'<div class="qa-depts">{depts}</div>' if depts else "") + (
            f'<div class="qa-text">{esc(node.text)}</div>' if node.text else ""
        )
        kids = "".join(render(nodes[c]) for c in node.children if c in nodes)
        heading = node.label.split(" › ")[-1]  # keeps the plan's numbering: （四）互联网+金融
        return f"<details><summary>{esc(heading)}{lead}</summary>{body}{kids}</details>"

    roots = [n for n in nodes.values() if n.parent is None]
    return '<div class="qa-outline">' + "".join(render(n) for n in roots) + "</div>"


def entry_html(node: qa.Node, children: Sequence[qa.Node]) -> str:
    """One plan entry: breadcrumb, departments (lead marked), full text, and the titles of the entries under it."""
    depts = departments_line(node.departments)
    parts = [f'<div class="qa-source"><div class="qa-crumb">{esc(node.label)}</div>']
    if depts:
        parts.append(f'<div class="qa-depts">{depts}</div>')
    parts.append(f'<div class="qa-text">{esc(node.text) if node.text else "（本节没有正文，见下级条目）"}</div>')
    if children:
        parts.append("<p>下级条目：</p><ul>" + "".join(f"<li>{esc(c.title)}</li>" for c in children) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


def status_line(titles: Sequence[str], tasks: int, departments: int) -> str:
    """已载入《…》：83 项任务，41 个部门。"""
    names = "、".join(f"《{t}》" for t in titles)
    return esc(f"已载入{names}：{tasks} 项任务，{departments} 个部门。")


LIBRARY_COLUMNS = ("编号", "标题", "文号", "成文日期", "有部门的任务", "部门数")


def library_html(rows: Sequence[Mapping[str, object]]) -> str:
    """The library as a table, one row per document (rows as qa.library.summary gives them)."""
    if not rows:
        return empty("文库里还没有文件。")
    head = "".join(f"<th>{c}</th>" for c in LIBRARY_COLUMNS)
    body = "".join(
        f"<tr><td><code>{esc(str(r['id']))}</code></td><td>{esc(str(r['title']))}</td>"
        f"<td>{esc(str(r['number']) or '—')}</td><td>{esc(str(r['date']) or '—')}</td>"
        f"<td class=\"qa-num\">{int(r['tasks'])}</td><td class=\"qa-num\">{len(r['departments'])}</td></tr>"  # type: ignore[arg-type]
        for r in rows
    )
    return f'<table class="qa-library"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
