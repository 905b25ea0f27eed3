"""Build, save and load the index: FAISS + BM25 + chunks.jsonl + manifest.json, checked on every load."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from .chunking import chunk_documents
from .config import Settings
from .embed import Embedder, make_embedder, slug
from .ingest import read_document
from .records import Chunk, Document
from .sentences import Sentence, split_documents
from .structure import PARSER_VERSION, corpus_files, corpus_hash
from .tokenize import TOKENIZER_ID, Tokenizer

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

# 4: evidence sentences and their vectors (sentences.jsonl/.npy); 3: BM25 tokens from rjieba (TOKENIZER_ID).
INDEX_FORMAT = "4"
FILES = ("dense.faiss", "chunks.jsonl", "bm25/params.index.json", "sentences.jsonl", "sentences.npy")
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
          embedder: Embedder | None = None) -> Path:
    """Parse the corpus, embed every chunk and write the index atomically.

    Args:
        settings: corpus folder, index folder and embedder.
        progress: called as progress(done, total, stage) while embedding.
        show_bar: draw a tqdm bar on a terminal.
        embedder: an embedder instance to use instead of settings.embedder's (tests pass a small fake);
            its id is recorded in the manifest under the settings' embedder spec.
    Returns:
        The index folder.
    Raises:
        PlanError, FileNotFoundError: from the corpus; ValueError, ImportError: from the embedder spec.
        IndexNotWritable: the index folder cannot be written (checked before any embedding).
    """
    import bm25s  # only building needs bm25s (and the numba it pulls in)

    started = time.perf_counter()
    files = corpus_files(settings.corpus_dir)
    docs = [read_document(f) for f in files]
    embedder = embedder or make_embedder(settings.embedder)
    folder = index_folder(settings)
    with _lock(folder):
        # inside the lock no other build is running, so any build folder left beside ours is a dead one's
        _remove_stale(folder)
        tmp = _make_build_dir(folder)
        try:
            chunks = chunk_documents(docs, embedder.count_tokens, embedder.max_tokens)
            texts = [c.embed_text for c in chunks]
            sentences = split_documents(docs)
            # chunks and sentences are embedded in one pass, so progress covers the whole build
            everything = _embed_all(embedder, texts + [s.text for s in sentences], progress, show_bar)
            matrix, sentence_matrix = everything[: len(texts)], everything[len(texts):]
            # inner product equals cosine on the normalised vectors the embedders return
            dense = faiss.IndexFlatIP(embedder.dim)
            dense.add(matrix)
            tokenizer = Tokenizer(plan_terms(docs))
            bm25 = bm25s.BM25()
            bm25.index([tokenizer(t) or ["<empty>"] for t in texts], show_progress=False)
            faiss.write_index(dense, str(tmp / "dense.faiss"))
            bm25.save(str(tmp / "bm25"), show_progress=False)
            with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as fh:
                for chunk in chunks:
                    fh.write(json.dumps(chunk.to_json(), ensure_ascii=False) + "\n")
            with open(tmp / "sentences.jsonl", "w", encoding="utf-8") as fh:
                for sentence in sentences:
                    fh.write(json.dumps(sentence.to_json(), ensure_ascii=False) + "\n")
            np.save(tmp / "sentences.npy", sentence_matrix)
            manifest = {
                "format": INDEX_FORMAT,
                "corpus_sha256": corpus_hash(files),
                "corpus_files": [f.name for f in files],
                "parser_version": PARSER_VERSION,
                "tokenizer": TOKENIZER_ID,
                "embedder": embedder.id,
                "embedder_spec": settings.embedder,
                "dimension": embedder.dim,
                "chunk_count": len(chunks),
                "sentence_count": len(sentences),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "build_seconds": round(time.perf_counter() - started, 2),
                "files": {str(p.relative_to(tmp)): _sha256(p) for p in _artifact_files(tmp)},
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            _swap(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    log.debug("built %s: %d chunks in %.1fs", folder, len(chunks), time.perf_counter() - started)
    return folder


def _embed_all(embedder: Embedder, texts: list[str], progress: Progress | None, show_bar: bool) -> np.ndarray:
    from tqdm.auto import tqdm

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
    return Index(folder=folder, manifest=manifest, docs=docs, chunks=chunks, dense=dense, bm25=bm25,
                 tokenizer=Tokenizer(plan_terms(docs)), embedder=embedder, sentences=sentences,
                 sentence_vectors=sentence_vectors)
