"""政策问答: cited question answering over a policy plan — the small public API the CLI, app and eval use."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from .config import RETRIEVERS, Settings
from .index import Index, Progress, build
from .index import load as load_index
from .ingest import IngestError, read_document
from .records import Answer, Citation, Department, Document, Hit, Node
from .retrieve import QuestionError, Searcher
from .structure import PlanError

__all__ = [
    "Answer", "Assistant", "Citation", "Department", "Document", "Hit", "IngestError", "Node",
    "PlanError", "QuestionError", "RETRIEVERS", "Settings", "build", "load", "read_document",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


class Assistant:
    """The plan, its index and the ways to ask it: search, ask, outline and department lookups."""

    def __init__(self, settings: Settings | None = None, progress: Progress | None = None) -> None:
        """Load (or build, when missing or stale) the index for the settings.

        Raises:
            PlanError: a corpus file cannot be parsed. FileNotFoundError: no corpus.
        """
        self.settings = settings or Settings()
        self.index: Index = load_index(self.settings, progress=progress)
        self.searcher = Searcher(self.index, self.settings)
        self.docs: tuple[Document, ...] = self.index.docs
        self.nodes: dict[str, Node] = self.searcher.nodes
        self._lock = threading.Lock()
        self.index.tokenizer("预热")  # load jieba's dictionary now, not on the first question

    def search(self, question: str, k: int | None = None, retriever: str | None = None) -> list[Hit]:
        """The top-k plan items for a question.

        Args:
            question: Chinese or English text.
            k: how many hits (default settings.k).
            retriever: "hybrid" (default), "dense" or "bm25".
        Raises:
            QuestionError: an empty or over-long question. ValueError: an unknown retriever.
        """
        return self.searcher.search(question, k=k, retriever=retriever)

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        """A cited answer composed from the plan (or from a language model when one is configured).

        Args:
            question: Chinese or English text.
            history: earlier questions of the same conversation, oldest first.
        Raises:
            QuestionError: an empty or over-long question.
        """
        from .answer import answer_question

        return answer_question(self, question, history)

    def node(self, node_id: str) -> Node:
        """The plan node with this id.

        Raises:
            KeyError: no such node.
        """
        return self.nodes[node_id]

    def children(self, node_id: str | None) -> list[Node]:
        """The nodes under a node, or the top-level parts of every plan when node_id is None."""
        if node_id is None:
            return [n for n in self.nodes.values() if n.kind == "part"]
        return [self.nodes[c] for c in self.nodes[node_id].children]

    def tasks(self) -> list[Node]:
        """Every node that lists responsible departments (tasks and measures), in reading order."""
        return [n for n in self.nodes.values() if n.departments]

    def departments(self) -> list[str]:
        """Every department named in the plans, ordered by how many tasks name it."""
        counts: dict[str, int] = {}
        for node in self.tasks():
            for d in node.departments:
                counts[d.name] = counts.get(d.name, 0) + 1
        return sorted(counts, key=lambda name: (-counts[name], name))

    def department_tasks(self, name: str) -> tuple[list[Node], list[Node]]:
        """The tasks a department leads and the tasks it shares, complete and in reading order.

        A task counts as led only where its document marks the lead; where a document names no
        lead, every listed department shares the task.

        Args:
            name: a canonical name or an alias (省发改委 works).
        """
        from .departments import normalize

        canonical = normalize(name)
        leads, shares = [], []
        for node in self.tasks():
            for d in node.departments:
                if d.name == canonical:
                    (leads if d.lead else shares).append(node)
                    break
        return leads, shares


def load(settings: Settings | None = None, progress: Progress | None = None) -> Assistant:
    """Load the assistant (building the index on first use)."""
    return Assistant(settings, progress=progress)
