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


# Plurals with a meaning of their own, never matched as their singular (customs 海关 is no custom 定制)
OWN_MEANING_PLURALS = frozenset("customs futures goods securities news arts means affairs overseas".split())
SHORTEST_STEM = 5  # a shorter singular (sale, good) is too often another word
SHORTEST_PLURALISED = 4  # a glossary singular shorter than this (gas, bus, app) is matched only as written


def _singular(word: str) -> str:
    """The singular of an English plural noun (parcels → parcel, subsidies → subsidy); other words unchanged."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _number_forms(key: str) -> list[str]:
    """A glossary phrase as written and with its last word in the other number: pension also matches pensions,
    parcels also parcel."""
    *head, last = key.split()
    single = _singular(last)
    if single == last:
        if len(last) < SHORTEST_PLURALISED:
            return [key]
        plural = (last[:-1] + "ies" if re.search(r"[^aeiou]y$", last)
                  else last + "es" if last.endswith(("ch", "sh", "x", "s")) else last + "s")
        return [key, " ".join([*head, plural])]
    if len(single) < SHORTEST_STEM or last in OWN_MEANING_PLURALS:
        return [key]
    return [key, " ".join([*head, single])]


@cache
def _forms(name: str) -> dict[str, str]:
    """Every form an English list's phrases are matched in → the phrase as listed; a form that is itself
    listed stays with its own entry."""
    keys = table(name)
    out = {key: key for key in keys}
    for key in keys:
        for form in _number_forms(key)[1:]:
            out.setdefault(form, key)
    return out


@cache
def _pattern(name: str, words: bool) -> re.Pattern[str]:
    keys = sorted(_forms(name) if words else table(name), key=len, reverse=True)
    if words:
        body = "|".join(re.escape(k) for k in keys)
        return re.compile(rf"(?<![a-z0-9])({body})(?![a-z0-9])", re.I)
    # a Chinese question's Latin word (IT) is one only when no letter or digit touches it (not the it of Twitter)
    body = "|".join(rf"(?<![a-z0-9]){re.escape(k)}(?![a-z0-9])" if k.isascii() else re.escape(k) for k in keys)
    return re.compile(f"({body})", re.I)


def english_terms(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """(English phrase, Chinese terms) for each glossary phrase in a question, singular or plural, longest
    phrases first."""
    forms, terms = _forms("glossary_en.tsv"), table("glossary_en.tsv")
    return [(m.group(1).lower(), terms[forms[m.group(1).lower()]])
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
