"""The one Chinese tokenizer for building and asking: jieba (rjieba) with the plan's own terms, noise removed."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import rjieba

# Function words and question words that carry no topic; they would only add noise to BM25.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 在 是 为 对 把 被 将 从 向 以 于 之 其 这 那 个 些 有 要 会 能 可以 我 你 他 我们 你们 "
    "吗 呢 吧 啊 呀 么 什么 怎么 怎样 如何 哪个 哪些 哪 谁 几 多少 是否 请问 一下 一个 想 该 应该 找 问 "
    "部门 负责 由 管 归 到底 现在 还 也 都 就 又 the a an of to in on for and or is are was be what which "
    "who how does do did it its by with about".split()
)
_NOISE = re.compile(r"^[\W_]+$", re.UNICODE)


_CLAIM = threading.Lock()
_default_taken = False


def _new_segmenter() -> rjieba.Jieba:
    """A segmenter of its own for each Tokenizer, the first taking the one rjieba built at import.

    rjieba builds a default segmenter (its whole dictionary, 0.15 s, more on a busy machine) when it
    is imported; building a second for the first Tokenizer doubled that cost in every one-shot `qa ask`.
    Nothing else in the process uses rjieba's module-level functions, which share the default.
    """
    global _default_taken
    with _CLAIM:
        default = getattr(rjieba, "_DEFAULT_JIEBA", None)
        if not _default_taken and default is not None:
            _default_taken = True
            return default
    return rjieba.Jieba()


# Recorded in the index manifest: an index built with another tokenizer is rebuilt.
TOKENIZER_ID = "rjieba-search-1"


class Tokenizer:
    """jieba search-mode tokens, lowercased, with punctuation, blanks and stopwords dropped.

    rjieba is jieba's algorithm and dictionary in Rust: it starts in 0.15 s where jieba's Python
    dictionary load took 0.5-1.2 s on every start, and segments the same way.
    """

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._jieba: rjieba.Jieba | None = None
        self._terms = sorted({t for t in terms if t and len(t) >= 2})
        self._ready = False
        self._lock = threading.Lock()

    def _init(self) -> None:
        with self._lock:
            if self._ready:
                return
            segmenter = _new_segmenter()
            for term in self._terms:
                # a high frequency keeps department names and task titles whole
                segmenter.add_word(term, 20000, None)
            self._jieba = segmenter
            self._ready = True

    def words(self, text: str) -> list[str]:
        """jieba's precise-mode words, unfiltered (to find the terms a question names)."""
        if not self._ready:
            self._init()
        return [w for w in self._jieba.cut(text) if w.strip()]  # type: ignore[union-attr]

    def __call__(self, text: str) -> list[str]:
        """Tokens of a text."""
        if not self._ready:
            self._init()
        out = []
        for token in self._jieba.cut_for_search(text.lower()):  # type: ignore[union-attr]
            token = token.strip()
            if token and token not in STOPWORDS and not _NOISE.match(token):
                out.append(token)
        return out
