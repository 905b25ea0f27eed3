"""Figures and dates: the sentence that holds the number (or the year) asked for, its clause on the first line."""

from __future__ import annotations

import re

from ..glossary import english_terms
from ..intent import COUNT_UNITS
from ..plan import GOAL_WORD, Node
from ..quotes import TIMEFRAME_RE, WHEN_RE
from ..records import Answer
from .base import Context, Query, closest, quoted
from .evidence import fact_clause, holds, rank_sentences
from .scope import ENGLISH_STOPWORDS
from .wording import CLAUSE_SEPARATOR, say

CANDIDATE_ITEMS = 3
GOAL_WORDS = re.compile(r"目标|指标|goal|target", re.I)
MAX_LISTED = 6  # figures listed for a bare "目标是多少？" about an action
GOAL_BONUS = 1.0  # dev: about the score gap between the best two sentences when they are equally apt
# A sentence without a figure that shares this much more of the question's words (idf-weighted, see
# evidence.shared_length) than the best sentence with one is what the question is about: the plan states that
# goal without a number (培育一批…龙头企业), and another goal's figure would answer a different question.
# Chosen on dev..test13 pooled, where 1.0 to 5.0 gave the same answers within two questions.
ABOUT_MARGIN = 2.0
# Words that ask how far a goal goes rather than for a figure: a goal in words (全覆盖) answers them.
QUALITATIVE_RE = re.compile(r"程度|(什么|啥)(水平|样)|怎样|到哪一步|(目标|指标)(是)?(什么|啥)|(什么|啥)(样的)?目标|how far|what level|"
                            r"what kind of|what state|what('s|\s+is|\s+are) (the|its|their) (\w+ )?(goals?|targets?|aims?)\b", re.I)
# A goal question with no word asking for a figure that asks what or which (达到啥效果？ 哪些方面要大幅提升？ what does
# the goal say about …) asks what the goal says: a goal in words answers it, and the plan giving no figure is no reason
# to decline it.
FIGURE_ASKED_RE = re.compile(r"多少|几|\bhow (many|much)\b|\bper ?cent|\b(rates?|shares?|proportions?)\b", re.I)
CONTENT_ASKED_RE = re.compile(r"啥|什么|哪些|哪几|哪方面|咋|怎么|\b(what|which)\b", re.I)


def asks_in_words(text: str) -> bool:
    """Whether a goal question may be answered by a goal stated in words rather than by a figure."""
    return bool(QUALITATIVE_RE.search(text)
                or (not FIGURE_ASKED_RE.search(text) and CONTENT_ASKED_RE.search(text)))

# A count asked in a unit of its own (几天, 多少台, 多少万名): only a figure in that unit answers it, or one counting the same
# thing in another measure word (几座城市: 6-8个城市). 个 counts anything, and 几年 asks when (WHEN_RE).
ASKED_UNIT_RE = re.compile(r"(?<![哪这那])(?:几|多少)(?:万|亿)?(?P<unit>家|项|天|分|次|名|位|人|户|所|座|条|台|张|辆|亩|场|小时|周|倍|期|批|公里)"
                           r"(?P<thing>[\u4e00-\u9fff]{2})?")
NUMERAL = r"[\d一二两三四五六七八九十百千万]"
# What an English count asks for: the words after "how many", up to the first word that only asks or joins
# (how many hectares of farmland → hectares; how many public WiFi hotspots will → public WiFi hotspots).
HOW_MANY_RE = re.compile(r"\bhow many\s+(?P<words>(?:[A-Za-z][\w-]*\s*)+)", re.I)


# Measure words for things that the plan as often counts with 个 (10个…电子交易平台 for 平台建几家？)
OBJECT_UNITS = "家项所座条"
COUNTED_RE = re.compile(rf"{NUMERAL}+(?:万|亿)?个(?P<noun>[^，。、；：,（）“”]+)")


def states_unit(text: str, unit: str, thing: str | None = None, question: str = "") -> bool:
    """Whether a sentence states a figure in the unit (10万个 for 个, 三类 for 类), or counts the thing in any measure
    word (6-8个城市 for 几座城市). A count of things asked with nothing after its measure word (这类电子交易平台打算建
    几家？) names the thing before it: a figure in 个 counting something whose name ends in two characters the
    question has (10个区域性大宗农产品电子交易平台: 平台) counts it."""
    if re.search(rf"{NUMERAL}(?:万|亿)?{unit}", text) is not None:
        return True
    if thing is not None:
        return re.search(rf"{NUMERAL}(?:万|亿)?[{COUNT_UNITS}]{thing}", text) is not None
    return unit in OBJECT_UNITS and any(len(found.group("noun")) >= 2 and found.group("noun")[-2:] in question
                                        for found in COUNTED_RE.finditer(text))


def candidates(ctx: Context, q: Query) -> list[str]:
    """Items to look in: a follow-up's topic and its action's goal, else the retrieved items."""
    if q.topic is None:
        return [h.node_id for h in q.hits[:CANDIDATE_ITEMS]]
    goal = ctx.plan.goal_of(q.topic)
    order = [q.topic, goal.id if goal else None]
    if GOAL_WORDS.search(q.text):
        order.reverse()
    return [n for n in dict.fromkeys(order) if n]


def counted_words(text: str) -> list[str]:
    """The words naming what an English question counts (HOW_MANY_RE), the counted thing last; [] for none."""
    found = HOW_MANY_RE.search(text)
    out: list[str] = []
    for word in found.group("words").split() if found else ():
        if word.lower() in ENGLISH_STOPWORDS:
            break
        out.append(word)
    return out


