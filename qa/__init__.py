"""政策问答: cited question answering over a policy plan — the small public API the CLI, app and eval use."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .config import RETRIEVERS, Settings
from .records import Answer, Citation, Department, Document, Hit, Node
from .structure import PlanError

if TYPE_CHECKING:
    from .embed import Embedder
    from .index import Index, Progress, build
    from .retrieve import QuestionError

# Imported on first use: faiss and the tokenizer take a few tenths of a second, and `qa ask` starts the
# embedding engine before loading them so the two overlap.
_LAZY = {"build": ".index", "QuestionError": ".retrieve", "IngestError": ".ingest", "read_document": ".ingest"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Answer", "Assistant", "Citation", "Department", "Document", "Hit", "IngestError", "Node",
    "PlanError", "QuestionError", "RETRIEVERS", "Settings", "build", "load", "read_document",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())

# A plan term found in more than this share of items and goals shows no topic (calibrated on the dev split).
COMMON_SHARE = 0.2


class Assistant:
    """The plan, its index and the ways to ask it: search, ask, outline and department lookups."""

    def __init__(self, settings: Settings | None = None, progress: Progress | None = None,
                 embedder: Embedder | None = None) -> None:
        """Load (or build, when missing or stale) the index for the settings.

        Args:
            settings: paths, embedder and retrieval constants (default Settings()).
            progress: called as progress(done, total, stage) if the index must be built.
            embedder: an embedder instance instead of settings.embedder's (tests pass a small fake).
        Raises:
            PlanError: a corpus file cannot be parsed. FileNotFoundError: no corpus.
        """
        from .index import load as load_index
        from .retrieve import Searcher

        self.settings = settings or Settings()
        from .answering import Context, Responder
        from .plan import Plan

        self._common_terms: dict[str, bool] = {}
        self._common_lock = threading.Lock()
        self.index: Index = load_index(self.settings, progress=progress, embedder=embedder)
        from .dictionary import FILE_NAME as ENGLISH_FILE
        from .dictionary import MONEY_FILE, EnglishWords, read_money

        english = EnglishWords(self.index.built_file(ENGLISH_FILE))
        self.searcher = Searcher(self.index, self.settings, english.translations)
        self.plan = Plan(self.index.docs, self.index.sentences)
        self.docs: tuple[Document, ...] = self.plan.docs
        self.nodes: dict[str, Node] = self.plan.nodes
        self.index.tokenizer("预热")  # load the segmenter's dictionary now, not on the first question
        self.responder = Responder(Context(
            plan=self.plan, searcher=self.searcher, tokenizer=self.index.tokenizer, words=self.index.tokenizer.words,
            settings=self.settings, sentence_vectors=self.index.sentence_vectors, common=self._common,
            english=english.translations, renderings=english.renderings, known=self.index.tokenizer.known,
            frequency=self.index.tokenizer.frequency, tag=self.index.tokenizer.tag,
            money_words=read_money(self.index.built_file(MONEY_FILE))))

    def _common(self, term: str) -> bool:
        """A term that occurs in so many items that it shows no topic (计划, 平台, 建设 …)."""
        with self._common_lock:
            known = self._common_terms.get(term)
        if known is None:
            texts = [n.text for n in self.nodes.values() if n.kind in ("item", "section") and n.text]
            known = sum(term in t for t in texts) > COMMON_SHARE * len(texts)
            with self._common_lock:
                self._common_terms[term] = known
        return known

    def search(self, question: str, k: int | None = None, retriever: str | None = None,
               doc: str | None = None) -> list[Hit]:
        """The top-k plan items for a question.

        Args:
            question: Chinese or English text.
            k: how many hits (default settings.k).
            retriever: "hybrid" (default), "dense" or "bm25".
            doc: a document id (see doc_ids()): search that document only; None searches the library.
        Raises:
            QuestionError: an empty or over-long question. ValueError: an unknown retriever or document.
        """
        return self.searcher.search(question, k=k, retriever=retriever, doc=doc)

    def doc_ids(self) -> list[str]:
        """The ids (file stems) of the library's documents, in corpus order."""
        return [d.key for d in self.docs]

    def check_doc(self, doc: str | None) -> str | None:
        """The document id unchanged when the library holds it (or None).

        Raises:
            ValueError: an unknown id, listing the library's ids.
        """
        if doc is not None and doc not in self.doc_ids():
            raise ValueError(f"unknown document {doc!r}; the library holds: {', '.join(self.doc_ids())}")
        return doc

    def ask(self, question: str, history: Sequence[str] = (), doc: str | None = None) -> Answer:
        """A cited answer composed from the plan (or from a language model when one is configured).

        Args:
            question: Chinese or English text.
            history: earlier questions of the same conversation, oldest first.
            doc: a document id: answer from that document only; None answers from the whole library.
        Raises:
            QuestionError: an empty or over-long question. ValueError: an unknown document.
        """
        composed = self.responder.answer(question, history, doc=self.check_doc(doc))
        composed = replace(composed, question=question)  # as asked, not as cleaned
        from .llm import llm_settings

        if composed.abstained or llm_settings() is None:
            return composed
        from .llm import generate

        return generate(lambda text, k: self.search(text, k=k, doc=doc), composed, list(history))

    def node(self, node_id: str) -> Node:
        """The plan node with this id.

        Raises:
            KeyError: no such node.
        """
        return self.nodes[node_id]

    def children(self, node_id: str | None) -> list[Node]:
        """The nodes under a node, or the top-level parts of every plan when node_id is None."""
        return self.plan.children(node_id)

    def tasks(self) -> list[Node]:
        """Every node that lists responsible departments (tasks and measures), in reading order."""
        return self.plan.tasks()

    def departments(self) -> list[str]:
        """Every department named in the plans, ordered by how many tasks name it."""
        return self.plan.departments()

    def department_tasks(self, name: str) -> tuple[list[Node], list[Node]]:
        """The tasks a department leads and the tasks it shares, complete and in reading order.

        A task counts as led only where its document marks the lead; where a document names no
        lead, every listed department shares the task.

        Args:
            name: a canonical name or an alias (省发改委 works).
        """
        return self.plan.department_tasks(name)


def load(settings: Settings | None = None, progress: Progress | None = None,
         embedder: Embedder | None = None) -> Assistant:
    """Load the assistant (building the index on first use)."""
    return Assistant(settings, progress=progress, embedder=embedder)
