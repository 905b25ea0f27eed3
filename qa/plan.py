"""The plan tree as one object the answer layer reads: nodes, ancestors, groups, tasks and departments."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import cached_property

from .departments import normalize
from .records import Document, Node
from .sentences import Sentence


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
        goals = [self.nodes[c] for c in group.children if "目标" in self.nodes[c].title and self.nodes[c].text]
        return goals[0] if goals else None

    def sentences_of(self, node_id: str) -> list[tuple[int, Sentence]]:
        """(row, sentence) pairs of one node, row being the sentence's place in the sentence matrix."""
        return [(i, self.sentences[i]) for i in self._by_node.get(node_id, ())]

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
        """Every node's text, joined: to check that a word or year occurs anywhere in the documents."""
        return "\n".join(n.text for n in self.nodes.values())