def counts_something_else(ctx: Context, text: str, clause: str) -> bool:
    """Whether a figure's clause counts something other than what an English question counts: it holds none of
    the documents' words for the counted thing (How many bridges will get sensors? answered by 100个…示范基地).
    A thing the documents have no word for (hectares, bridges) is counted by none of their figures; a word no
    dictionary has is not checked."""
    words = counted_words(text)
    if not words:
        return False
    thing, phrase = words[-1], " ".join(words).lower()
    translations = ctx.english(thing)
    terms = {*ctx.renderings(thing), *(translations or ())}
    terms |= {t for glossed, plan_terms in english_terms(text) if thing.lower() in glossed.split() or glossed in phrase
              for t in plan_terms}
    if translations is None and not terms:
        return False
    return not any(t in clause for t in terms)


def answer(ctx: Context, q: Query) -> Answer:
    """The best figure (or date) sentence among the candidates; all of an action's figures for a bare
    follow-up such as 目标是多少？."""
    when = bool(WHEN_RE.search(q.text))
    # 多少/几个 ask for a figure; 达到什么程度/什么目标 may be answered by a goal in words (全覆盖)
    figure = "share" if q.kind == "share" else "number"  # 占多少比例: a figure in per cent first, then any figure
    kind = "time" if when else "none" if asks_in_words(q.text) and q.kind not in ("number", "share") else figure
    node_ids = candidates(ctx, q)
    every = rank_sentences(ctx.plan, ctx.sentence_vectors, q.vector, node_ids, set(q.tokens), kind, ctx.tokenizer)
    ranked = [s for s in every if s.kind or kind == "none" or (kind == "share" and holds(s.sentence.text, "number"))]
    # targets are set in the goals (总体目标, 行动目标): between close candidates, a goal's sentence wins
    ranked.sort(key=lambda s: -(s.score + GOAL_BONUS * (GOAL_WORD in ctx.plan.nodes[s.sentence.node_id].label)))
    if not ranked:
        node = ctx.plan.nodes[node_ids[0]]
        closest = max((s for s in every if s.sentence.node_id == node.id), key=lambda s: s.topical, default=None)
        return no_figure(q, node, [closest.sentence.text] if closest else [], when)
    best = ranked[0]
    if kind in ("number", "share"):
        about = max(every, key=lambda s: s.topical)  # the sentence that matches the question best, figure or not
        if not holds(about.sentence.text, "number") and about.lexical >= best.lexical + ABOUT_MARGIN:
            # 要培育多少家示范应用龙头企业？ — the plan says 一批: that goal, said to have no figure
            return no_figure(q, ctx.plan.nodes[about.sentence.node_id], [about.sentence.text], when)
    asked_unit = ASKED_UNIT_RE.search(q.text) if kind == "number" and q.language == "zh" else None
    if asked_unit:
        unit, thing = asked_unit.group("unit"), asked_unit.group("thing")
        in_unit = [s for s in ranked if states_unit(s.sentence.text, unit, thing, q.text)]
        if not in_unit:
            # 公示期有几天？ — the plan states figures here, none in days: it gives none for this
            node = ctx.plan.nodes[ranked[0].sentence.node_id]
            return no_figure(q, node, [ranked[0].sentence.text], when, declined=True)
        best = in_unit[0]
    node = ctx.plan.nodes[best.sentence.node_id]
    if q.topic is not None and not q.tokens and GOAL_WORD in node.title:
        return all_figures(q, node, [s for s in ranked if s.sentence.node_id == node.id])
    clause = fact_clause(best.sentence.text, set(q.tokens), kind, ctx.tokenizer)
    if kind == "number" and q.language == "en" and counts_something_else(ctx, q.text, clause):
        return no_figure(q, node, [best.sentence.text], declined=True)
    timeframe = TIMEFRAME_RE.search(best.sentence.text)
    extra = timeframe.group(0) if timeframe and timeframe.group(0) not in clause else ""
    suffix = say("when_suffix", q.language, when=extra) if extra else ""
    head = say("when" if when else "target", q.language, clause=clause, when=suffix)
    return quoted(q, node, [best.sentence.text], head)


def no_figure(q: Query, node: Node, quotes: list[str], when: bool = False, declined: bool = False) -> Answer:
    """A figure (or, when asked, a date) the plan does not give. Targets are set in the goal sections: a goal
    stated in words (培育一批…) is the answer. A task that names the subject without a number sets no target for
    it, so the question is declined, with that statement quoted as the closest the plan comes (全省要建多少个
    充电桩？), and so is a figure asked in a unit the plan states none in (declined)."""
    what = "date" if when else "figure"
    if GOAL_WORD in node.label and not declined:
        return quoted(q, node, quotes, say(f"no_{what}", q.language))
    return closest(q, node, quotes, say(f"no_{what}_declined", q.language))


def all_figures(q: Query, node: object, ranked: list) -> Answer:
    """Every figure of a goal section, in reading order (a bare follow-up asks for all of them)."""
    chosen = sorted(ranked, key=lambda s: s.sentence.position)[:MAX_LISTED]
    quotes = [s.sentence.text for s in chosen]
    clauses = CLAUSE_SEPARATOR[q.language].join(s.strip("，。；") for s in quotes)
    return quoted(q, node, quotes, say("targets", q.language, clauses=clauses))  # type: ignore[arg-type]
