"""The plan tree as one object the answer layer reads: nodes, ancestors, groups, tasks and departments."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import cached_property

from .departments import normalize
from .records import Document, Node
from .sentences import Sentence

# 国务院办公厅关于…的指导意见 / 山东省人民政府关于印发…的通知: the issuer and the genre around a title's core
TITLE_CORE_RE = re.compile(r"^.*?关于(印发)?|^山东省|的(指导意见|意见|通知|实施意见|行动计划)$|[《》“”\"]|（\d{4}[-—–－]\d{4}年）")
DOCUMENT_WORD_RE = re.compile(r"文件|那份|这份|通知|意见|计划|规划|方案|document|opinion|guideline", re.I)
NAMED_TITLE_CHARS = 4  # a shorter shared phrase (发展, 产业) names no document
GOAL_WORD = "目标"  # a section titled 行动目标 holds an action's goals, not its measures
# what may stand between an action's name and 目标 when a question names its goals (物流目标, 民生板块的目标,
# 能源那块目标, 互联网+制造的目标)
GOAL_AFTER_NAME = r"(?:行动|板块|领域|方面|这块|那块|这部分|那部分|部分)?的?(?:那条|这条)?(?:行动)?" + GOAL_WORD


def _fold_number(text: str) -> str:
    """A document number with its brackets and blanks folded: 国办发[2018]121号 and 国办发〔2018〕121号 match."""
    return re.sub(r"[\s〔〕\[\]［］（）()【】]", "", text)


class Plan:
    """Read-only views of the parsed documents, with their evidence sentences."""

    def __init__(self, docs: Iterable[Document], sentences: Sequence[Sentence] = ()) -> None:
        self.docs: tuple[Document, ...] = tuple(docs)
        self.nodes: dict[str, Node] = {n.id: n for d in self.docs for n in d.nodes}
        self.sentences: tuple[Sentence, ...] = tuple(sentences)
        self._by_node: dict[str, list[int]] = {}
        self._idf: dict[str, float] = {}
        for i, s in enumerate(self.sentences):
            self._by_node.setdefault(s.node_id, []).append(i)

    def node(self, node_id: str) -> Node:
        """The node with this id.

        Raises:
            KeyError: no such node.
        """
        return self.nodes[node_id]

    def ancestors(self, node_id: str) -> list[Node]:
        """The node's parents, nearest first."""
        out: list[Node] = []
        parent = self.nodes[node_id].parent
        while parent is not None:
            out.append(self.nodes[parent])
            parent = self.nodes[parent].parent
        return out

    def group(self, node_id: str) -> Node:
        """The action or measure group a node belongs to (the node itself for a group or part)."""
        node = self.nodes[node_id]
        if node.kind in ("group", "part", "document"):
            return node
        return next((a for a in self.ancestors(node_id) if a.kind in ("group", "part")), node)

    def descendants(self, node_id: str) -> list[Node]:
        """Every node under a node, in reading order."""
        out: list[Node] = []
        for child in self.nodes[node_id].children:
            out.append(self.nodes[child])
            out += self.descendants(child)
        return out

    def children(self, node_id: str | None) -> list[Node]:
        """The nodes under a node, or the top-level parts of every document when node_id is None."""
        if node_id is None:
            return [n for n in self.nodes.values() if n.kind == "part"]
        return [self.nodes[c] for c in self.nodes[node_id].children]

    @cached_property
    def _tasks(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes.values() if n.departments)

    def tasks(self) -> list[Node]:
        """Every node that lists responsible departments (tasks and measures), in reading order."""
        return list(self._tasks)

    @cached_property
    def _department_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for node in self._tasks:
            for d in node.departments:
                counts[d.name] = counts.get(d.name, 0) + 1
        return counts

    def departments(self) -> list[str]:
        """Every department named, ordered by how many tasks name it."""
        counts = self._department_counts
        return sorted(counts, key=lambda name: (-counts[name], name))

    def department_tasks(self, name: str) -> tuple[list[Node], list[Node]]:
        """The tasks a department leads and the tasks it shares, complete and in reading order.

        Args:
            name: a canonical name or an alias (省发改委 works).
        """
        canonical = normalize(name)
        leads, shares = [], []
        for node in self._tasks:
            for d in node.departments:
                if d.name == canonical:
                    (leads if d.lead else shares).append(node)
                    break
        return leads, shares

    def header(self, doc: str | None = None) -> Node | None:
        """The document header node (title, number, issuer, dates) of one document, or of the first."""
        return next((n for n in self.nodes.values() if n.kind == "document" and (doc is None or n.doc == doc)), None)

    def goal_of(self, node_id: str) -> Node | None:
        """The goal section (行动目标) of the action a node belongs to, if it has one."""
        group = self.group(node_id)
        goals = [self.nodes[c] for c in group.children if GOAL_WORD in self.nodes[c].title and self.nodes[c].text]
        return goals[0] if goals else None

    def sentences_of(self, node_id: str) -> list[tuple[int, Sentence]]:
        """(row, sentence) pairs of one node, row being the sentence's place in the sentence matrix."""
        return [(i, self.sentences[i]) for i in self._by_node.get(node_id, ())]

    def short_title(self, doc: str) -> str:
        """A document's title without its issuer and genre: 国务院办公厅关于加快发展体育竞赛表演产业的指导意见
        → 加快发展体育竞赛表演产业."""
        title = self._doc(doc).title
        core = TITLE_CORE_RE.sub("", title)
        return core or title

    def citation_prefix(self, doc: str) -> str:
        """How a citation names its document when the library holds more than one: 《short title》number."""
        d = self._doc(doc)
        return f"《{self.short_title(doc)}》{d.number}".strip()

    def named_document(self, text: str) -> str | None:
        """The document a question names by its number (国办发〔2018〕121号) or by a phrase of its title with a
        word for a document (体育竞赛那份文件), when the library holds several; None otherwise."""
        if len(self.docs) < 2:
            return None
        folded = _fold_number(text)
        for d in self.docs:
            if d.number and _fold_number(d.number) in folded:
                return d.key
        if not DOCUMENT_WORD_RE.search(text):
            return None
        best, best_len = None, NAMED_TITLE_CHARS - 1
        for d in self.docs:
            core = self.short_title(d.key)
            for size in range(len(core), best_len, -1):
                if any(core[i : i + size] in text for i in range(len(core) - size + 1)):
                    best, best_len = d.key, size
                    break
        return best

    @cached_property
    def _goal_names(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        """(a pattern for an action's goals named by a phrase of its title, its goal section) for each action with
        a section titled …目标: the phrase is one no other action of its document has in its title (物流 of
        互联网+物流, not 互联网), two characters or more."""
        out = []
        for doc in self.docs:
            # each action's goal section, found once
            goals = {n: goal for n in doc.nodes if n.kind == "group"
                     if (goal := next((c for c in n.children if GOAL_WORD in self.nodes[c].title), None))}
            for group, goal in goals.items():
                others = [g.title for g in goals if g.id != group.id]
                phrases = {group.title[i:j] for i in range(len(group.title)) for j in range(i + 2, len(group.title) + 1)}
                own = sorted((p for p in phrases if re.fullmatch(r"[\u4e00-\u9fff+]+", p)
                              and not any(p in t for t in others)), key=len, reverse=True)
                if own:
                    names = "|".join(re.escape(p) for p in own)
                    out.append((re.compile(f"(?:{names}){GOAL_AFTER_NAME}"), goal))
        return tuple(out)

    def named_goal(self, text: str, doc: str | None = None) -> str | None:
        """The goal section of the one action whose goals a question names by a phrase of its title (物流目标里对
        城乡共同配送的覆盖面是怎么定的？ → 互联网+物流 › 行动目标); None when it names none, or several
        (农业目标…和商务目标…: each part of such a message names its own)."""
        found = {goal for pattern, goal in self._goal_names if pattern.search(text)
                 and (doc is None or self.nodes[goal].doc == doc)}
        return found.pop() if len(found) == 1 else None

    def _doc(self, key: str) -> Document:
        return next(d for d in self.docs if d.key == key)

    def idf(self, term: str) -> float:
        """How rare a term is among the evidence sentences: log((n + 1) / (sentences holding it + 1)) + 1."""
        known = self._idf.get(term)
        if known is None:
            held = sum(term in s.text for s in self.sentences)
            known = math.log((len(self.sentences) + 1) / (held + 1)) + 1.0
            self._idf[term] = known
        return known

    @cached_property
    def text(self) -> str:
        """Every node's heading and text, joined: to check that a word or year occurs anywhere in the documents."""
        return "\n".join(n.wording for n in self.nodes.values())
