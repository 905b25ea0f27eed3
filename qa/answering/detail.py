"""Fine facts inside a task: the sentence that holds what was asked (a firm, a city, a programme), with the
clause that states it on the first line."""

from __future__ import annotations

from ..quotes import departments_sentence
from ..records import Answer
from .base import Context, Query, closest, quoted
from .evidence import asks_particular, fact_clause, names_particular, rank_sentences
from .target import no_figure
from .wording import say

CANDIDATE_ITEMS = 3  # items whose sentences compete as evidence
SECOND_QUOTE_MARGIN = 2.0  # a second sentence of the same item scoring within this of the best is quoted too (dev: 1.0 lost a fact)


def answer(ctx: Context, q: Query) -> Answer:
    """The best evidence sentence among the top items, its fact clause first, then the quote and citation."""
    node_ids = [q.topic] if q.topic else [h.node_id for h in q.hits[:CANDIDATE_ITEMS]]
    ranked = rank_sentences(ctx.plan, ctx.sentence_vectors, q.vector, node_ids, set(q.tokens), q.kind, ctx.tokenizer,
                             q.renderings)
    if not ranked:
        node = ctx.plan.nodes[node_ids[0]]
        return quoted(q, node, [], say("fact", q.language, fact=node.title))
    best = ranked[0]
    node = ctx.plan.nodes[best.sentence.node_id]
    chosen = [best.sentence]
    for other in ranked[1:4]:
        if (other.sentence.node_id == node.id and other.score >= best.score - SECOND_QUOTE_MARGIN
                and q.kind == "none" and len(chosen) < 2):
            chosen.append(other.sentence)
    quotes = [s.text for s in chosen]  # the best evidence first
    if asks_particular(q.text, q.kind) and not names_particular(" ".join(quotes), q.kind):
        # 山东e高速系统是哪家公司开发的？ The sentences that answer it name no firm (another sentence of the item may
        # name one for something else: 山东润峰 for energy storage, not the micro-grid): the plan does not say
        return closest(q, node, quotes, say(f"no_particular_{q.kind}", q.language))
    if q.kind == "time" and not best.kind:
        # When does the cold-chain centre in Shouguang open? The best evidence states no date: the plan sets none
        return no_figure(q, node, quotes, when=True)
    clause = fact_clause(best.sentence.text, set(q.tokens), q.kind, ctx.tokenizer, q.renderings)
    tail = departments_sentence(node.departments, q.language) if node.departments else None
    return quoted(q, node, quotes, say("fact", q.language, fact=clause), tail)
