"""What every answer handler receives (the plan, the retriever, the question as read) and the two
shapes every answer takes: a quoted statement with its citation, or an honest decline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ..config import Settings
from ..intent import Intent
from ..plan import Plan
from ..quotes import citation_lines, cite, quote_line
from ..records import Answer, Hit, Node
from ..retrieve import Searcher
from .evidence import FactKind
from .wording import LIST_SEPARATOR, say


@dataclass(frozen=True, slots=True)
class Context:
    """The parts an answer is made from; handlers read these and never call back up into the facade."""

    plan: Plan
    searcher: Searcher
    tokenizer: Callable[[str], list[str]]
    words: Callable[[str], list[str]]  # precise-mode words, to find what a question names
    settings: Settings
    sentence_vectors: np.ndarray | None
    common: Callable[[str], bool]  # a plan term too frequent to show a topic
    # an English word → its translations used in the documents, () for none, None for a word the dictionary
    # lacks (qa.dictionary); without a table every word is unknown
    english: Callable[[str], tuple[str, ...] | None] = field(default=lambda word: None)
    # an English word → its renderings used in the documents, translations whose whole gloss is the word (qa.dictionary)
    renderings: Callable[[str], tuple[str, ...]] = field(default=lambda word: ())
    known: Callable[[str], bool] = field(default=lambda word: False)  # a word of the segmenter's dictionary
    frequency: Callable[[str], int] = field(default=lambda word: 0)  # its count there (0: absent or unknown)
    tag: Callable[[str], str | None] = field(default=lambda word: None)  # its part of speech there (n, v, d …)
    # words for an amount of money (工资, 电价) the documents never use, nor any synonym (qa.dictionary)
    money_words: tuple[str, ...] = ()  # longest first


@dataclass(frozen=True, slots=True)
class Query:
    """A question as read: language, intent, what it refers to, and what retrieval found for it."""

    text: str
    language: str
    intent: Intent
    kind: FactKind
    tokens: frozenset[str]  # content tokens, for lexical overlap
    # per English word the glossary lacks, the tokens of each of its renderings (evidence.shared_length)
    renderings: tuple[tuple[frozenset[str], ...], ...] = ()
    departments: tuple[str, ...] = ()
    topic: str | None = None  # the node an earlier turn resolved to, for a follow-up without its own topic
    # the sentences of the topic an earlier turn quoted, for a who-follow-up naming nothing of the item
    context: tuple[str, ...] = ()
    hits: tuple[Hit, ...] = ()
    vector: np.ndarray | None = field(default=None, compare=False)


def hit_for(node: Node) -> Hit:
    """A node as a retrieval hit (for a follow-up that refers to it)."""
    return Hit(id=node.id, node_id=node.id, label=node.label, text=node.text, score=1.0, departments=node.departments)


def quoted(q: Query, node: Node, quotes: Sequence[str], head: str, tail: str | None = None,
           intent: Intent | None = None) -> Answer:
    """An answer of one direct line, the quoted sentences of one item, and its citation."""
    citations = [cite(node, 1, quotes)]
    lines = [head, quote_line(quotes, 1, q.language)] + ([tail] if tail else []) + [citation_lines(citations)]
    return Answer(question=q.text, answer="\n".join(lines), intent=(intent or q.intent).value,
                  citations=tuple(citations), lead_department=node.lead.name if node.lead else None,
                  departments=tuple(d.name for d in node.departments), language=q.language, topic=node.id)


def closest(q: Query, node: Node, quotes: Sequence[str], head: str) -> Answer:
    """A decline that quotes the closest the plan comes (a figure or a firm it does not give): no department is put
    forward as the answer, and the item stays the topic a follow-up may ask about ("那由谁牵头？")."""
    return replace(quoted(q, node, quotes, head), abstained=True, lead_department=None, departments=())


def decline(ctx: Context, text: str, language: str, missing: Sequence[str], hits: Sequence[Hit],
            wording: str = "decline") -> Answer:
    """"The plan does not mention …" (or another catalogue entry taking {what}), naming what is missing, with the
    nearest items."""
    shown = [f"“{m}”" for m in dict.fromkeys(missing) if m]
    head = say(wording, language, what=LIST_SEPARATOR[language].join(shown)) if shown else say("decline_plain", language)
    citations = [cite(ctx.plan.nodes[h.node_id], i) for i, h in enumerate(hits[:3], start=1)]
    lines = [head]
    if citations:
        lines.append(say("nearest", language) + LIST_SEPARATOR[language].join(c.label.split(" › ")[-1] for c in citations))
        lines += [f"[{c.n}] {c.label}" for c in citations]
    return Answer(question=text, answer="\n".join(lines), intent=Intent.OUT_OF_SCOPE.value, citations=tuple(citations),
                  abstained=True, language=language)
