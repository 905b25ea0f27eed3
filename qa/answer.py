"""Hits + plan → a cited answer composed from the plan's own sentences, or an honest "not in the plan"."""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from .departments import gloss
from .intent import Intent, Reading, read
from .records import Answer, Citation, Department, Hit, Node
from .retrieve import clean_question
from .structure import DEPTS_RE, SEP
from .tokenize import STOPWORDS

if TYPE_CHECKING:
    from . import Assistant

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

# A figure: a number not inside a Latin name (P2P, О2О are names, not figures), or a counted Chinese numeral.
FIGURE_RE = re.compile(r"(?<![A-Za-zА-Яа-я])\d|[一二两三四五六七八九十百千万]+(个|家|项|所|座|条|架|户|倍|类)|百分之|全覆盖")
TIMEFRAME_RE = re.compile(r"(到\d{4}年|\d{4}年(年底|底)?前|\d{4}年)")
WHEN_RE = re.compile(r"什么时候|何时|哪一?年|几年|时间表|期限|年底前|when\b|by (what|which) (year|date|time)|deadline", re.I)
# Words that ask for a figure rather than say which one; they must not pick the clause.
ASKING_TOKENS = frozenset("达到 目标 多少 实现 要求 计划 要 到 年 2016 2018 几个 几家 比例 target goal plan by".split())
SENTENCE_RE = re.compile(r"[^。；！？]+[。；！？]?")
CANDIDATES = 5  # hits considered when composing an answer
GREETING_RE = re.compile(r"^(你好|您好|嗨|哈喽|在吗|谢谢|多谢|再见|你是谁|hi|hello|hey|thanks|thank you|bye|who are you|how are you)"
                         r"[\s!！?？。.,，~]*$", re.I)
# A question that asks whether the plan mentions or arranges something.
MENTION_RE = re.compile(r"提到|提及|涉及|说到|讲到|谈到|有什么安排|有何安排|怎么安排|有没有.{0,8}(内容|规定|安排|措施)|"
                        r"\bmention|say anything about|does the plan (cover|include)", re.I)
# Words too common in the plan to show that a question is about something it covers.
GENERIC_TOKENS = frozenset("计划 行动计划 山东 山东省 互联网 行动 政府 全省 我省 建设 发展 推进 有关 工作 问题 提到 内容 方面 "
                           "安排 规定 要求 情况 能 吗 有没有 没有 今天 明天".split())
ENGLISH_FUNCTION_WORDS = frozenset("the a an what which who whom how when where is are was will would should can could does "
                                   "do did of for to in on by with about plan department".split())


def help_text(assistant: Assistant, language: str) -> str:
    """What the assistant can do, with examples drawn from the loaded plans."""
    titles = "、".join(f"《{d.title}》" for d in assistant.docs)
    task = next((n for n in assistant.tasks() if n.kind == "item"), None)
    lead = task.lead.name if task and task.lead else ""
    if language == "en":
        example = f" e.g. “Who leads {task.title}?” or “What does {lead} handle?”" if task else ""
        return f"Hello! I answer questions about {titles}, with citations;{example}"
    example = f"例如：“{task.title}”由哪个部门牵头？{lead}负责哪些任务？" if task else ""
    return f"您好！我可以回答关于{titles}的问题，并给出原文出处。{example}"


@dataclass(frozen=True, slots=True)
class Turn:
    """What an earlier turn was about, for follow-ups."""

    intent: Intent
    topic: str | None  # node id
    departments: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------- sentences


def body(node: Node) -> str:
    """The node's text without its closing department parenthesis."""
    return DEPTS_RE.sub("", node.text)


def sentences(node: Node) -> list[str]:
    """The node's sentences (split at 。；！？), each a verbatim span of node.text."""
    return [s for s in SENTENCE_RE.findall(body(node)) if s.strip("。；！？ ")]


def overlap(tokens: set[str], text: str, tokenizer: object) -> float:
    """How much of the question a piece of text shares, longer shared words counting more."""
    shared = tokens & set(tokenizer(text))  # type: ignore[operator]
    return float(sum(len(t) for t in shared))


