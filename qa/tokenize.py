"""The one Chinese tokenizer for building and asking: jieba with the plan's own terms, noise removed."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import jieba

# Function words and question words that carry no topic; they would only add noise to BM25.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 在 是 为 对 把 被 将 从 向 以 于 之 其 这 那 个 些 有 要 会 能 可以 我 你 他 我们 你们 "
    "吗 呢 吧 啊 呀 么 什么 怎么 怎样 如何 哪个 哪些 哪 谁 几 多少 是否 请问 一下 一个 想 该 应该 找 问 "
    "部门 负责 由 管 归 到底 现在 还 也 都 就 又 the a an of to in on for and or is are was be what which "
    "who how does do did it its by with about".split()
)
_NOISE = re.compile(r"^[\W_]+$", re.UNICODE)


class Tokenizer:
    """jieba search-mode tokens, lowercased, with punctuation, blanks and stopwords dropped."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._jieba = jieba.Tokenizer()
        self._terms = sorted({t for t in terms if t and len(t) >= 2})
        self._ready = False
        self._lock = threading.Lock()

    def _init(self) -> None:
        with self._lock:
            if self._ready:
                return
            self._jieba.initialize()
            for term in self._terms:
                # a high frequency keeps department names and task titles whole
                self._jieba.add_word(term, freq=20000)
            self._ready = True

    def words(self, text: str) -> list[str]:
        """jieba's precise-mode words, unfiltered (to find the terms a question names)."""
        if not self._ready:
            self._init()
        return [w for w in self._jieba.lcut(text) if w.strip()]

    def __call__(self, text: str) -> list[str]:
        """Tokens of a text."""
        if not self._ready:
            self._init()
        out = []
        for token in self._jieba.cut_for_search(text.lower()):
            token = token.strip()
            if token and token not in STOPWORDS and not _NOISE.match(token):
                out.append(token)
        return out
