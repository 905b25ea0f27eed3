"""The one Chinese tokenizer for building and asking: jieba (rjieba) with the plan's own terms, noise removed."""

from __future__ import annotations

import importlib.util
import logging
import re
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from .lexicon import Lexicon, package_file

T = TypeVar("T")

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

# Function words and question words that carry no topic; they would only add noise to BM25.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 在 是 为 对 把 被 将 从 向 以 于 之 其 这 那 个 些 有 要 会 能 可以 我 你 他 我们 你们 "
    "吗 呢 吧 啊 呀 么 什么 怎么 怎样 如何 哪个 哪些 哪 谁 几 多少 是否 请问 一下 一个 想 该 应该 找 问 "
    "部门 负责 由 管 归 到底 现在 还 也 都 就 又 the a an of to in on for and or is are was be what which "
    "who how does do did it its by with about".split()
)
_NOISE = re.compile(r"^[\W_]+$", re.UNICODE)


def _engine() -> ModuleType:
    """rjieba's Rust module, loaded without rjieba/__init__.py, which builds the whole dictionary (0.1 s).

    It is registered under its own name, so a later `import rjieba` (the whole-dictionary fallback) finds it.
    """
    module = sys.modules.get("rjieba.rjieba")
    if module is not None:
        return module
    if importlib.util.find_spec("rjieba") is None:
        raise ImportError("rjieba is not installed; run: pip install rjieba")
    binary = package_file("rjieba", "rjieba.*so", "rjieba.*pyd")
    if binary is None:
        raise ImportError("rjieba's compiled module is missing from its package; reinstall rjieba")
    ext = importlib.util.spec_from_file_location("rjieba.rjieba", binary)
    module = importlib.util.module_from_spec(ext)  # type: ignore[arg-type]
    sys.modules["rjieba.rjieba"] = module
    ext.loader.exec_module(module)  # type: ignore[union-attr]
    return module


_SHARED: dict[tuple[str, ...], Any] = {}
_SHARED_LOCK = threading.Lock()
_SHARED_MAX = 4


def _whole_dictionary(terms: tuple[str, ...]) -> Any:
    """A segmenter with jieba's whole dictionary and these terms, shared by every Tokenizer with the same terms.

    Building one costs 0.1 s (more on a busy machine), and a process that builds and loads indexes again
    and again (the tests, `qa add`) would pay it each time. rjieba builds a default segmenter on import;
    the first one taken is that one. Sharing is safe: after the terms are added a segmenter is only read.
    """
    _engine()
    import rjieba

    with _SHARED_LOCK:
        segmenter = _SHARED.get(terms)
        if segmenter is None:
            fresh = not _SHARED and getattr(rjieba, "_DEFAULT_JIEBA", None) is not None
            segmenter = rjieba._DEFAULT_JIEBA if fresh else rjieba.Jieba()
            for term in terms:
                segmenter.add_word(term, TERM_FREQ, None)
            if len(_SHARED) >= _SHARED_MAX:
                _SHARED.pop(next(iter(_SHARED)))
            _SHARED[terms] = segmenter
        return segmenter


# Recorded in the index manifest: an index built with another tokenizer is rebuilt.
TOKENIZER_ID = "rjieba-search-1"


# The frequency that keeps department names and task titles whole.
TERM_FREQ = 20000
# An entry no text contains: its frequency makes up the rest of the whole dictionary's total.
_FILLER = "\U000f0000\U000f0001"
_CHECKED_MAX = 500_000  # substrings remembered as looked up; past this the memory is cleared (words stay)
_MEMO_MAX = 4096  # texts whose segmentation is kept (plan sentences recur from question to question)
# Looking words up costs about 0.15 ms per new text (2 ms per question), the whole dictionary 0.1 s once:
# a process that has cut this many texts is a long one, and switches.
_LEXICON_CUTS = 100


class _LexiconSegmenter:
    """jieba's segmentation from the words a text can use, looked up in the index's lexicon as texts arrive.

    jieba segments a text from the dictionary words found inside it (its DAG), their frequencies and the
    dictionary's total. So an empty rjieba.Jieba that holds every dictionary word occurring in a text, the
    plan's terms, and one filler entry that brings the total up to the whole dictionary's, cuts the text
    exactly as the full dictionary would. Words from earlier texts stay; they are not in this one.
    """

    def __init__(self, lexicon: Lexicon, terms: list[str]) -> None:
        self._lexicon = lexicon
        self._jieba = _engine().Jieba.empty()
        self._fixed = frozenset(terms)  # the plan's terms keep TERM_FREQ, whatever the dictionary says
        dictionary = lexicon.lookup(terms)
        # what add_word(term, TERM_FREQ) does to the full dictionary's total
        self._total = lexicon.total + sum(TERM_FREQ - dictionary.get(t, 0) for t in terms)
        self._held = 0
        for term in terms:
            self._jieba.add_word(term, TERM_FREQ, None)
            self._held += TERM_FREQ
        self._checked: set[str] = set()
        self._added: set[str] = set()
        self._balance()

    def _balance(self) -> None:
        self._jieba.add_word(_FILLER, max(1, self._total - self._held), None)

    def _cover(self, text: str) -> None:
        n, longest = len(text), self._lexicon.longest
        candidates = {text[i:j] for i in range(n) for j in range(i + 1, min(n, i + longest) + 1)}
        candidates -= self._checked
        candidates -= self._fixed
        if not candidates:
            return
        for word, freq in self._lexicon.lookup(candidates).items():
            if word not in self._added:  # met again after _checked was cleared: it is already in, counted
                self._jieba.add_word(word, freq, None)
                self._added.add(word)
                self._held += freq
        if len(self._checked) > _CHECKED_MAX:
            self._checked.clear()
        self._checked |= candidates
        self._balance()

    def has_word(self, word: str) -> bool:
        if word in self._fixed or word in self._added:
            return True
        return bool(self._lexicon.lookup([word]))  # the filler is no dictionary word: never found there

    def cut(self, text: str) -> list[str]:
        self._cover(text)
        return self._jieba.cut(text)

    def cut_for_search(self, text: str) -> list[str]:
        self._cover(text)
        return self._jieba.cut_for_search(text)


