"""A question about a figure it quotes from the plan (文件里那个“67”是衡量啥的？ What does the figure 1,300 refer
to?): every sentence that states that figure, each quoted with its citation. Retrieval cannot find these: a
number carries no meaning for the embedder, and the question's other words only say that it asks."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..intent import WH_RE, YES_NO_RE, Intent
from ..quotes import citation_lines, cite, quote_line
from ..records import Answer, Hit
from .base import Context
from .evidence import asked_kind
from .scope import YEAR_RE
from .wording import LIST_SEPARATOR, say

# A number as a question writes it (1,300 / 65 / 2.5), with the unit that makes it a figure of the plan's.
# Digits inside a name (P2P, O2O, 4G, 3D) are no figure: no letter or digit may touch the number.
# (quotes.FIGURE_RE tells whether a sentence holds any figure; this one reads which figure a question names.)
ASKED_FIGURE_RE = re.compile(r"(?<![A-Za-z\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%|％|per\s?cent\b|M(?![A-Za-z])|个|家|项|所|座|万|亿|倍)?"
                       r"(?![A-Za-z\d])", re.I)
# A number without a unit is a figure asked about only when the question quotes it or calls it one (有个数“67”,
# the figure 1,300); otherwise it is the asker's own (我去办5件, 4G).
POINTED_AT_RE = re.compile(r"(?:[“\"「『‘']|\b(?:figure|number)\s+)$", re.I)
QUOTES_AT_MOST = 3  # sentences quoted: a figure the plan states more often is no figure the question can point at
ASKED = (Intent.GENERAL, Intent.TARGET)  # who leads the task with 160 centres is a department question
ASKS_WHAT_RE = re.compile(r"\b(what|which)\b", re.I)  # anywhere in English: In the goals, what does 1,300 …
TIMES = {1: "once", 2: "twice"}


def _normal(number: str, unit: str | None) -> str:
    unit = (unit or "").replace("％", "%")
    return number.replace(",", "") + ("%" if unit.lower().replace(" ", "") == "percent" else unit)


def _occurrences(figure: str, text: str) -> list[str]:
    """Where a text states the figure itself, not a longer number containing it (65% is no 165%)."""
    tail = r"(?![\d.])" if figure[-1].isdigit() else ""
    return re.findall(rf"(?<![\d.]){re.escape(figure)}{tail}", text)


def _states(figure: str, text: str) -> bool:
    return bool(_occurrences(figure, text))


def asked_figures(text: str, intent: Intent, plan_text: str) -> list[str]:
    """The figures a question asks about (quoting them and asking what they are, not whether or when) that the
    plan states; a year without a unit is a date, not a figure."""
    if intent not in ASKED or not (WH_RE.search(text) or ASKS_WHAT_RE.search(text)) or YES_NO_RE.search(text):
        return []
    found = [m for m in ASKED_FIGURE_RE.finditer(text) if m.group(2) or POINTED_AT_RE.search(text, 0, m.start())]
    if not found or asked_kind(ASKED_FIGURE_RE.sub(" ", text)) != "none":
        return []  # 17个市都实现共同配送，哪一年完成？ asks a date of what the figure counts
    figures = [_normal(m.group(1), m.group(2)) for m in found]
    return [f for f in dict.fromkeys(figures) if not YEAR_RE.fullmatch(f) and _states(f, plan_text)]


def answer(ctx: Context, text: str, language: str, intent: Intent, figures: Sequence[str], hits: Sequence[Hit],
           doc: str | None = None) -> Answer | None:
    """Every sentence stating one of the figures, its items ordered by how well they match the question; None
    when the plan states them more than QUOTES_AT_MOST times (then the figure picks out nothing)."""
    plan = ctx.plan
    times_in = {s: n for s in plan.sentences if doc is None or plan.nodes[s.node_id].doc == doc
                if (n := sum(len(_occurrences(f, s.text)) for f in figures))}
    stating = list(times_in)
    if not stating or len(stating) > QUOTES_AT_MOST:
        return None
    rank = {h.node_id: i for i, h in reversed(list(enumerate(hits)))}
    node_ids = sorted(dict.fromkeys(s.node_id for s in stating), key=lambda n: rank.get(n, len(rank)))
    citations = [cite(plan.nodes[n], i, [s.text for s in stating if s.node_id == n])
                 for i, n in enumerate(node_ids, start=1)]
    count = sum(times_in[s] for s in stating)
    times = count if language == "zh" else TIMES.get(count, f"{count} times")
    named = LIST_SEPARATOR[language].join(f"“{f}”" for f in figures)
    lines = [say("figure_stated", language, figure=named, count=times)]
    lines += [quote_line(c.quotes, c.n, language) for c in citations] + [citation_lines(citations)]
    first = plan.nodes[node_ids[0]]
    return Answer(question=text, answer="\n".join(lines), intent=intent.value, citations=tuple(citations),
                  lead_department=first.lead.name if first.lead else None,
                  departments=tuple(d.name for d in first.departments), language=language, topic=first.id)
