"""The answer layer: read a question, find its evidence, pass the scope gate, and compose a cited answer with
the handler for its kind (department, target, detail, structured, conversation)."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace

from ..departments import mentions
from ..glossary import english_terms, glossary_words
from ..intent import (
    ASKS_RE,
    BACK_REFERENCE_RE,
    CLAUSE_MARKS,
    INTENT_RE,
    QUESTION_MARKS,
    WH_RE,
    YES_NO_RE,
    Intent,
    Reading,
    read,
    unguessed,
)
from ..plan import GOAL_WORD
from ..records import Answer
from ..retrieve import clean_question, has_cjk, unglossed_words
from . import department, detail, figures, target
from .base import Context, Query, decline, hit_for
from .conversation import (
    CITATION_LINE,
    GREETING_RE,
    HISTORY_CHARS,
    MAX_TURNS,
    Turn,
    ask_for_topic,
    greeting,
    join_parts,
    split_message,
    turn_of,
)
from .evidence import asked_kind
from .scope import (
    CLAUSE_RE,
    GATES,
    absent_topic,
    content_words,
    grammar,
    rule_problem,
    says_how,
    standing,
    support,
    unanswerable,
)
from .structured import metadata_answer, outline_answer, reverse_answer

__all__ = ["Context", "Responder"]

Handler = Callable[[Context, Query], Answer]
HANDLERS: dict[Intent, Handler] = {
    Intent.DEPARTMENT: department.answer,
    Intent.LEAD: department.answer,
    Intent.TARGET: target.answer,
    Intent.GENERAL: detail.answer,
}
CANDIDATES = 5  # hits retrieved for an answer
EVIDENCE_ITEMS = 3  # items whose text counts as evidence for the scope gate
# A department question that asks for a firm, place or programme is a detail question.
RESPONSIBILITY_RE = re.compile(r"部门|牵头|负责|主管|主抓|职责|department|lead|responsib|in charge|agenc", re.I)
RESPONSIBLE_BODY_RE = re.compile(r"(责任|负责|主管)的?(部门|单位)")
ASKING_TOKENS = frozenset("达到 目标 多少 实现 要求 计划 要 到 年 几个 几家 比例 具体 哪些 target goal plan by".split())
# a rule whose decline is not "the plan does not mention …"
RULE_WORDING = {"money": "decline_money", "duration": "decline_duration", "procedure": "decline_procedure",
                "now": "decline_now", "firm": "decline_firm", "free": "decline_free",
                "past": "decline_past"}
ANSWER_CACHE = 512  # answers kept for earlier turns, so a conversation never re-answers its history
# A follow-up that asks for something about the item discussed (谁挑头？ 具体是哪几家在操办？) names at most this
# many words besides grammar and everyday ones; longer questions name a topic of their own, and so does the second
# question of a two-part message with this many words of any kind.
FOLLOW_UP_WORDS = 3


def asked_about(text: str, intent: Intent) -> str:
    """A who-is-responsible question without the words its intent was read from (领头, 主管部门, 谁负责): they say
    what is asked, as they do when reading whether it names a topic (intent.read), not what it is about."""
    if intent not in (Intent.DEPARTMENT, Intent.LEAD) or not has_cjk(text):
        return text  # English patterns match stems (bod-ies)
    # a lead asked for as one of the bodies responsible (排头的责任部门是？): the body words go too
    text = INTENT_RE[intent].sub("，", text)
    return RESPONSIBLE_BODY_RE.sub("，", text) if intent == Intent.LEAD else text


CLAUSE_START_RE = re.compile(f"[{CLAUSE_MARKS}{QUESTION_MARKS}]")  # clauses, question marks too (split_parts splits at those)
LINKING_RE = re.compile(r"(那么|那|还有|另外|以及|再|又)?")  # words that open a follow-up and name nothing
# A question asking for a body: the question word with a kind of body (哪个局, 哪几个厅局, 哪家, which office), a person
# as the one something rests with (是谁, 归谁, who's, whose), or a list of bodies (list the departments). Said of the item
# just discussed (这条落在哪几个厅局身上？ Whose desk does that land on?), it asks who is responsible for that item: the
# plan names no people, only bodies. Not a bare 谁/who, which as often asks who benefits (要帮谁？ who can access it?).
ASKS_BODY_RE = re.compile(
    r"(是|归|由|找)谁|谁(在|来|家)|哪(个|几个|些|家|几家)?[^，。？?、]{0,3}(厅|局|委|办|部门|单位|机构|家|方|主体)|"
    r"\bwhose\b|\bwho('s| is| are)\b|"
    r"\b(which|what)\b[^?.]{0,25}\b(office|bod(y|ies)|agenc\w*|departments?|bureaus?|authorit\w*|ministr\w*)\b|"
    r"\b(list|name|give)\b.{0,40}\b(departments?|agenc\w*|bod(y|ies)|offices?)\b", re.I)


def asks_responsibility(text: str, reading: Reading, names_department: bool) -> bool:
    """Whether a question asks who is responsible: by its intent (哪几个部门, who leads), by naming a department
    and asking whether it takes part (广电局也参与吗？), or by asking for a body of what it follows up on, by
    pointing back or by a linking word (归口管这件事的是哪个厅？ 那省里是哪个委领衔在推？ Who is steering that
    one?: ASKS_BODY_RE)."""
    return (reading.intent in (Intent.DEPARTMENT, Intent.LEAD)
            or (names_department and YES_NO_RE.search(text) is not None)
            or ((reading.points_back or reading.follow_up) and ASKS_BODY_RE.search(text) is not None))


def names_topic(text: str, word: str, points_back: bool) -> bool:
    """Whether a word of a who-question is the topic it asks about rather than a word of its asking: the word
    opens its clause (after a linking 那, 还有 …: 殡仪馆谁管？), and in a question that points back, the pointer
    follows it (殡仪馆这事归哪个厅？, where in 省里主抓这件事的是哪个局？ 主抓 opens nothing)."""
    at = text.find(word)
    if at < 0 or (points_back and BACK_REFERENCE_RE.match(text, at + len(word)) is None):
        return False
    opening = CLAUSE_START_RE.split(text[:at])[-1]
    return LINKING_RE.fullmatch(opening.strip()) is not None


def stated_reasons(text: str) -> int:
    """Where a question's own reasons end: the clauses before the first one that points back, when none of them
    asks anything (写论文要引用，这一项挂了哪些单位？ 我们县里想对接，省里主抓这件事的是哪个局？); 0 when there are none."""
    end = 0
    for clause in CLAUSE_RE.split(text):
        if BACK_REFERENCE_RE.search(clause):
            return end
        if ASKS_RE.search(clause):
            return 0
        end += len(clause) + 1
    return 0


class Responder:
    """Answers questions over one plan and retriever; holds nothing but a small cache of recent turns."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._turns: OrderedDict[tuple[str, tuple[str, ...], str | None], Answer] = OrderedDict()
        self._lock = threading.Lock()

    def clear_cache(self) -> None:
        """Forget the answers kept for earlier turns."""
        with self._lock:
            self._turns.clear()

    def answer(self, question: str, history: Sequence[str] = (), doc: str | None = None) -> Answer:
        """A cited answer, or an honest decline.

        Args:
            question: Chinese or English text.
            history: earlier questions of the conversation, oldest first.
            doc: answer from this document only (a question that names a document is scoped to it too).
        Raises:
            QuestionError: an empty or over-long question.
            ValueError: an unknown document id.
        """
        text = clean_question(question, self.ctx.settings.max_question_chars)
        if doc is not None and doc not in {d.key for d in self.ctx.plan.docs}:
            raise ValueError(f"unknown document {doc!r}; the library holds: "
                             f"{', '.join(d.key for d in self.ctx.plan.docs)}")
        scope = doc or self.ctx.plan.named_document(text)
        return self.name_documents(self._answer(text, self._recent(history), scope))

    def name_documents(self, answer: Answer) -> Answer:
        """With several documents in the library, each citation names its document: 《short title》number › …"""
        plan = self.ctx.plan
        if len(plan.docs) < 2 or not answer.citations:
            return answer
        relabelled = [replace(c, label=f"{plan.citation_prefix(plan.nodes[c.id].doc)} › {c.label}")
                      for c in answer.citations]
        lines = [line for line in answer.answer.splitlines() if not CITATION_LINE.match(line)]
        lines += [f"[{c.n}] {c.label}" for c in relabelled]
        return replace(answer, answer="\n".join(lines), citations=tuple(relabelled))

    def search(self, text: str, k: int, doc: str | None) -> list:
        """Retrieval, within one document when the question is scoped to it."""
        return self.ctx.searcher.search(text, k=k, doc=doc)

    def _recent(self, history: Sequence[str]) -> tuple[str, ...]:
        """The last turns of a history, each cut to HISTORY_CHARS; junk entries are dropped."""
        kept: list[str] = []
        for earlier in list(history)[-MAX_TURNS:]:
            try:
                kept.append(clean_question(str(earlier)[: HISTORY_CHARS * 4], 10**9)[:HISTORY_CHARS])
            except ValueError:
                kept.append("")  # an empty turn still breaks the chain to what came before it
        return tuple(kept)

    def _answer(self, text: str, history: tuple[str, ...], doc: str | None = None, earlier: bool = False) -> Answer:
        parts, chained = split_message(text)
        if len(parts) < 2:
            return self.single(text, history, doc, earlier)
        answers: list[Answer] = []
        turns = history
        for n, part in enumerate(parts[:3]):
            # turns grow only when the parts are chained; a later one follows the part before it in its message
            answers.append(self.single(part, turns, doc, earlier, in_message=chained and n > 0))
            if chained and turn_of(answers[0]) is None:
                if self.asks_who_else(parts, history, doc):
                    # 交通运输厅也有份吗？这块都有哪些部门？ — one question about the item discussed: its list of
                    # departments answers both, whatever the first part's wording
                    return self.single(parts[1], history, doc, earlier, asks=Intent.DEPARTMENT)
                return answers[0]  # the later parts lean on the first: nothing to answer them from
            if chained:
                turns = (turns + (part,))[-MAX_TURNS:]
                with self._lock:  # the next part follows this answer as given, not this part asked afresh
                    self._turns[(part, turns[:-1], doc)] = answers[-1]
        return join_parts(text, answers, answers[0].language)

    def asks_who_else(self, parts: list[str], history: tuple[str, ...], doc: str | None) -> bool:
        """Whether a two-part message asks one thing of the item discussed: whether some department takes part or
        asks for the list in words of its own (能给我列全不？), then, with no topic of its own, which ones
        (都有谁？). The first part may use only the item's words, department names and words that only ask
        (see asks_only): one naming something else (无人机也归他们管吗？) keeps its decline."""
        previous = self.previous(history, doc) if len(parts) == 2 and history else None
        if previous is None or previous.topic is None:
            return False
        departments = self.ctx.plan.departments()
        first, second = read(parts[0], departments, True), read(parts[1], departments, True)
        asks_which = second.intent in (Intent.DEPARTMENT, Intent.LEAD) or WH_RE.search(parts[1]) is not None
        about_who = (asks_responsibility(parts[0], first, bool(first.departments))
                     or RESPONSIBILITY_RE.search(parts[0]) is not None)
        node_text = self.ctx.plan.nodes[previous.topic].text
        named = [name for name, _ in mentions(parts[0], departments)]
        own_words = self.content_words(parts[0])
        only_asks = all(w in node_text or self.asks_only(w) or any(w in name for name in named) for w in own_words)
        return not second.has_topic and asks_which and about_who and only_asks

    def previous(self, history: tuple[str, ...], doc: str | None = None) -> Turn | None:
        """What the conversation was about: the last turn's answer, itself read with the turn before it when it
        follows up by its wording, or when alone it is about nothing."""
        if not history or not history[-1]:
            return None
        key = (history[-1], history[:-1], doc)
        with self._lock:
            cached = self._turns.get(key)
        if cached is None:
            before = history[:-1][-(MAX_TURNS - 1):] if MAX_TURNS > 1 else ()
            cached = self._answer(history[-1], before, doc, earlier=True)
            if before and turn_of(cached) is None:
                # read alone it left nothing to follow (主要是哪几个行业？): it may have followed up the turn before it
                # without a linking word, as it was read when asked; only such a turn pays for that one
                cached = self._answer(history[-1], before, doc)
            with self._lock:
                self._turns[key] = cached
                while len(self._turns) > ANSWER_CACHE:
                    self._turns.popitem(last=False)
        return turn_of(cached)

    def single(self, text: str, history: tuple[str, ...], doc: str | None = None, earlier: bool = False,
               asks: Intent | None = None, in_message: bool = False) -> Answer:
        """The answer to one question (one part of a message), from one document when doc is given; earlier
        marks a turn answered as the context of a later one, which reads its own history only when it
        follows up by its wording (a question with a topic of its own never pays for the turns before it);
        asks, what the message as a whole asks when this part alone does not say (都有谁？ after 也有份吗？);
        in_message, a later question of one message, which follows the question before it there."""
        ctx, plan = self.ctx, self.ctx.plan
        reading = read(text, plan.departments(), bool(history))
        if asks is not None:
            reading = replace(reading, intent=asks)
        names_nothing = (reading.language == "en" and reading.has_topic and BACK_REFERENCE_RE.search(text) is not None
                         and asks_responsibility(text, reading, False) and not self.english_topic(text))
        if names_nothing:
            # Who's leading that work? names nothing of its own: it follows up, or has no topic at all
            reading = replace(reading, has_topic=False, follow_up=bool(history))
        previous = self.previous(history, doc) if history and (reading.follow_up or not earlier) else None
        part_of_previous = False  # every word it names is in the item just discussed (具体能提供哪些服务？)
        if not reading.follow_up and previous is not None and previous.topic:
            part_of_previous = self.names_part_of(text, previous.topic, reading, in_message)
            if part_of_previous:
                reading = replace(reading, follow_up=True)  # no linking word, yet it follows up
        if reading.follow_up and previous is None:
            # nothing to follow (no turn before, or a declined one): read it as a first question, which still
            # names nothing when it only pointed back
            reading = read(text, plan.departments(), False)
            reading = replace(reading, has_topic=False) if names_nothing else reading
        lang = reading.language
        if GREETING_RE.match(text):
            return greeting(plan, text, lang)
        intent, departments, topic = reading.intent, reading.departments, None
        if reading.follow_up and previous is not None:
            if intent == Intent.GENERAL and asks_responsibility(text, reading, bool(reading.departments)):
                intent = Intent.DEPARTMENT  # 广电局也参与吗？ asks whether it takes part in the item discussed
            elif intent == Intent.GENERAL and previous.intent != Intent.OUT_OF_SCOPE:
                intent = previous.intent
            if previous.topic and (not reading.has_topic or part_of_previous
                                   or self.names_part_of(text, previous.topic, reading, in_message)):
                topic = previous.topic
            departments = departments or previous.departments
            if topic is not None and intent == Intent.OUTLINE:
                intent = Intent.GENERAL  # "具体有哪些措施？" asks about the topic, not the plan's outline
        asked = text[stated_reasons(text):]  # the asker's own reasons first (我想打电话问问政策，这事…) ask nothing
        problem = rule_problem(asked, lang, intent, plan.text, ctx.words(asked), ctx.money_words, ctx.known,
                               ctx.renderings)
        if problem:
            # what the plan never states, asked of any topic (那他们的联系电话是多少？); nearest: the item discussed
            nearest = (hit_for(plan.nodes[topic]),) if topic is not None else self.search(text, 3, doc)
            return decline(ctx, text, lang, [problem[1]], nearest, RULE_WORDING.get(problem[0], "decline"))
        if intent == Intent.METADATA:
            return metadata_answer(plan, text, lang, doc)
        if intent == Intent.OUTLINE:
            return outline_answer(plan, text, lang, doc)
        if intent == Intent.REVERSE and departments:
            listed = reverse_answer(plan, text, lang, departments[0], doc)
            return listed or decline(ctx, text, lang, [departments[0]], self.search(text, 3, doc))
        if topic is None and (asked := figures.asked_figures(text, intent, plan.text)):
            stated = figures.answer(ctx, text, lang, intent, asked, self.search(text, CANDIDATES, doc), doc)
            if stated is not None:
                return stated
        if not reading.has_topic and topic is None:
            return ask_for_topic(plan, text, lang)
        kind = asked_kind(text)
        if intent == Intent.DEPARTMENT and kind in ("org", "place", "name") and not RESPONSIBILITY_RE.search(text):
            intent = Intent.GENERAL
        query = text
        with_turn = f"{history[-1]} {text}" if history else text  # a follow-up read with the turn it follows
        overall = topic is not None and self.assigns_none(topic)
        if (topic is not None and intent in (Intent.GENERAL, Intent.DEPARTMENT, Intent.LEAD)
                and (GOAL_WORD in plan.nodes[topic].title or (overall and intent != Intent.GENERAL)) and history):
            # "具体措施有哪些？" or "这事谁牵头？" after an action's goal: the answer is the task of that action
            # closest to what the conversation is about; "谁牵头？" after an overall goal, whose part assigns no
            # work, the task of the document closest to it
            within = [n for n in plan.nodes.values() if n.doc == plan.nodes[topic].doc] if overall \
                else plan.descendants(plan.group(topic).id)
            group = {n.id for n in within if n.departments}
            query = with_turn
            found = [h for h in self.search(query, CANDIDATES * 4, doc) if h.node_id in group]
            topic = None if found else topic
            hits = tuple(found[:CANDIDATES]) or (hit_for(plan.nodes[topic]),)  # type: ignore[index]
        elif topic is not None:
            hits = (hit_for(plan.nodes[topic]),)
            if previous is not None and topic == previous.topic and history:
                # its sentence is picked with the turn it follows (主要在哪些行业？ after 听说要搞“机器代人”试点？
                # asks about the 机器代人 sentence of the item, not any sentence with a list of industries)
                query = with_turn
        else:
            if reading.follow_up and previous is not None and history:
                query = with_turn  # a follow-up naming something new is read with its turn
            hits = tuple(self.search(query, CANDIDATES, doc))
            # a question naming an action's goals (物流目标里…) is answered from its goal section; goals named in a
            # guess (这是制造那块的行动目标吧？) are a premise to check
            goal = plan.named_goal(unguessed(text), doc) if intent in (Intent.TARGET, Intent.GENERAL) else None
            if goal is not None:
                hits = (hit_for(plan.nodes[goal]), *(h for h in hits if h.node_id != goal))[:CANDIDATES]
            if not hits:
                return decline(ctx, text, lang, [], ())
            asked = asked_about(text, intent)
            missing = self.unsupported(asked, lang, hits, doc)
            gate = GATES[lang]
            # a gate with no far_item (English) never declines this way: the rankings are not worth computing
            if missing is None and goal is None and gate.far_item > 0 \
                    and gate.near_none(*self.ctx.searcher.first_item(asked, doc)):
                return decline(ctx, text, lang, [], hits)  # its words are the plan's, but it is about none of its items
            hits = hits[:1] if goal is not None else hits
            if missing is not None:
                if not (reading.points_back and previous is not None and previous.topic
                        and all(self.asks_only(w) for w in missing)):
                    return decline(ctx, text, lang, missing, hits)
                # a follow-up that points back and misses only asking words (这块最后要弄成个啥局面？): its item
                topic, hits = previous.topic, (hit_for(plan.nodes[previous.topic]),)
        tokens = self.tokens(text, lang)
        context = ()
        if previous is not None and topic is not None and topic == previous.topic \
                and asks_responsibility(text, reading, bool(reading.departments)) \
                and not self.names_in_item(text, tokens, topic):
            context = previous.quotes  # who answers for what that turn quoted (那由谁牵头？ 省公安厅参与吗？)
        # a follow-up with no words of its own ("那由谁牵头？") needs no embedding: its item is known
        vector = None if topic is not None and not tokens else ctx.searcher.query_vector(query)
        q = Query(text=text, language=lang, intent=intent, kind=kind, tokens=tokens,
                  renderings=self.renderings(text, lang),
                  departments=departments, topic=topic, context=context, hits=hits, vector=vector)
        return HANDLERS.get(intent, detail.answer)(ctx, q)

    def unsupported(self, text: str, language: str, hits: Sequence, doc: str | None = None) -> list[str] | None:
        """The content words that leave a question unanswerable: found in no retrieved item, nowhere in the plan,
        and with no close relative among the plan's sentences (see scope.Gate), unless retrieval is sure of one
        item (Searcher.first_item, read by Gate.sure_of_one)."""
        evidence = "\n".join(self.ctx.plan.nodes[h.node_id].wording for h in hits[:EVIDENCE_ITEMS])
        found = support(text, self.ctx.words(text), evidence, self.ctx.plan.text, self.ctx.common, self.ctx.known,
                        self.ctx.english, self.ctx.frequency)
        if not found.unsupported:
            return None
        gate, vectors = GATES[language], self.ctx.sentence_vectors
        missing = absent_topic(found, found.absent, gate)
        if not missing:
            related = [(1.0, 99.0)] * len(found.unsupported)
            if vectors is not None and len(vectors):
                sims = self.ctx.searcher.query_vectors(list(found.unsupported)) @ vectors.T
                related = [(float(s.max()), float((s.max() - s.mean()) / (s.std() + 1e-9))) for s in sims]
            missing = unanswerable(found, related, gate, self.ctx.frequency, self.ctx.tag)
        if missing and vectors is not None and len(vectors) \
                and standing(vectors @ self.ctx.searcher.query_vector(text)) >= gate.stands_out:
            return None  # the question as a whole picks out one sentence: its odd words are its own wording
        if missing and gate.sure_of_one(*self.ctx.searcher.first_item(text, doc)):
            return None  # so close to one item that the rankings agree on it: its odd words are its own wording
        return missing or None

    def content_words(self, text: str) -> list[str]:
        """The words of a question that say what it is about (scope.content_words), read with the index's
        segmenter and dictionary."""
        return content_words(text, self.ctx.words(text), self.ctx.plan.text, self.ctx.known, self.ctx.frequency)

    def english_topic(self, text: str) -> bool:
        """Whether an English question names a topic: a word the glossary maps to a plan term, a word the plan
        uses as written (P2P), or a word the dictionary does not know (Zhongtai) or knows only with translations
        the documents never use (e-sports: a topic, which the scope gate then declines). A word whose
        translations are plain plan words (job → 工作, driving → 推动) names nothing by itself (Whose job is it?)."""
        mapped = glossary_words(text)  # every glossary entry has terms (glossary.table)
        plan_text = self.ctx.plan.text.lower()
        for word in self.content_words(text):
            if word.lower() in mapped or word.lower() in plan_text or not self.ctx.english(word):
                return True
        return False

    def names_part_of(self, text: str, node_id: str, reading: Reading, in_message: bool = False) -> bool:
        """Whether a follow-up's own words (省级的呢？) all occur in the item the conversation is about; a
        follow-up with no content words of its own (具体有哪些措施？) is about that item too.

        Words the dictionary tags as grammar (一级 of 市一级的呢？, 自己, 此外: scope.grammar) name nothing. One that
        points back (搞这个图啥？, 上面说的要达到啥水平？) may also use words that only ask (see asks_only), and one
        that opens by pointing back and asks for something about it (这事谁来挑头？) any words after the pointer:
        they are its comment (Reading.comment_from). A short one that asks for something (谁挑头？ 最终图个啥？
        准备靠哪个平台统一管起来？: at most FOLLOW_UP_WORDS words that could name something, grammar and everyday words
        the dictionary knows aside) may use any word the dictionary tags as saying what is done or how (挑头, 最终: see
        scope.says_how); its nouns must still be in the item. A department it names (经信委之外还有谁？) asks who
        is responsible for the item, whether or not the item lists that one. A real word for something absent
        (殡葬, readings) elsewhere still names a new topic: that question goes to the scope gate.

        One that asks who is responsible may use words the plan never uses (由哪个部门来张罗？ 归口管这件事的是哪个
        厅？ Whose desk does that land on?): such a word cannot name another of the plan's items, unless it stands
        where the topic does (names_topic) and the dictionary does not tag it as saying what is done (排头的责任部门
        是？). One that also points back may give its own reasons first (我们县里想对接，省里主抓这件事的是哪个局？:
        stated_reasons)."""
        about = asked_about(text, reading.intent)
        words = self.content_words(about)
        node_text = self.ctx.plan.nodes[node_id].text
        comment = reading.comment_from if reading.comment_from is not None else len(text) + 1
        named = [name for name, _ in mentions(text, self.ctx.plan.departments())]
        asks_whose = asks_responsibility(text, reading, bool(named))
        asks_who = asks_whose and (reading.points_back or bool(named))
        # words that name something: not grammar, nor everyday words the dictionary knows (准备, 起来); within one
        # message, a later question counts every word (it names a topic of its own more often than a turn does)
        naming = [w for w in words
                  if in_message or not (grammar(self.ctx.tag(w)) or (self.ctx.known(w) and self.asks_only(w)))]
        asks_for = (len(naming) <= FOLLOW_UP_WORDS and WH_RE.search(text) is not None) or asks_who
        reasons = stated_reasons(text) if asks_whose and reading.points_back else 0
        return all(w in node_text or (reading.points_back and self.asks_only(w)) or text.find(w) >= comment
                   or grammar(self.ctx.tag(w))
                   or (asks_for and says_how(w, self.ctx.tag)) or any(w in name or name in w for name in named)
                   or (asks_who and not has_cjk(w) and not self.names_plan_term(w, text, node_text))
                   or 0 <= text.find(w) < reasons
                   or (asks_whose and has_cjk(w) and w not in self.ctx.plan.text
                       and not (names_topic(text, w, reading.points_back) and not says_how(w, self.ctx.tag)))
                   for w in words)

    def assigns_none(self, node_id: str) -> bool:
        """Whether an item lists no departments and neither does anything of its action or part (an overall goal,
        基础支撑更趋完善): who answers for it is the task that carries it out."""
        plan = self.ctx.plan
        return not plan.nodes[node_id].departments and not any(
            n.departments for n in plan.descendants(plan.group(node_id).id))

    def names_in_item(self, text: str, tokens: frozenset[str], node_id: str) -> bool:
        """Whether a follow-up names something in the item discussed by words of its own (two characters or more),
        other than the departments it names: those pick a sentence of the item; a follow-up without any refers to
        what the earlier turn quoted."""
        named = [name for name, _ in mentions(text, self.ctx.plan.departments())]
        wording = self.ctx.plan.nodes[node_id].wording
        return any(len(t) >= 2 and t in wording and not any(t in name for name in named) for t in tokens)

    def names_plan_term(self, word: str, text: str, node_text: str) -> bool:
        """Whether an English word of a question stands for a plan term outside the item discussed (through the
        glossary, or as written: P2P). Without one, in a question asking who is responsible for what it points
        back to (Which office is out in front on that?), the word is the asking idiom, which no dictionary tags in English."""
        terms = [t for phrase, found in english_terms(text) if word.lower() in phrase.split() for t in found]
        return any(t in self.ctx.plan.text and t not in node_text for t in [*terms, word])

    def asks_only(self, word: str) -> bool:
        """A word that says how a question asks rather than what about: a piece the segmenter made up (图个,
        成个), an everyday word (主要, 为了, 好处, whether or not the plan uses it), an English word the
        dictionary lacks or has the plan's words for."""
        if has_cjk(word):
            return not self.ctx.known(word) or GATES["zh"].everyday(word, self.ctx.frequency)
        return word not in self.ctx.plan.text and self.ctx.english(word) != ()

    def renderings(self, text: str, language: str) -> tuple[tuple[frozenset[str], ...], ...]:
        """For each English word the glossary lacks, the tokens of its renderings in the documents (none for a
        Chinese question)."""
        if language == "zh":
            return ()
        out = []
        for word in dict.fromkeys(w.lower() for w in unglossed_words(text)):
            rendered = tuple(t for t in (frozenset(self.ctx.tokenizer(r)) - ASKING_TOKENS
                                         for r in self.ctx.renderings(word)) if t)
            if rendered:
                out.append(rendered)
        return tuple(out)

    def tokens(self, text: str, language: str) -> frozenset[str]:
        """The question's content tokens; an English question's through the glossary's Chinese terms."""
        from ..glossary import to_chinese_terms

        words = text if language == "zh" else f"{text} {to_chinese_terms(text)}"
        return frozenset(self.ctx.tokenizer(words)) - ASKING_TOKENS
