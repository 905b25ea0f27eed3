"""Conversation: greetings, questions with no topic, two-part questions, and what earlier turns were about."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..intent import ASKS_RE, Intent
from ..plan import Plan
from ..records import Answer, Citation
from .wording import say

GREETING_RE = re.compile(r"^(你好|您好|嗨|哈喽|在吗|谢谢|多谢|再见|你是谁|hi|hello|hey|thanks|thank you|bye|who are you|"
                         r"how are you)[\s!！?？。.,，~]*$", re.I)
MAX_TURNS = 2  # earlier turns read for a follow-up: the last one, and the one before when the last had no topic
HISTORY_CHARS = 200  # each earlier question is read up to this length (its topic is in its first words)


def _two_things(joiners: str, also_between: str = "") -> str:
    """The opening of a message about two things, "（…，）A和B": an optional lead-in ending at a comma or blank, then
    two names of 2–16 characters joined by one of the joiners (neither holding a comma, blank or also_between)."""
    name = rf"[^，,：:\s{also_between}]{{2,16}}?"
    return rf"^(?P<pre>.*?[，,：:\s]|)(?P<a>{name})(?:{joiners})(?P<b>{name})"


# "A和B分别/各…": one question about two things.
BOTH_RE = re.compile(_two_things("和|与|及|跟") + r"(?:分别|各自|各)(?P<rest>.+)$")
# "A和B，哪个目标数多？" / "A和B，目标数差多少？": a comparison, answered by each one's figure (the asker compares).
# After a comma, what is compared may come before the question word too (A和B，到2018年哪个目标数大？ A和B，目标年增速
# 哪个快？), as it does before 差多少.
COMPARE_RE = re.compile(_two_things("和|与|跟|同|还是") + r"(?:[，,](?P<lead>[^，,？?]{0,10}?)|)"
                        r"(?:(?:哪个|哪一个|哪项|谁)的?(?P<ask>[^，,？?]{0,8}?)(?:更|要|定得|定的)?(?:多|高|大|快|少|低)|"
                        r"(?P<gap>[^，,？?]{0,12}?)(?:差|相差)(?:多少|几))[？?。]?$")
COMPARE_EN_RE = re.compile(r"^(?:which|what)\b[^,:]*?\b(?:higher|larger|bigger|more|greater|faster|lower|fewer|smaller)\b"
                           r"[^,:]*[,:]\s*(?:the\s+)?(?P<a>.+?)\s+or\s+(?:the\s+)?(?P<b>.+?)\s*\??$", re.I)
# "A和B，计划里分别靠啥？" / "A、B，计划对这两样各是啥态度？": the two things first, what is asked of each after a comma.
BOTH_APART_RE = re.compile(_two_things("和|与|及|跟|、", "、") + r"[，,](?P<mid>[^，,]*?)(?:分别|各自|各)(?P<rest>[^，,]+)$")
BOTH_POINTER_RE = re.compile(r"这两样|这两个|这两项|这两者|两者|它们|二者")
QUESTION_MARK_RE = re.compile(r"(?<=[？?])")
# A piece ending in a question mark also asks by a choice (要多还是少？) or a tag (是管全国的吧？ 红领呢？): read so only
# between question marks, where a comma's half ending in 呢 (这些治疗呢，里头有提吗？) leads into the question.
MARKED_ASKS_RE = re.compile(r"还是|[吧呢][？?]+$")


@dataclass(frozen=True, slots=True)
class Turn:
    """What an earlier turn resolved to: its intent, the item it was about, the departments it named and the
    sentences it quoted from that item."""

    intent: Intent
    topic: str | None
    departments: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()


def turn_of(answer: Answer) -> Turn | None:
    """The turn an answer leaves behind; a declined or junk question leaves none, unless the decline quoted the
    one item it is closest to (a figure the plan does not give): a follow-up may ask about that item."""
    if answer.abstained and answer.topic is None:
        return None
    try:
        intent = Intent(answer.intent)
    except ValueError:
        intent = Intent.GENERAL
    quotes = next((c.quotes for c in answer.citations if c.id == answer.topic), ())
    return Turn(intent, answer.topic, answer.departments, quotes)


def help_text(plan: Plan, language: str) -> str:
    """What the assistant can do, with examples drawn from the loaded documents."""
    titles = "、".join(f"《{d.title}》" for d in plan.docs)
    task = next((n for n in plan.tasks() if n.kind == "item"), None)
    example = say("help_example", language, task=task.title, lead=task.lead.name if task.lead else "") if task else ""
    return say("help", language, titles=titles, example=example)


def greeting(plan: Plan, text: str, language: str) -> Answer:
    return Answer(question=text, answer=help_text(plan, language), intent=Intent.OUT_OF_SCOPE.value, abstained=True,
                  language=language)


def ask_for_topic(plan: Plan, text: str, language: str) -> Answer:
    """A question that names no topic and has no earlier turn to lean on: ask which task is meant."""
    task = next((n for n in plan.tasks() if n.kind == "item"), None)
    return Answer(question=text, answer=say("ask_topic", language, example=task.title if task else ""),
                  intent=Intent.OUT_OF_SCOPE.value, abstained=True, language=language)


def split_parts(text: str) -> list[str]:
    """The questions inside one message: "…多少？…谁负责？", "A和B分别…", "A和B，哪个目标高？" (each one's figure),
    or "…是多少，由谁牵头？"."""
    return split_message(text)[0]


def split_message(text: str) -> tuple[list[str], bool]:
    """The questions inside one message (split_parts), and whether each leans on the one before it. Questions
    in a row do (…要建多少个？由谁牵头？); the parts of one question asked of two things (A和B分别…, A和B，哪个目标
    高？) each name their own, and a pointer in one (大数据运用，它牵头部门是哪家？) points at that."""
    pieces = [p.strip(" ，,") for p in QUESTION_MARK_RE.split(text) if p.strip(" ，,？?")]
    if len(pieces) >= 2 and all(ASKS_RE.search(p) or MARKED_ASKS_RE.search(p) for p in pieces):
        return pieces, True
    compared = COMPARE_RE.match(text)
    if compared:
        ask = ((compared.group("lead") or "") + (compared.group("ask") or compared.group("gap") or "")).strip("的")
        ask = ask or "目标"
        of = "" if ask[0] in "到在" else "的"  # 到2018年的目标数 needs no 的 before it
        return [f"{compared.group('pre')}{compared.group(side)}{of}{ask}是多少？" for side in ("a", "b")], False
    apart = BOTH_APART_RE.match(text)
    if apart and ASKS_RE.search(apart.group("rest")):
        asked = BOTH_POINTER_RE.sub("它", apart.group("mid") + apart.group("rest"))  # each one in turn
        return [f"{apart.group('pre')}{apart.group(side)}，{asked}" for side in ("a", "b")], False
    compared = COMPARE_EN_RE.match(text)
    if compared:
        return [f"What is the target for {compared.group(side)}?" for side in ("a", "b")], False
    both = BOTH_RE.match(text)
    if both and ASKS_RE.search(both.group("rest")):
        pre, rest = both.group("pre"), both.group("rest")
        return [f"{pre}{both.group('a')}{rest}", f"{pre}{both.group('b')}{rest}"], False
    halves = re.split(r"[，,；;]\s*(?:那|并且|而且|同时|还有|另外|and\b)?", text)
    if len(halves) == 2 and all(len(h) >= 3 and ASKS_RE.search(h) for h in halves):
        return [h.strip() for h in halves], True
    return [text], True


CITATION_LINE = re.compile(r"^\[(\d+)\] ")
MARKER = re.compile(r"\[(\d+)\]")


def join_parts(text: str, answers: list[Answer], language: str) -> Answer:
    """One answer for a message of several questions: each part with its own quotes and renumbered [n]. Parts
    answered alike (省公安厅参与吗？都有哪些部门？: both by the item's departments) are given once."""
    unique: dict[tuple[str, bool], Answer] = {}
    for part in answers:
        unique.setdefault((part.answer, part.abstained), part)
    answers = list(unique.values())
    if len(answers) == 1:
        return replace(answers[0], question=text)
    lines: list[str] = []
    citations: list[Citation] = []
    for number, part in enumerate(answers, start=1):
        offset = len(citations)
        body = [line for line in part.answer.splitlines() if not CITATION_LINE.match(line)]
        body = [MARKER.sub(lambda m, o=offset: f"[{int(m.group(1)) + o}]", line) for line in body]
        lines.append(say("part", language, n=number) + body[0])
        lines += body[1:]
        citations += [Citation(n=c.n + offset, id=c.id, label=c.label, text=c.text, quotes=c.quotes)
                      for c in part.citations]
    lines += [f"[{c.n}] {c.label}" for c in citations]
    answered = [a for a in answers if not a.abstained]
    lead = next((a.lead_department for a in answered if a.lead_department), None)
    departments = tuple(dict.fromkeys(d for a in answered for d in a.departments))
    first = answered[0] if answered else answers[0]
    return Answer(question=text, answer="\n".join(lines), intent=first.intent, citations=tuple(citations),
                  lead_department=lead, departments=departments, abstained=not answered, language=language,
                  topic=answered[-1].topic if answered else None)
