"""Dense, BM25 and hybrid (reciprocal-rank fusion) retrieval over a loaded index → hits."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable

import faiss
import numpy as np

from .config import Retriever, Settings, check_retriever
from .glossary import glossary_words, policy_terms, to_chinese_terms, words
from .index import Index
from .records import Hit, Node
from .structure import fold_lookalikes

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
QUERY_CACHE = 256  # question vectors kept (each 384 floats)
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
Translations = Callable[[str], tuple[str, ...] | None]
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


class QuestionError(ValueError):
    """A question that cannot be searched: empty, or too long; the message says what to do."""


def clean_question(question: str, max_chars: int) -> str:
    """The question with control characters removed and blanks folded.

    Raises:
        QuestionError: empty after cleaning, or longer than max_chars.
    """
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = fold_lookalikes(unicodedata.normalize("NFKC", _CONTROL.sub(" ", question)))
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QuestionError("the question is empty; type a question about the plan, e.g. 智能示范车间的目标是多少？")
    if len(text) > max_chars:
        raise QuestionError(
            f"the question is {len(text)} characters long; the limit is {max_chars}. Ask about one topic at a time."
        )
    return text


def shared_phrase(question: str, text: str, shortest: int, longest: int) -> int:
    """The length of the longest phrase of the question found verbatim in the text, capped at longest;
    0 when none reaches shortest. (The same answer as difflib's longest match under the cap, by substring
    tests in C, about ten times faster for a question against a plan item.)"""
    def found(size: int) -> bool:
        return any(question[i : i + size] in text for i in range(len(question) - size + 1))

    if len(question) < shortest or not found(shortest):
        return 0
    low, high = shortest, min(longest, len(question))
    while low < high:  # a phrase of size n found implies every shorter one is: binary search the largest
        middle = (low + high + 1) // 2
        if found(middle):
            low = middle
        else:
            high = middle - 1
    return low


def has_cjk(text: str) -> bool:
    """True when the text contains Chinese characters."""
    return bool(CJK.search(text))


def unglossed_words(question: str) -> list[str]:
    """The English words of a question, no stopword, that the glossary does not cover: a general dictionary
    may still know them."""
    covered = glossary_words(question)
    stop = words("stopwords_en.txt")
    return [w for w in ENGLISH_WORD.findall(question) if w.lower() not in stop and w.lower() not in covered]


def dictionary_terms(question: str, translations: Translations, most: int) -> str:
    """The documents' words for the English words of a question that the glossary lacks, from a general
    dictionary, for each word with at most `most` of them (a word with many is too loose to search by)."""
    found: list[str] = []
    for word in unglossed_words(question):
        terms = translations(word)
        if terms and len(terms) <= most:
            found += terms
    return " ".join(dict.fromkeys(found))


class Searcher:
    """Ranks the chunks of an index for a question."""

    def __init__(self, index: Index, settings: Settings, translations: Translations | None = None) -> None:
        """translations: an English word's translations that occur in the documents (qa.dictionary), for
        English BM25 queries; without it only the glossary translates."""
        self.index = index
        self.settings = settings
        self.translations = translations
        self.nodes: dict[str, Node] = {n.id: n for d in index.docs for n in d.nodes}
        self.vocab: dict[str, int] = index.bm25.vocab_dict
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        # each chunk's evidence sentences (the sentences of its item), rows of index.sentence_vectors
        by_node: dict[str, list[int]] = {}
        for row, sentence in enumerate(index.sentences):
            by_node.setdefault(sentence.node_id, []).append(row)
        self._chunk_sentences = [np.asarray(by_node.get(c.node_id, ()), dtype=np.int64) for c in index.chunks]

    def query_vector(self, question: str) -> np.ndarray:
        """The question's embedding, remembered for the last few questions (an answer needs it twice:
        for the items, then for their sentences)."""
        return self.query_vectors([question])[0]

    def query_vectors(self, questions: list[str]) -> np.ndarray:
        """Embeddings of several texts, the ones not remembered computed in one call of the engine."""
        with self._lock:
            known = {q: self._vectors[q] for q in questions if q in self._vectors}
        missing = list(dict.fromkeys(q for q in questions if q not in known))
        if missing:
            for q, vector in zip(missing, self.index.embedder.embed_queries(missing), strict=True):
                known[q] = vector
            with self._lock:
                self._vectors.update((q, known[q]) for q in missing)
                while len(self._vectors) > QUERY_CACHE:
                    self._vectors.pop(next(iter(self._vectors)))
        return np.stack([known[q] for q in questions])

    def rows(self, doc: str | None) -> tuple[int, int]:
        """The chunk rows [start, end) of one document, or of the whole library when doc is None.

        Raises:
            ValueError: an unknown document id, listing the ids the library holds.
        """
        if doc is None:
            return 0, len(self.index.chunks)
        if doc not in self.index.doc_rows:
            raise ValueError(f"unknown document {doc!r}; the library holds: {', '.join(self.index.doc_rows)}")
        return self.index.doc_rows[doc]

    def clear_cache(self) -> None:
        """Forget the remembered question vectors (a benchmark times each question from scratch)."""
        with self._lock:
            self._vectors.clear()

    def dense_scores(self, question: str, doc: str | None = None) -> np.ndarray:
        """Cosine of the question to every chunk (-1 for chunks not scored).

        Exact search scores every chunk; an approximate (HNSW) index scores its settings.ann_candidates
        nearest. Within one document the document's own vectors are scored exactly (a few hundred rows).
        """
        vector = self.query_vector(question)[None, :]
        dense = self.index.dense
        out = np.full(dense.ntotal, -1.0, dtype=np.float32)
        if doc is not None:
            start, end = self.rows(doc)
            if end > start:
                out[start:end] = dense.reconstruct_n(start, end - start) @ vector[0]
            return out
        depth = dense.ntotal if isinstance(dense, faiss.IndexFlat) else min(dense.ntotal, self.settings.ann_candidates)
        scores, ids = dense.search(vector, depth)
        found = ids[0] >= 0  # an approximate index may return fewer than asked, padded with -1
        out[ids[0][found]] = scores[0][found]
        return out

    def bm25_scores(self, question: str, doc: str | None = None) -> np.ndarray:
        """BM25 score of every chunk (zero when no question token is in the vocabulary).

        An English question is matched through its glossary translation, since the index is Chinese;
        a Chinese one also through the policy terms for its everyday words (网贷 → 网络借贷).
        """
        if not has_cjk(question):
            extra = (dictionary_terms(question, self.translations, self.settings.dictionary_translations)
                     if self.translations is not None and self.settings.dictionary_translations > 0 else "")
            question = f"{question} {to_chinese_terms(question)} {extra}"
        elif self.settings.everyday_terms:
            question = f"{question} {policy_terms(question)}"
        start, end = self.rows(doc)
        ids = [self.vocab[t] for t in self.index.tokenizer(question) if t in self.vocab]
        if not ids:
            return np.zeros(len(self.index.chunks), dtype=np.float32)
        scores = np.asarray(self.index.bm25.get_scores_from_ids(ids), dtype=np.float32)
        scores[:start] = 0.0
        scores[end:] = 0.0
        return scores

    def scores(self, question: str, retriever: Retriever, doc: str | None = None) -> np.ndarray:
        """One score per chunk under the chosen retriever (higher is better)."""
        if retriever == "dense":
            return self.dense_scores(question, doc)
        if retriever == "bm25":
            return self.bm25_scores(question, doc)
        return self.hybrid(question, doc)[0]

    def hybrid(self, question: str, doc: str | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Hybrid scores (fusion plus phrase boost), with the dense and BM25 scores they came from."""
        dense, bm25 = self.dense_scores(question, doc), self.bm25_scores(question, doc)
        fused = self.fuse(dense, bm25, has_cjk(question), self.query_vector(question))
        return self.phrase_boost(question, fused), dense, bm25

    def top(self, scores: np.ndarray) -> np.ndarray:
        """One ranking's candidates for the fusion: its best fusion_depth chunks with a positive score, best first."""
        order = np.argsort(-scores, kind="stable")[: self.settings.fusion_depth]
        return order[scores[order] > 0]

    def sentence_ranking(self, query: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """The candidates (chunk rows, ascending) ordered as `top` orders a ranking, by the cosine of the question
        to the best sentence of each one's item; those without sentences are left out. A question about one fact
        of a long task matches that sentence more closely than the task's text as a whole."""
        vectors = self.index.sentence_vectors
        chosen = np.array([i for i in candidates if len(self._chunk_sentences[i])], dtype=np.int64)
        if vectors is None or not len(chosen):
            return chosen
        rows = [self._chunk_sentences[i] for i in chosen]
        best = np.maximum.reduceat(vectors[np.concatenate(rows)] @ query, np.cumsum([0] + [len(r) for r in rows[:-1]]))
        order = np.argsort(-best, kind="stable")[: self.settings.fusion_depth]
        return chosen[order][best[order] > 0]

    def first_item(self, question: str, doc: str | None = None) -> tuple[float, int]:
        """How sure retrieval is of one item: the question's best cosine to an item, and how many of the rankings
        the fusion reads (dense, BM25, best sentence) put the same item first (1 when no two agree)."""
        dense, bm25 = self.dense_scores(question, doc), self.bm25_scores(question, doc)
        firsts = [int(np.argmax(dense))] + ([int(np.argmax(bm25))] if bm25.max() > 0 else [])
        if self.settings.sentence_weight > 0:
            by_sentence = self.sentence_ranking(self.query_vector(question), np.union1d(self.top(dense), self.top(bm25)))
            firsts += [int(by_sentence[0])] if len(by_sentence) else []
        items = [self.index.chunks[i].node_id for i in firsts]
        return float(dense.max()), max(items.count(item) for item in items)

    def fuse(self, dense: np.ndarray, bm25: np.ndarray, cjk: bool, query: np.ndarray | None = None) -> np.ndarray:
        """Weighted reciprocal-rank fusion of the rankings' top candidates: dense, BM25 and, given the question's
        vector, those candidates ordered by their best sentence (sentence_ranking)."""
        bm25_weight = 1.0 if cjk else self.settings.bm25_weight_non_cjk
        rankings = [(1.0, self.top(dense)), (bm25_weight, self.top(bm25))]
        if query is not None and self.settings.sentence_weight > 0:
            candidates = np.union1d(rankings[0][1], rankings[1][1])
            rankings.append((self.settings.sentence_weight, self.sentence_ranking(query, candidates)))
        fused = np.zeros_like(dense)
        for weight, order in rankings:
            for rank, i in enumerate(order, start=1):
                fused[i] += weight / (self.settings.rrf_k + rank)
        return fused

    def phrase_boost(self, question: str, fused: np.ndarray) -> np.ndarray:
        """Lift candidates that contain a long verbatim phrase of the question (officials quote the plan).

        Fusion ranks by topic; a question that repeats the plan's own words, such as 农产品质量安全追溯平台,
        should find the item that says exactly that first.
        """
        phrase = self.settings.phrase_min_chars
        if not has_cjk(question) or len(question) < phrase:
            return fused
        boosted = fused.copy()
        for i in np.argsort(-fused, kind="stable")[: self.settings.fusion_depth]:
            if fused[i] <= 0:
                break
            size = shared_phrase(question, self.index.chunks[int(i)].text, phrase, 3 * phrase)
            if size >= phrase:
                boosted[i] += self.settings.phrase_weight * size / phrase
        return boosted

    def search(self, question: str, k: int | None = None, retriever: str | None = None,
               doc: str | None = None) -> list[Hit]:
        """The top-k items for a question, one hit per item.

        Args:
            question: any text; cleaned first.
            k: how many hits (settings.k by default).
            retriever: hybrid, dense or bm25 (settings.retriever by default).
            doc: a document id (file stem): only that document's items are searched.
        Raises:
            QuestionError: empty or over-long question. ValueError: unknown retriever or document.
        """
        self.rows(doc)  # an unknown document is named before any work
        text = clean_question(question, self.settings.max_question_chars)
        mode = check_retriever(retriever or self.settings.retriever)
        k = max(1, int(k or self.settings.k))
        return self.rank(self.scores(text, mode, doc), k, doc)

    def rank(self, scores: np.ndarray, k: int, doc: str | None = None) -> list[Hit]:
        """Hits for the best-scoring chunks (of one document, when given), keeping the best piece of each item."""
        hits: list[Hit] = []
        seen: set[str] = set()
        start, end = self.rows(doc)
        for i in start + np.argsort(-scores[start:end], kind="stable"):
            chunk = self.index.chunks[int(i)]
            if chunk.node_id in seen:
                continue
            seen.add(chunk.node_id)
            node = self.nodes.get(chunk.node_id)
            hits.append(Hit(id=chunk.id, node_id=chunk.node_id, label=chunk.label, text=chunk.text,
                            score=float(scores[i]), departments=node.departments if node else ()))
            if len(hits) == k:
                break
        return hits
