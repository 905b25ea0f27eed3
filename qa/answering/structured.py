"""Answers read off the plan's structure, complete rather than top-k: reverse department lookups,
outlines, and the document's metadata."""

from __future__ import annotations

import re

from ..intent import Intent
from ..plan import Plan
from ..quotes import citation_lines, cite, departments_quote, dept_name
from ..records import Answer, Citation
from ..structure import SEP


def reverse_answer(plan: Plan, question: str, lang: str, name: str, doc: str | None = None) -> Answer | None:
    """Every task a department is listed for (in one document, or in all), those it leads first; None when
    no document names it."""
    leads, shares = plan.department_tasks(name)
    if doc is not None:
        leads, shares = [n for n in leads if n.doc == doc], [n for n in shares if n.doc == doc]
    if not leads and not shares:
        return None
    ordered = leads + shares
    citations = [cite(node, i, [departments_quote(node) or ""]) for i, node in enumerate(ordered, start=1)]
    shown = dept_name(name, lang)
    if lang == "en":
        words = (f"{shown} is listed for {len(ordered)} tasks in the plan: it leads {len(leads)} and shares "
                 f"{len(shares)}.", "Leads:", "Shares (lead in brackets):", " (lead: {})")
    else:
        words = (f"{shown}在计划中共列入{len(ordered)}项任务：牵头{len(leads)}项，参与{len(shares)}项。", "牵头：",
                 "参与（括号内为牵头部门）：", "（牵头：{}）")
    documents = len({n.doc for n in ordered})
    if documents > 1:
        words = (words[0] + (f" ({documents} documents)" if lang == "en" else f"（涉及{documents}份文件）"),) + words[1:]
    lines = [words[0]]
    for heading, group, lead_note in ((words[1], citations[: len(leads)], False),
                                      (words[2], citations[len(leads):], True)):
        if group:
            lines.append(heading)
        for c in group:
            node = plan.nodes[c.id]
            note = words[3].format(node.lead.name if node.lead else "—") if lead_note else ""
            lines.append(f"{c.n}. {node.title}{note}[{c.n}]")
    lines.append(citation_lines(citations))
    return Answer(question=question, answer="\n".join(lines), intent=Intent.REVERSE.value,
                  citations=tuple(citations), lead_department=name if leads else None, departments=(name,),
                  language=lang)

def outline_answer(plan: Plan, question: str, lang: str, doc: str | None = None) -> Answer:
    """The entries of the part a question names (重点行动, 保障措施, 总体目标), or of every part."""
    parts = [p for p in plan.children(None) if doc is None or p.doc == doc]
    lowered = question.lower()
    english = {"action": 1, "measure": 2, "safeguard": 2, "guarantee": 2, "goal": 0, "objective": 0}
    chosen = [p for p in parts if p.title and p.title in question]
    if not chosen:
        chosen = [p for p in parts if "行动" in question and "行动" in p.title or "措施" in question and "措施" in p.title]
    if not chosen:
        index = next((i for word, i in english.items() if word in lowered), None)
        chosen = [parts[index]] if index is not None and index < len(parts) else parts
    lines: list[str] = []
    citations: list[Citation] = []
    for part in chosen:
        children = plan.children(part.id)
        listed = [c for c in children if c.kind in ("group", "item", "section")]
        n = len(citations) + 1
        citations.append(cite(part, n))
        if lang == "en":
            lines.append(f"{part.label} has {len(listed)} entries:[{n}]")
        else:
            lines.append(f"{part.label}共{len(listed)}项：[{n}]")
        lines += [f"- {c.label.split(SEP)[-1]}" for c in listed]
    lines.append(citation_lines(citations))
    return Answer(question=question, answer="\n".join(lines), intent=Intent.OUTLINE.value,
                  citations=tuple(citations), language=lang)

def metadata_answer(plan: Plan, question: str, lang: str, doc: str | None = None) -> Answer:
    """The header fields a question asks for (文号, 发文机关, 日期 …), quoted from the header."""
    head = plan.header(doc)
    fields = dict(line.split("：", 1) for line in head.text.splitlines() if "：" in line)
    wanted = []
    checks = [("文号", r"文号|字号|number"), ("发文机关", r"机关|单位|谁(印发|发布|制定|出台)|issu(ed|er|ing) by|who issued|body"),
              ("成文日期", r"印发|成文|出台|什么时候|哪天|哪一?年|when|date"), ("发布日期", r"发布|publish|release"),
              ("标题", r"标题|全称|名称|叫什么|title|name"), ("印发", r"印发"), ("抄送", r"抄送"), ("主送", r"主送")]
    for field, pattern in checks:
        if re.search(pattern, question, re.IGNORECASE) and field in fields:
            wanted.append(field)
    if "发布日期" in wanted and "成文日期" in wanted and re.search(r"发布|publish|release", question, re.I) and not re.search(r"印发|成文", question):
        wanted.remove("成文日期")
    wanted = wanted or ["标题", "文号", "发文机关", "成文日期"]
    english = {"文号": "Document number", "发文机关": "Issued by", "成文日期": "Dated", "发布日期": "Published online",
               "标题": "Title", "抄送": "Copied to", "主送": "Addressed to", "印发": "Printed and issued"}
    quotes = [f"{f}：{fields[f]}" for f in wanted]
    lines = [(f"{english[f]}: {fields[f]}" if lang == "en" else f"{f}：{fields[f]}") + " [1]" for f in wanted]
    citations = [cite(head, 1, quotes)]
    lines.append(citation_lines(citations))
    return Answer(question=question, answer="\n".join(lines), intent=Intent.METADATA.value,
                  citations=tuple(citations), language=lang, topic=head.id)
