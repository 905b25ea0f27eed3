"""Every sentence the assistant writes around the plan's quotes, in Chinese and English: one catalogue."""

from __future__ import annotations

from typing import Literal

Language = Literal["zh", "en"]

WORDING: dict[str, dict[str, str]] = {
    "help": {
        "zh": "您好！我可以回答关于{titles}的问题，并给出原文出处。{example}",
        "en": "Hello! I answer questions about {titles}, with citations;{example}",
    },
    "help_example": {
        "zh": "例如：“{task}”由哪个部门牵头？{lead}负责哪些任务？",
        "en": " e.g. “Who leads {task}?” or “What does {lead} handle?”",
    },
    "ask_topic": {
        "zh": "请说明您问的是哪项任务或行动，例如：“{example}”由哪个部门牵头？",
        "en": "Which task or action do you mean? Please name it, e.g. “Who leads {example}?”",
    },
    "decline": {
        "zh": "计划中没有涉及{what}的内容。",
        "en": "The plan does not mention {what}.",
    },
    "decline_money": {  # the money rule: the plan states no amounts at all, though it may use the word (成本, costs)
        "zh": "计划中没有任何金额数字，无法回答{what}。",
        "en": "The plan states no amounts of money, so it cannot give the {what}.",
    },
    "decline_procedure": {  # the procedure rule: the plan sets goals and tasks, not how to apply for anything
        "zh": "计划只定目标和任务，没有规定申请、办理或投诉的程序和渠道，无法回答{what}。",
        "en": "The plan sets goals and tasks, not procedures for applying, registering or complaining, so it cannot answer {what}.",
    },
    "decline_duration": {  # the duration rule: the plan sets years and year-end deadlines, nothing finer
        "zh": "计划没有规定任何时长、钟点或具体日期，无法回答{what}。",
        "en": "The plan sets no durations, times of day or dates, so it cannot answer {what}.",
    },
    "decline_free": {  # the free rule: the documents say of nothing else whether it is free
        "zh": "计划没有说这项是否免费，无法回答{what}。",
        "en": "The plan does not say whether this is free of charge, so it cannot answer {what}.",
    },
    "decline_past": {  # the past rule: the plan sets what is to be done and tells no history
        "zh": "计划只定要做的事，不讲来历，没有写{what}。",
        "en": "The plan sets out what is to be done and tells no history, so it cannot answer {what}.",
    },
    "decline_now": {  # the now rule: the plan sets targets and reports nothing of the present
        "zh": "计划只定目标，不报告现状或进展数字，无法回答{what}。",
        "en": "The plan sets targets and reports no figures of the present or of progress so far, so it cannot answer {what}.",
    },
    "decline_firm": {  # the firm rule: firms are named as examples of what the plan supports, nothing more
        "zh": "计划只把企业作为支持的例子点名，没有列出企业的总部、上市或经营数据，无法回答{what}。",
        "en": "The plan names firms only as examples of what it supports and lists none of their particulars (seat, "
              "listing, revenue), so it cannot answer {what}.",
    },
    "decline_plain": {
        "zh": "计划中没有涉及这个问题。",
        "en": "The plan does not cover this question.",
    },
    "nearest": {"zh": "最接近的条目：", "en": "Nearest: "},
    "fact": {"zh": "{fact}。", "en": "The plan says: {fact}."},
    "target": {"zh": "目标：{clause}{when}。", "en": "Target: {clause}{when}."},
    "when": {"zh": "时间：{clause}{when}。", "en": "When: {clause}{when}."},
    "when_suffix": {"zh": "（{when}）", "en": " ({when})"},
    "targets": {"zh": "目标：{clauses}。", "en": "Targets: {clauses}."},
    "no_figure": {
        "zh": "计划在这方面没有给出具体数字，最相关的表述是：",
        "en": "The plan gives no specific figure for this; the closest statement:",
    },
    "no_date": {
        "zh": "计划在这方面没有给出具体时间，最相关的表述是：",
        "en": "The plan gives no specific date for this; the closest statement:",
    },
    "no_date_declined": {
        "zh": "计划没有给出这个时间，也没有为此设定期限。最相关的表述是：",
        "en": "The plan gives no such date and sets no deadline for it. The closest statement:",
    },
    "no_figure_declined": {
        "zh": "计划没有给出这个数字，也没有为此设定目标。最相关的表述是：",
        "en": "The plan gives no such figure and sets no target for it. The closest statement:",
    },
    "no_particular_org": {  # 哪家公司 where the cited item names no firm, bank or university
        "zh": "计划在这里没有点名具体的企业或机构。最相关的表述是：",
        "en": "The plan names no particular company or institution for this. The closest statement:",
    },
    "figure_stated": {
        "zh": "计划中写到{figure}的有{count}处：",
        "en": "The plan states {figure} {count}:",
    },
    "quote_prefix": {"zh": "", "en": "From the plan: "},
    "see_also": {"zh": "另见：{title}（牵头：{lead}）[{n}]", "en": "See also: {title} (lead: {lead})[{n}]"},
    "group_leads": {
        "zh": "该目标本身未列部门；{group}的{count}项任务中，牵头部门为：{leads}。",
        "en": "The goal itself names no department; the {count} tasks of {group} are led by: {leads}.",
    },
    "lead_count": {"zh": "{name}（{count}项）", "en": "{name} ({count})"},
    "task_lead": {"zh": "{n}. {title}（牵头：{lead}）[{n}]", "en": "{n}. {title} (lead: {lead})[{n}]"},
    "part": {"zh": "（{n}）", "en": "({n}) "},
}
LIST_SEPARATOR = {"zh": "、", "en": "; "}
CLAUSE_SEPARATOR = {"zh": "；", "en": "; "}


def say(key: str, language: str, **values: object) -> str:
    """One catalogue entry in the language, with its placeholders filled.

    Raises:
        KeyError: an unknown entry (the message names it).
    """
    forms = WORDING[key]
    return forms.get(language, forms["zh"]).format(**values)