def best_sentences(node: Node, tokens: set[str], tokenizer: object, limit: int = 1) -> list[str]:
    """The sentences of a node that best support an answer to the question, in reading order."""
    found = sentences(node)
    if not found:
        return []
    scored = [(overlap(tokens, s, tokenizer), -i, s) for i, s in enumerate(found)]
    if node.kind == "item" and len(found) > 1:
        scored = scored[1:]  # the opening phrase is the title; quote what the task does
    scored.sort(reverse=True)
    top = scored[0][0]
    chosen = [s for score, _, s in scored[:limit] if score >= top * 0.6]
    return sorted(chosen, key=found.index)


def departments_quote(node: Node) -> str | None:
    """The closing parenthesis that names the departments, verbatim."""
    match = DEPTS_RE.search(node.text)
    return match.group(0) if match else None


# ---------------------------------------------------------------------------------------------- wording


def dept_name(name: str, language: str) -> str:
    """A department as shown: Chinese name, with its English gloss for English answers."""
    english = gloss(name)
    return f"{name} ({english})" if language == "en" and english != name else name


def departments_sentence(departments: Sequence[Department], language: str) -> str:
    """The direct answer for a department question: lead first, then the co-responsible ones."""
    lead, others = departments[0], departments[1:]
    names = [dept_name(d.name, language) for d in departments]
    if language == "en":
        if lead.joint:
            return (f"Jointly responsible: {', '.join(names)}; the first listed, {names[0]}, leads "
                    "(the plan: the first listed department leads).")
        text = f"Lead department: {names[0]}."
        return text + (f" Also responsible: {', '.join(names[1:])}." if others else "")
    if lead.joint:
        return f"由{'、'.join(names)}共同负责，列第一位的{names[0]}为牵头部门。"
    text = f"牵头部门：{names[0]}"
    return text + (f"；共同负责：{'、'.join(names[1:])}。" if others else "。")


def quote_line(quotes: Sequence[str], n: int, language: str) -> str:
    prefix = "From the plan: " if language == "en" else ""
    return prefix + "".join(f"「{q}」" for q in quotes) + f"[{n}]"


def citation_lines(citations: Sequence[Citation]) -> str:
    return "\n".join(f"[{c.n}] {c.label}" for c in citations)


def cite(node: Node, n: int, quotes: Sequence[str] = ()) -> Citation:
    return Citation(n=n, id=node.id, label=node.label, text=node.text, quotes=tuple(q for q in quotes if q))


# ---------------------------------------------------------------------------------------------- composer


