"""Plan items → sentences that keep their item's id: the unit of evidence quoted in answers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from .records import Document, Node
from .structure import strip_departments

# A sentence ends at 。；！？ (the plan separates the clauses of a task with ；).
SENTENCE_RE = re.compile(r"[^。；！？\n]+[。；！？]?")
# Node kinds whose sentences are evidence; the document header is answered from its fields.
SENTENCE_KINDS = ("preamble", "part", "group", "section", "item")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a plan item, verbatim, with the item it belongs to."""

    id: str  # node id + "~" + position in the node, e.g. 山东…/P2.G1.S2.I3~2
    node_id: str
    text: str  # a verbatim span of the node's text
    position: int  # 0 for the opening sentence (a task's title)

    def to_json(self) -> dict[str, object]:
        """A plain dict for sentences.jsonl."""
        return asdict(self)


def node_sentences(node: Node) -> list[str]:
    """The node's sentences, departments parenthesis removed, each a verbatim span of node.text."""
    return [s.strip() for s in SENTENCE_RE.findall(strip_departments(node.text)) if s.strip("。；！？ ")]


def split_documents(docs: Iterable[Document]) -> list[Sentence]:
    """Every evidence sentence of the documents, in reading order."""
    out: list[Sentence] = []
    for doc in docs:
        for node in doc.nodes:
            if node.kind in SENTENCE_KINDS and node.text:
                out += [Sentence(id=f"{node.id}~{i}", node_id=node.id, text=s, position=i)
                        for i, s in enumerate(node_sentences(node))]
    return out