class Tokenizer:
    """jieba search-mode tokens, lowercased, with punctuation, blanks and stopwords dropped.

    rjieba is jieba's algorithm and dictionary in Rust. Given the index's lexicon (qa.lexicon), it looks
    up only the dictionary words each text contains instead of loading all 349,046 (0.1 s) at start,
    which is what a one-shot `qa ask` wants; after _LEXICON_CUTS texts, or without a lexicon, it uses
    rjieba's whole dictionary. Both segment alike, word for word.
    """

    def __init__(self, terms: Iterable[str] = (), lexicon: Path | None = None) -> None:
        """Args: terms: words to keep whole (department names, task titles); lexicon: the index's lexicon file."""
        self._segmenter: Any = None  # rjieba.Jieba or _LexiconSegmenter
        self._terms = sorted({t for t in terms if t and len(t) >= 2})
        self._lexicon_path = lexicon  # None once it could not be opened
        self._table: Lexicon | None = None  # opened once: for segmenting, and for word counts in either mode
        self._by_lexicon = lexicon is not None  # segment from the lexicon (until it fails or the process is long)
        self._memo: dict[tuple[str, str], list[str]] = {}
        self._lexicon_cuts = 0
        self._lock = threading.Lock()

    def _lexicon(self) -> Lexicon | None:
        if self._table is None and self._lexicon_path is not None:
            try:
                self._table = Lexicon(self._lexicon_path)
            except (OSError, ValueError, KeyError, sqlite3.Error) as exc:
                log.warning("lexicon %s unusable (%s); loading jieba's whole dictionary", self._lexicon_path, exc)
                self._lexicon_path = None
        return self._table

    def _start(self) -> Any:
        table = self._lexicon() if self._by_lexicon else None
        if table is not None:
            try:
                return _LexiconSegmenter(table, self._terms)
            except sqlite3.Error as exc:
                log.warning("lexicon %s unusable (%s); loading jieba's whole dictionary", self._lexicon_path, exc)
        self._by_lexicon = False
        return _whole_dictionary(tuple(self._terms))

    def _cut(self, mode: str, text: str) -> list[str]:
        key = (mode, text)
        with self._lock:  # one segmenter per Tokenizer; the lexicon one changes as it goes
            known = self._memo.get(key)
            if known is not None:
                return known
            if self._by_lexicon and self._lexicon_cuts >= _LEXICON_CUTS:
                self._by_lexicon, self._segmenter = False, None  # a long process: the whole dictionary from now on
            if self._segmenter is None:
                self._segmenter = self._start()
            if self._by_lexicon:
                self._lexicon_cuts += 1
            try:
                words = getattr(self._segmenter, mode)(text)
            except sqlite3.Error as exc:  # the lexicon went bad under us: the whole dictionary from now on
                log.warning("lexicon %s failed (%s); loading jieba's whole dictionary", self._lexicon_path, exc)
                self._by_lexicon = False
                self._segmenter = self._start()
                words = getattr(self._segmenter, mode)(text)
            if len(self._memo) >= _MEMO_MAX:
                self._memo.clear()
            self._memo[key] = words
            return words

    def _from_lexicon(self, read: Callable[[Lexicon], T], default: T) -> T:
        """What read gets from the index's lexicon; default without a lexicon or when the table fails."""
        with self._lock:
            table = self._lexicon()
        try:
            return read(table) if table is not None else default
        except sqlite3.Error:
            return default

    def frequency(self, word: str) -> int:
        """The word's count in jieba's dictionary, from the index's lexicon (0: not a dictionary word, or no lexicon)."""
        return self._from_lexicon(lambda table: table.lookup([word]).get(word, 0), 0)

    def tag(self, word: str) -> str | None:
        """The word's part-of-speech tag in jieba's dictionary, from the index's lexicon (None: not a dictionary
        word, untagged, or no lexicon)."""
        return self._from_lexicon(lambda table: table.tag(word), None)

    def known(self, word: str) -> bool:
        """Whether a word is in the dictionary (jieba's or the documents' terms), not one the segmenter made up."""
        with self._lock:
            if self._segmenter is None:
                self._segmenter = self._start()
            return self._segmenter.has_word(word)

    def words(self, text: str) -> list[str]:
        """jieba's precise-mode words, unfiltered (to find the terms a question names)."""
        return [w for w in self._cut("cut", text) if w.strip()]

    def __call__(self, text: str) -> list[str]:
        """Tokens of a text."""
        out = []
        for token in self._cut("cut_for_search", text.lower()):
            token = token.strip()
            if token and token not in STOPWORDS and not _NOISE.match(token):
                out.append(token)
        return out
