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

from .glossary import to_chinese_terms
from .intent import Intent, Reading, read
from .quotes import (
    ASKING_TOKENS,
    TIMEFRAME_RE,
    WHEN_RE,
    best_sentences,
    citation_lines,
    cite,
    departments_quote,
    departments_sentence,
    dept_name,
    figure_clauses,
    overlap,
    quote_line,
)
from .records import Answer, Hit, Node
from .retrieve import clean_question
from .structure import SEP
from .structured import metadata_answer, outline_answer, reverse_answer
from .tokenize import STOPWORDS

if TYPE_CHECKING:
    from . import Assistant

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

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
            return metadata_answer(self.assistant, text, lang)
        if not reading.has_topic and topic is None and intent not in (Intent.OUTLINE, Intent.REVERSE):
            return self.ask_for_topic(text, lang)
        if intent == Intent.OUTLINE:
            return outline_answer(self.assistant, text, lang)
        if intent == Intent.REVERSE and departments:
            listed = reverse_answer(self.assistant, text, lang, departments[0])
            return listed or self.abstain(text, lang, departments[0], self.assistant.searcher.search(text, k=3))
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
        # an English question is matched to Chinese clauses through its glossary terms, besides the embedder
        words = question if lang == "zh" else to_chinese_terms(question)
        tokens = set(self.tokenizer(words)) - ASKING_TOKENS
        when = bool(WHEN_RE.search(question))
        candidates: list[tuple[float, Node, str, str]] = []
        for rank, hit in enumerate(hits[:3]):
            node = self.nodes[hit.node_id]
            pairs = figure_clauses(node, when)
            if not pairs:
                continue
            if lang == "en":
                similarity = self.clause_similarity(question, node, [c for _, c in pairs])
                scores = [10 * sim + overlap(tokens, c, self.tokenizer) for sim, (_, c) in zip(similarity, pairs, strict=True)]
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
        pairs = figure_clauses(goal) if goal is not None else []
        node = goal
        if not pairs and any(overlap(tokens, c, self.tokenizer) for _, c in figure_clauses(topic)):
            node, pairs = topic, figure_clauses(topic)  # the follow-up names a figure of the task itself
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