class Composer:
    """Composes answers for one assistant; holds what every answer needs from the plan."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.nodes = assistant.nodes
        self.tokenizer = assistant.index.tokenizer
        self.corpus_text = "\n".join(n.text for n in self.nodes.values())
        self.plan_departments = assistant.departments()
        self._clause_vectors: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}  # English target questions
        self._lock = threading.Lock()

    # -- reading the conversation

    def reading(self, question: str, has_history: bool) -> Reading:
        return read(question, self.corpus_text, self.plan_departments, has_history)

    def previous_turn(self, history: Sequence[str]) -> Turn | None:
        """What the conversation was about before this question, replaying earlier questions in order."""
        turn: Turn | None = None
        for earlier in history:
            try:
                text = clean_question(str(earlier), self.assistant.settings.max_question_chars)
            except ValueError:
                continue
            reading = self.reading(text, turn is not None)
            intent = reading.intent if reading.intent != Intent.GENERAL or turn is None else turn.intent
            if reading.follow_up and not reading.has_topic and turn is not None:
                turn = Turn(intent, turn.topic, turn.departments)
            elif reading.intent == Intent.REVERSE and reading.departments:
                turn = Turn(intent, None, reading.departments)
            elif reading.scope_problem is None and reading.intent not in (Intent.METADATA, Intent.OUTLINE):
                hits = self.assistant.searcher.search(text, k=1)
                turn = Turn(intent, hits[0].node_id if hits else None, reading.departments)
        return turn

    # -- the answer kinds

    def answer(self, question: str, history: Sequence[str]) -> Answer:
        text = clean_question(question, self.assistant.settings.max_question_chars)
        previous = self.previous_turn(history) if history else None
        reading = self.reading(text, previous is not None)
        intent = reading.intent
        topic: str | None = None
        departments = reading.departments
        if reading.follow_up and previous is not None:
            if intent == Intent.GENERAL:
                intent = previous.intent
            if not reading.has_topic:
                topic = previous.topic
                departments = departments or previous.departments
        lang = reading.language
        if GREETING_RE.match(text):
            return Answer(question=text, answer=help_text(self.assistant, lang), intent=Intent.OUT_OF_SCOPE.value,
                          abstained=True, language=lang)
        if reading.scope_problem and topic is None:
            return self.abstain(text, lang, reading.scope_problem, self.assistant.searcher.search(text, k=3))
        if intent == Intent.METADATA:
            return self.metadata(text, lang)
        if not reading.has_topic and topic is None and intent not in (Intent.OUTLINE, Intent.REVERSE):
            return self.ask_for_topic(text, lang)
        if intent == Intent.OUTLINE:
            return self.outline(text, lang)
        if intent == Intent.REVERSE and departments:
            return self.reverse(text, lang, departments[0])
        if topic is not None:
            hits = [self.hit_for(topic)]
        else:
            # a follow-up that names something new ("And which customs offices?") is read with the turn before it
            query = f"{history[-1]} {text}" if reading.follow_up and previous is not None and history else text
            hits, dense_top, bm25_top = self.assistant.searcher.search_with_evidence(query, CANDIDATES)
            mention = lang == "zh" and intent == Intent.GENERAL and MENTION_RE.search(text)
            absent = self.absent_terms(text) if mention else []
            if absent:
                return self.abstain(text, lang, "、".join(f"“{t}”" for t in absent), hits[:3])
            if not self.about_the_plan(query, lang) or not self.confident(dense_top, bm25_top, lang):
                return self.abstain(text, lang, None, hits[:3])
        if intent in (Intent.DEPARTMENT, Intent.LEAD):
            return self.department(text, lang, intent, hits)
        if intent == Intent.TARGET:
            if topic is not None:
                return self.topic_target(text, lang, self.nodes[topic])
            return self.target(text, lang, hits)
        return self.general(text, lang, hits)

    def absent_terms(self, question: str) -> list[str]:
        """Terms of a Chinese question that the plan never uses (区块链, 人工智能), joined across jieba's splits."""
        words = [w for w in self.tokenizer.words(question) if re.fullmatch(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", w)]
        terms: list[str] = []
        i = 0
        while i < len(words):
            word = words[i]
            if len(word) < 2 or word in GENERIC_TOKENS or word in STOPWORDS or word in self.corpus_text:
                i += 1
                continue
            # extend through following single characters while the phrase stays absent (区块 + 链)
            while (i + 1 < len(words) and len(words[i + 1]) == 1 and words[i + 1] not in STOPWORDS
                   and words[i + 1] not in "了吗呢吧啊呀么" and word + words[i + 1] not in self.corpus_text):
                word += words[i + 1]
                i += 1
            terms.append(word)
            i += 1
        return [t for t in terms if t not in ASKING_TOKENS]

    def about_the_plan(self, question: str, language: str) -> bool:
        """Whether the words of a question touch the plan at all (dense similarity alone cannot tell)."""
        if language == "en":
            return bool(set(re.findall(r"[a-z]+", question.lower())) & ENGLISH_FUNCTION_WORDS)
        vocab = self.assistant.searcher.vocab
        content = [t for t in self.tokenizer(question) if t not in GENERIC_TOKENS and (len(t) >= 2 or t.isascii())]
        return any(t in vocab for t in content)

    def confident(self, dense_top: float, bm25_top: float, language: str) -> bool:
        """Whether retrieval found something close enough to answer from (thresholds calibrated in eval)."""
        settings = self.assistant.settings
        if language == "en":
            return dense_top >= settings.answer_threshold_en
        return dense_top >= settings.answer_threshold or bm25_top >= settings.bm25_answer_threshold

    def hit_for(self, node_id: str) -> Hit:
        node = self.nodes[node_id]
        return Hit(id=node.id, node_id=node.id, label=node.label, text=node.text, score=1.0, departments=node.departments)

    def department(self, question: str, lang: str, intent: Intent, hits: list[Hit]) -> Answer:
        tokens = set(self.tokenizer(question))
        with_departments = [h for h in hits[:3] if h.departments]
        if not with_departments:
            return self.group_leads(question, lang, intent, self.nodes[hits[0].node_id])
        node = self.nodes[with_departments[0].node_id]
        quotes = best_sentences(node, tokens, self.tokenizer, limit=2)
        citations = [cite(node, 1, quotes)]
        lines = [departments_sentence(node.departments, lang), quote_line(quotes, 1, lang)]
        # a second task that matches almost as well, with another lead, is worth naming
        for hit in with_departments[1:2]:
            other = self.nodes[hit.node_id]
            if hit.score >= 0.9 * with_departments[0].score and other.lead and other.lead.name != node.lead.name:
                citations.append(cite(other, 2, [departments_quote(other) or ""]))
                see = (f"See also: {other.title} (lead: {dept_name(other.lead.name, lang)})[2]" if lang == "en"
                       else f"另见：{other.title}（牵头：{other.lead.name}）[2]")
                lines.append(see)
        lines.append(citation_lines(citations))
        return Answer(question=question, answer="\n".join(lines), intent=intent.value, citations=tuple(citations),
                      lead_department=node.lead.name, departments=tuple(d.name for d in node.departments),
                      language=lang, topic=node.id)

    def group_leads(self, question: str, lang: str, intent: Intent, node: Node) -> Answer:
        """Departments for a node that lists none itself (an action goal): the leads of its action's tasks."""
        group = node
        while group.kind not in ("group", "part") and group.parent:
            group = self.nodes[group.parent]
        tasks = [n for n in self.assistant.tasks() if n.id.startswith(group.id + ".")]
        if not tasks:
            return self.abstain(question, lang, None, [self.hit_for(node.id)])
        leads = Counter(t.lead.name for t in tasks if t.lead)
        citations = [cite(t, i, [departments_quote(t) or ""]) for i, t in enumerate(tasks, start=1)]
        main = leads.most_common(1)[0][0]
        if lang == "en":
            head = (f"The goal itself names no department; the {len(tasks)} tasks of {group.label.split(SEP)[-1]} "
                    f"are led by: " + "; ".join(f"{dept_name(n, lang)} ({c})" for n, c in leads.most_common()) + ".")
        else:
            head = (f"该目标本身未列部门；{group.label.split(SEP)[-1]}的{len(tasks)}项任务中，牵头部门为："
                    + "、".join(f"{n}（{c}项）" for n, c in leads.most_common()) + "。")
        lines = [head] + [f"{c.n}. {self.nodes[c.id].title}（牵头：{self.nodes[c.id].lead.name}）[{c.n}]" for c in citations]
        lines.append(citation_lines(citations))
        departments = tuple(dict.fromkeys(d.name for t in tasks for d in t.departments))
        return Answer(question=question, answer="\n".join(lines), intent=intent.value, citations=tuple(citations),
                      lead_department=main, departments=departments, language=lang, topic=node.id)

    def figure_clauses(self, node: Node, when: bool = False) -> list[tuple[str, str]]:
        """(sentence, clause) pairs of a node whose clause holds a figure (or, for when-questions, a date)."""
        wanted = TIMEFRAME_RE if when else FIGURE_RE
        return [(sentence, clause) for sentence in sentences(node) for clause in re.split(r"[，：]", sentence)
                if wanted.search(clause if when else TIMEFRAME_RE.sub("", clause))]

    def clause_similarity(self, question: str, node: Node, clauses: list[str]) -> list[float]:
        """Cosine of an English question to a node's Chinese clauses, through the multilingual embedder."""
        embedder = self.assistant.index.embedder
        key = (node.id, tuple(clauses))
        with self._lock:
            vectors = self._clause_vectors.get(key)
        if vectors is None:
            vectors = embedder.embed_passages(clauses)
            with self._lock:
                self._clause_vectors[key] = vectors
        q = embedder.embed_queries([question])[0]
        return [float(v @ q) for v in vectors]

    def target(self, question: str, lang: str, hits: list[Hit]) -> Answer:
        tokens = set(self.tokenizer(question)) - ASKING_TOKENS
        when = bool(WHEN_RE.search(question))
        candidates: list[tuple[float, Node, str, str]] = []
        for rank, hit in enumerate(hits[:3]):
            node = self.nodes[hit.node_id]
            pairs = self.figure_clauses(node, when)
            if not pairs:
                continue
            if lang == "en":
                scores = [10 * s for s in self.clause_similarity(question, node, [c for _, c in pairs])]
            else:
                scores = [overlap(tokens, c, self.tokenizer) + 0.3 * overlap(tokens, s, self.tokenizer) for s, c in pairs]
            # prefer the best-ranked item when clauses score alike
            penalty = 0.5 if lang == "en" else 1.5
            candidates += [(score - penalty * rank, node, s, c) for score, (s, c) in zip(scores, pairs, strict=True)]
        best = max(candidates, key=lambda c: c[0], default=None)
        if best is None or (lang == "zh" and best[0] <= 0):
            node = self.nodes[hits[0].node_id]
            quotes = best_sentences(node, tokens, self.tokenizer)
            head = ("The plan gives no specific figure for this; the closest statement:" if lang == "en"
                    else "计划在这方面没有给出具体数字，最相关的表述是：")
            return self.quoted(question, lang, Intent.TARGET, node, quotes, head)
        _, node, sentence, clause = best
        clause = clause.strip("。；")
        timeframe = TIMEFRAME_RE.search(sentence)
        when = timeframe.group(0) if timeframe and timeframe.group(0) not in clause else ""
        label = ("When" if lang == "en" else "时间") if WHEN_RE.search(question) else ("Target" if lang == "en" else "目标")
        if lang == "en":
            head = f"{label}: {clause}" + (f" ({when})" if when else "") + "."
        else:
            head = f"{label}：{clause}" + (f"（{when}）" if when else "") + "。"
        return self.quoted(question, lang, Intent.TARGET, node, [sentence], head)

    def goal_of(self, node: Node) -> Node | None:
        """The goal section (行动目标) of the action a node belongs to, if it has one."""
        group = node
        while group.kind != "group" and group.parent:
            group = self.nodes[group.parent]
        goals = [self.nodes[c] for c in group.children if "目标" in self.nodes[c].title and self.nodes[c].text]
        return goals[0] if goals else None

    def topic_target(self, question: str, lang: str, topic: Node) -> Answer:
        """Figures for a follow-up such as 目标是多少？: the goal of the topic's action, else the topic's own."""
        tokens = set(self.tokenizer(question)) - ASKING_TOKENS
        goal = topic if "目标" in topic.title or topic.kind == "part" else self.goal_of(topic)
        pairs = self.figure_clauses(goal) if goal is not None else []
        node = goal
        if not pairs and any(overlap(tokens, c, self.tokenizer) for _, c in self.figure_clauses(topic)):
            node, pairs = topic, self.figure_clauses(topic)  # the follow-up names a figure of the task itself
        if node is None or not pairs:
            node = goal or topic
            head = ("The plan sets no specific figure for this; what it says:" if lang == "en"
                    else "计划在这方面没有给出具体数字，原文是：")
            return self.quoted(question, lang, Intent.TARGET, node, best_sentences(node, tokens, self.tokenizer, 2), head)
        # a follow-up that names what it wants (物流总额) gets that figure; a bare one gets them all
        ranked = sorted(pairs, key=lambda p: -overlap(tokens, p[1], self.tokenizer))
        if overlap(tokens, ranked[0][1], self.tokenizer) > 0:
            pairs = ranked[:1]
        clauses = [c.strip("。；") for _, c in pairs][:6]
        quotes = list(dict.fromkeys(s for s, _ in pairs))
        head = ("Targets: " + "; ".join(clauses) + "." if lang == "en" else "目标：" + "；".join(clauses) + "。")
        return self.quoted(question, lang, Intent.TARGET, node, quotes, head)

    def quoted(self, question: str, lang: str, intent: Intent, node: Node, quotes: list[str], head: str,
               tail: str | None = None) -> Answer:
        """An answer of one direct line, the quoted sentences of one item, and its citation."""
        citations = [cite(node, 1, quotes)]
        lines = [head, quote_line(quotes, 1, lang)] + ([tail] if tail else []) + [citation_lines(citations)]
        return Answer(question=question, answer="\n".join(lines), intent=intent.value, citations=tuple(citations),
                      lead_department=node.lead.name if node.lead else None,
                      departments=tuple(d.name for d in node.departments), language=lang, topic=node.id)

    def general(self, question: str, lang: str, hits: list[Hit]) -> Answer:
        node = self.nodes[hits[0].node_id]
        quotes = best_sentences(node, set(self.tokenizer(question)), self.tokenizer, limit=2)
        head = f"The plan addresses this under “{node.title}”." if lang == "en" else f"计划在“{node.title}”中写道："
        tail = departments_sentence(node.departments, lang) if node.departments else None
        return self.quoted(question, lang, Intent.GENERAL, node, quotes, head, tail)

    def reverse(self, question: str, lang: str, name: str) -> Answer:
        leads, shares = self.assistant.department_tasks(name)
        if not leads and not shares:
            return self.abstain(question, lang, name,
                                self.assistant.searcher.search(question, k=3))
        ordered = leads + shares
        citations = [cite(node, i, [departments_quote(node) or ""]) for i, node in enumerate(ordered, start=1)]
        shown = dept_name(name, lang)
        if lang == "en":
            words = (f"{shown} is listed for {len(ordered)} tasks in the plan: it leads {len(leads)} and shares "
                     f"{len(shares)}.", "Leads:", "Shares (lead in brackets):", " (lead: {})")
        else:
            words = (f"{shown}在计划中共列入{len(ordered)}项任务：牵头{len(leads)}项，参与{len(shares)}项。", "牵头：",
                     "参与（括号内为牵头部门）：", "（牵头：{}）")
        lines = [words[0]]
        for heading, group, lead_note in ((words[1], citations[: len(leads)], False),
                                          (words[2], citations[len(leads):], True)):
            if group:
                lines.append(heading)
            for c in group:
                node = self.nodes[c.id]
                note = words[3].format(node.lead.name) if lead_note else ""
                lines.append(f"{c.n}. {node.title}{note}[{c.n}]")
        lines.append(citation_lines(citations))
        return Answer(question=question, answer="\n".join(lines), intent=Intent.REVERSE.value,
                      citations=tuple(citations), lead_department=name if leads else None, departments=(name,),
                      language=lang)

    def outline(self, question: str, lang: str) -> Answer:
        parts = self.assistant.children(None)
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
            children = self.assistant.children(part.id)
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

    def metadata(self, question: str, lang: str) -> Answer:
        head = next(n for n in self.nodes.values() if n.kind == "document")
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

    def ask_for_topic(self, question: str, lang: str) -> Answer:
        """A question that names no topic and has no earlier turn to lean on: ask which task is meant."""
        task = next((n for n in self.assistant.tasks() if n.kind == "item"), None)
        example = task.title if task else ""
        text = (f"Which task or action do you mean? Please name it, e.g. “Who leads {example}?”" if lang == "en"
                else f"请说明您问的是哪项任务或行动，例如：“{example}”由哪个部门牵头？")
        return Answer(question=question, answer=text, intent=Intent.OUT_OF_SCOPE.value, abstained=True, language=lang)

    def abstain(self, question: str, lang: str, reason: str | None, hits: list[Hit]) -> Answer:
        citations = [cite(self.nodes[h.node_id], i) for i, h in enumerate(hits[:3], start=1)]
        if lang == "en":
            head = f"The plan does not cover {reason or 'this question'}." + (" You may mean:" if citations else "")
        else:
            head = f"计划中没有涉及{reason + '的内容' if reason else '这个问题'}。" + ("您可能想问：" if citations else "")
        lines = [head] + [f"[{c.n}] {c.label}" for c in citations]
        return Answer(question=question, answer="\n".join(lines), intent=Intent.OUT_OF_SCOPE.value,
                      citations=tuple(citations), abstained=True, language=lang)


def answer_question(assistant: Assistant, question: str, history: Sequence[str] = ()) -> Answer:
    """A composed, cited answer (or, when QA_LLM_BASE_URL is set, a model's answer grounded on the same items).

    Raises:
        QuestionError: an empty or over-long question.
    """
    composer = getattr(assistant, "_composer", None)
    if composer is None:
        with assistant._lock:
            composer = getattr(assistant, "_composer", None) or Composer(assistant)
            assistant._composer = composer
    composed = composer.answer(question, list(history))
    composed = replace(composed, question=question)  # as asked, not as cleaned
    from .llm import llm_settings

    if composed.abstained or llm_settings() is None:
        return composed
    from .llm import generate

    return generate(assistant, composed, list(history))
