"""jieba's dictionary as a small SQLite table in the index, so a process can segment without loading all of it.

rjieba builds its whole dictionary (349,046 words) when it is imported: 0.1 s in every one-shot `qa ask`,
more than half of what that command costs beyond its floor. Segmenting a text needs only the dictionary
words that occur in that text, plus the dictionary's total frequency. The table lets qa.tokenize look those
words up as texts arrive; the segmentation is the same, word for word (a test compares both on the corpus
and every eval question).

The words come from the `jieba` package's dict.txt, the file rjieba compiles in; the package is never
imported, its data file is read at build time only.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

FILE_NAME = "lexicon.sqlite"
# SQLite allows 32,766 parameters per statement; a long text is looked up in slices of this many words
_SLICE = 900


def package_file(package: str, *patterns: str) -> Path | None:
    """The first file matching one of the glob patterns inside an installed package, found without importing
    the package (its __init__ may be costly); None when the package or the file is missing."""
    spec = importlib.util.find_spec(package)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for pattern in patterns:
            found = sorted(p for p in Path(folder).glob(pattern) if p.is_file())
            if found:
                return found[0]
    return None


def dictionary_source() -> Path | None:
    """jieba's dict.txt, found without importing jieba; None when the package is not installed."""
    return package_file("jieba", "dict.txt")


SCHEMA = "2"  # 2: words carry their part-of-speech tag


def source_id(path: Path) -> str:
    """Names one version of the dictionary file (its size and SHA-256 prefix) and of the table's layout."""
    data = path.read_bytes()
    return f"{SCHEMA}:{len(data)}:{hashlib.sha256(data).hexdigest()[:16]}"


def write_lexicon(source: Path, target: Path) -> None:
    """Write the dictionary (word, frequency, part-of-speech tag) with its total and longest word into a new
    SQLite file.

    Raises:
        ValueError: a line of the source is not "word frequency [tag]".
    """
    rows: dict[str, tuple[int, str | None]] = {}
    with open(source, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                continue
            try:
                rows[parts[0]] = (int(parts[1]), parts[2] if len(parts) > 2 else None)
            except (IndexError, ValueError):
                raise ValueError(f"{source}, line {number}: expected 'word frequency [tag]', got {line[:60]!r}") from None
    target.unlink(missing_ok=True)
    con = sqlite3.connect(target)
    try:
        con.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL, tag TEXT) WITHOUT ROWID")
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        con.executemany("INSERT INTO words VALUES (?, ?, ?)", ((w, f, t) for w, (f, t) in rows.items()))
        con.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("total", str(sum(f for f, _ in rows.values()))), ("longest", str(max(map(len, rows), default=1))),
            ("source", source_id(source))])
        con.commit()
    finally:
        con.close()


_WRITTEN: dict[tuple[str, int, int], bytes] = {}  # (source, size, mtime) → the file this process wrote from it
_WRITTEN_LOCK = threading.Lock()


def install_lexicon(source: Path, target: Path, previous: Path | None = None) -> None:
    """Put the lexicon for this source at target: a copy of one made before when possible, else written anew.

    Writing takes 0.4 s; a process that builds many indexes (tests, the scale bench) writes it once, and a
    rebuild copies the previous index's table when it came from the same source.
    """
    stat = source.stat()
    key = (str(source.resolve()), stat.st_size, stat.st_mtime_ns)
    with _WRITTEN_LOCK:
        data = _WRITTEN.get(key)
    if data is None and previous is not None:
        try:
            table = Lexicon(previous)
            same = table.source == source_id(source)
            table.close()
            if same:
                data = previous.read_bytes()
        except (OSError, ValueError, KeyError, sqlite3.Error):
            data = None  # an unreadable old table is written again
    if data is None:
        write_lexicon(source, target)
        data = target.read_bytes()
    else:
        target.write_bytes(data)
    with _WRITTEN_LOCK:
        _WRITTEN[key] = data


class Lexicon:
    """Read-only lookups in a lexicon file; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        """Open the file and read its totals.

        Raises:
            sqlite3.Error, ValueError: the file is missing, unreadable or not a lexicon.
        """
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist")
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        meta = dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        self.total = int(meta["total"])
        self.longest = int(meta["longest"])
        self.source = meta["source"]
        if self.total <= 0 or self.longest <= 0:
            raise ValueError(f"{path}: not a lexicon (total {self.total}, longest word {self.longest})")

    def lookup(self, words: Iterable[str]) -> dict[str, int]:
        """The frequency of each of the words that the dictionary holds."""
        words = list(words)
        found: dict[str, int] = {}
        with self._lock:
            for start in range(0, len(words), _SLICE):
                part = words[start : start + _SLICE]
                marks = ",".join("?" * len(part))
                found.update(self._con.execute(f"SELECT word, freq FROM words WHERE word IN ({marks})", part))
        return found

    def tag(self, word: str) -> str | None:
        """The word's part-of-speech tag in the dictionary (n, v, d …); None for a word it lacks or leaves untagged."""
        with self._lock:
            row = self._con.execute("SELECT tag FROM words WHERE word = ?", (word,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._con.close()
