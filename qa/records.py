"""Frozen records passed between the stages: plan nodes, chunks, hits, citations and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

NodeKind = Literal["document", "preamble", "part", "group", "section", "item", "closing"]


@dataclass(frozen=True, slots=True)
class Department:
    """One responsible department as listed after a task, in the document's order."""

    name: str  # canonical name at the document's level, e.g. 省发展改革委 or 发展改革委
    english: str  # English gloss for English questions
    # the document says this one leads: first listed under a 列第一位者为牵头部门 note, named with 牵头,
    # or named alone; False for every department where the document names no lead
    lead: bool
    joint: bool  # listed under 共同负责 (jointly responsible)


@dataclass(frozen=True, slots=True)
class Node:
    """A place in the plan tree: part › group › section › item, or the document header."""

    id: str  # stable, derived from the place in the tree, e.g. 山东…/P2.G1.S2.I3
    kind: NodeKind
    doc: str  # document key (file stem)
    title: str  # e.g. 推进农业生产精准化智能化
    label: str  # breadcrumb for citations: 二、重点行动 › （二）互联网+农业 › 行动任务 › 推进…
    text: str  # full text as published (punctuation normalised to full width)
    departments: tuple[Department, ...] = ()
    parent: str | None = None
    children: tuple[str, ...] = ()
    line: int = 0  # 1-based line in the source file

    @property
    def lead(self) -> Department | None:
        """The (first) lead department; None when the node lists none or the document names no lead."""
        return next((d for d in self.departments if d.lead), None)

    @property
    def wording(self) -> str:
        """Its heading and its text: every word the document uses for it (总体目标 is a heading only)."""
        return f"{self.title}\n{self.text}" if self.title and self.title not in self.text else self.text


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed policy document: metadata plus every node, in reading order."""

    key: str  # the file stem
    path: str
    title: str
    number: str  # 文号, e.g. 鲁政发〔2016〕14号
    issuer: str  # 发文机关
    date: str  # 成文日期, e.g. 2016年6月2日
    meta: dict[str, str] = field(default_factory=dict)  # 发布日期, 主题分类, 来源, 抄送, 印发 …
    nodes: tuple[Node, ...] = ()
    published: str = ""  # 发布日期 as printed, e.g. 2016-06-06 or 2018年12月29日
    subject: str = ""  # 主题分类 of a government web page, e.g. 农业、林业、水利\农业、畜牧业、渔业
    level: str = "provincial"  # departments.Level: which alias table normalised the names

    def node(self, node_id: str) -> Node:
        """The node with this id.

        Raises:
            KeyError: when no node has it.
        """
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)


@dataclass(frozen=True, slots=True)
class Chunk:
    """One unit of retrieval: an item, an action goal, or the document header (or a piece of one)."""

    id: str  # chunk id: node id, plus #n when an over-long item was split
    node_id: str
    label: str
    text: str  # the text shown and quoted
    embed_text: str  # breadcrumb + text, what the embedder and BM25 see

    def to_json(self) -> dict[str, str]:
        """A plain dict for chunks.jsonl."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved chunk with its score and the departments of its item."""

    id: str
    node_id: str
    label: str
    text: str
    score: float
    departments: tuple[Department, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The CLI/API JSON form: departments as names, the lead first."""
        return {
            "id": self.node_id,
            "label": self.label,
            "text": self.text,
            "score": round(float(self.score), 4),
            "departments": [d.name for d in self.departments],
        }


@dataclass(frozen=True, slots=True)
class Citation:
    """A numbered source in an answer; the item's text contains every quote attributed to it."""

    n: int
    id: str
    label: str
    text: str
    quotes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The JSON form used by `qa ask --json` and the app's API."""
        return {"n": self.n, "id": self.id, "label": self.label, "text": self.text}


@dataclass(frozen=True, slots=True)
class Answer:
    """What the assistant says, with everything needed to check it."""

    question: str
    answer: str
    intent: str
    citations: tuple[Citation, ...] = ()
    lead_department: str | None = None
    departments: tuple[str, ...] = ()
    abstained: bool = False  # the plan does not answer it; any citations are the closest it comes
    language: str = "zh"
    topic: str | None = None  # node id the answer is about, for follow-ups
    note: str | None = None  # e.g. why a language-model answer fell back to the composed one

    def to_json(self) -> dict[str, object]:
        """The JSON object `qa ask --json` prints."""
        out: dict[str, object] = {
            "question": self.question,
            "answer": self.answer,
            "intent": self.intent,
            "citations": [c.to_json() for c in self.citations],
            "lead_department": self.lead_department,
            "departments": list(self.departments),
            "abstained": self.abstained,
        }
        if self.note:
            out["note"] = self.note
        return out
