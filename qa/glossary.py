"""Bridges to the plan's vocabulary, loaded from data files: English words → Chinese terms, everyday
Chinese → policy terms. The word lists live in qa/data/*.tsv (two columns: key, space-separated terms)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

DATA_FILES = ("glossary_en.tsv", "everyday_zh.tsv")
WORD_FILES = ("stopwords_en.txt", "stopwords_zh.txt")


@cache
def table(name: str) -> dict[str, tuple[str, ...]]:
    """A two-column word list from qa/data: key → its terms (header line skipped, keys lowercased).

    Raises:
        ValueError: a malformed line or a duplicate key, naming the file and line.
    """
    out: dict[str, tuple[str, ...]] = {}
    text = resources.files("qa").joinpath("data", name).read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines()[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, terms = line.partition("\t")
        key = key.strip().lower()
        if not sep or not key or not terms.split():
            raise ValueError(f"qa/data/{name}:{n}: expected 'key<TAB>terms', got {line!r}")
        if key in out:
            raise ValueError(f"qa/data/{name}:{n}: duplicate key {key!r}")
        out[key] = tuple(terms.split())
    return out


@cache
def words(name: str) -> frozenset[str]:
    """A one-word-per-line list from qa/data ('#' lines are comments), lowercased.

    Raises:
        ValueError: a word listed twice, naming the file and line.
    """
    seen: dict[str, int] = {}
    text = resources.files("qa").joinpath("data", name).read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), start=1):
        word = line.strip().lower()
        if not word or word.startswith("#"):
            continue
        if word in seen:
            raise ValueError(f"qa/data/{name}:{n}: {word!r} is already listed on line {seen[word]}")
        seen[word] = n
    return frozenset(seen)


@cache
def _pattern(name: str, words: bool) -> re.Pattern[str]:
    keys = sorted(table(name), key=len, reverse=True)
    body = "|".join(re.escape(k) for k in keys)
    return re.compile(rf"(?<![a-z0-9])({body})(?![a-z0-9])" if words else f"({body})", re.I)


def english_terms(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """(English phrase, Chinese terms) for each glossary phrase in a question, longest phrases first."""
    return [(m.group(1).lower(), table("glossary_en.tsv")[m.group(1).lower()])
            for m in _pattern("glossary_en.tsv", True).finditer(question)]


def glossary_words(question: str) -> set[str]:
    """The (lowercased) words of an English question that belong to a glossary phrase: the plan has terms for them."""
    return {w for phrase, _ in english_terms(question) for w in phrase.split()}


def to_chinese_terms(question: str) -> str:
    """The Chinese terms for the English words of a question that the glossary knows, space-separated."""
    return " ".join(dict.fromkeys(t for _, terms in english_terms(question) for t in terms))


def everyday_terms(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """(everyday word, policy terms) for each everyday word in a Chinese question."""
    return [(m.group(1).lower(), table("everyday_zh.tsv")[m.group(1).lower()])
            for m in _pattern("everyday_zh.tsv", False).finditer(question.lower())]


def policy_terms(question: str) -> str:
    """The policy terms for the everyday words in a Chinese question, space-separated."""
    return " ".join(dict.fromkeys(t for _, terms in everyday_terms(question) for t in terms))
