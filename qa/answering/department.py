"""Who is responsible: the lead department (listed first), the co-responsible ones, and the sentence of the
task that matches the question."""

from __future__ import annotations

from collections import Counter

from ..quotes import citation_lines, cite, departments_quote, departments_sentence, dept_name, quote_line
from ..records import Answer, Node
from .base import Context, Query, decline, hit_for
from .evidence import rank_sentences
from .wording import LIST_SEPARATOR, say

SEE_ALSO_RATIO = 0.9  # a second task scoring this close to the first, with another lead, is named too


def evidence_quotes(ctx: Context, q: Query, node: Node, limit: int = 1) -> list[str]:
    """The sentences of one item that best match the question, in reading order; for a who-follow-up naming nothing
    of the item ("那由谁牵头？" "省公安厅参与吗？"), the sentences the earlier turn quoted from it (Query.context)."""
    if node.id == q.topic and (referred := [s for s in q.context if s in node.text][:limit]):
        return referred
    ranked = rank_sentences(ctx.plan, ctx.sentence_vectors, q.vector, [node.id], set(q.tokens), q.kind, ctx.tokenizer,
                             q.renderings)
    chosen = [s.sentence for s in ranked[:limit]]
    return [s.text for s in sorted(chosen, key=lambda s: s.position)]


def answer(ctx: Context, q: Query) -> Answer:
    """The departments of the best-matching task, or the leads of an action's tasks for a goal."""
    with_departments = [h for h in q.hits[:3] if h.departments]
    if q.topic is not None and not ctx.plan.nodes[q.topic].departments:
        with_departments = []
    if not with_departments:
        return group_leads(ctx, q, ctx.plan.nodes[q.hits[0].node_id])
    node = ctx.plan.nodes[with_departments[0].node_id]
    quotes = evidence_quotes(ctx, q, node)
    citations = [cite(node, 1, quotes)]
    lines = [departments_sentence(node.departments, q.language), quote_line(quotes, 1, q.language)]
    for hit in with_departments[1:2]:
        other = ctx.plan.nodes[hit.node_id]
        if (hit.score >= SEE_ALSO_RATIO * with_departments[0].score and other.lead and node.lead
                and other.lead.name != node.lead.name):
            citations.append(cite(other, 2, [departments_quote(other) or ""]))
            lines.append(say("see_also", q.language, title=other.title, lead=dept_name(other.lead.name, q.language), n=2))
    lines.append(citation_lines(citations))
    return Answer(question=q.text, answer="\n".join(lines), intent=q.intent.value, citations=tuple(citations),
                  lead_department=node.lead.name if node.lead else None,
                  departments=tuple(d.name for d in node.departments), language=q.language, topic=node.id)


def group_leads(ctx: Context, q: Query, node: Node) -> Answer:
    """Departments for a node that lists none itself (an action goal): the leads of its action's tasks."""
    group = ctx.plan.group(node.id)
    tasks = [n for n in ctx.plan.descendants(group.id) if n.departments]
    if not tasks:
        return decline(ctx, q.text, q.language, [], [hit_for(node)])
    leads = Counter(t.lead.name for t in tasks if t.lead)
    citations = [cite(t, i, [departments_quote(t) or ""]) for i, t in enumerate(tasks, start=1)]
    main = leads.most_common(1)[0][0] if leads else None
    counted = LIST_SEPARATOR[q.language].join(
        say("lead_count", q.language, name=dept_name(n, q.language), count=c) for n, c in leads.most_common())
    lines = [say("group_leads", q.language, group=group.label.split(" › ")[-1], count=len(tasks), leads=counted)]
    lines += [say("task_lead", q.language, n=c.n, title=t.title, lead=t.lead.name if t.lead else "—")
              for c, t in zip(citations, tasks, strict=True)]
    lines.append(citation_lines(citations))
    departments = tuple(dict.fromkeys(d.name for t in tasks for d in t.departments))
    return Answer(question=q.text, answer="\n".join(lines), intent=q.intent.value, citations=tuple(citations),
                  lead_department=main, departments=departments, language=q.language, topic=node.id)
