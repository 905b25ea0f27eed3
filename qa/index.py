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

import bm25s
import faiss
import numpy as np

from .chunking import chunk_documents
from .config import Settings
from .embed import Embedder, make_embedder, slug
from .ingest import read_document
from .records import Chunk, Document
from .sentences import Sentence, split_documents
from .structure import PARSER_VERSION, corpus_files, corpus_hash
from .tokenize import Tokenizer

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

INDEX_FORMAT = "3"
FILES = ("dense.faiss", "chunks.jsonl", "bm25/params.index.json", "sentences.jsonl", "sentences.npy")
Progress = Callable[[int, int, str], None]


class IndexUnusable(RuntimeError):
    """An index folder that cannot be used as it is (the loader rebuilds it)."""


@dataclass(frozen=True, slots=True)
class Index:
    """A loaded index and the parsed plans it was built from."""

    folder: Path
    manifest: dict
    docs: tuple[Document, ...]
    chunks: tuple[Chunk, ...]
    dense: faiss.Index
    bm25: bm25s.BM25
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


def build(settings: Settings, progress: Progress | None = None, show_bar: bool = True) -> Path:
    """Parse the corpus, embed every chunk and write the index atomically.

    Args:
        settings: corpus folder, index folder and embedder.
        progress: called as progress(done, total, stage) while embedding.
        show_bar: draw a tqdm bar on a terminal.
    Returns:
        The index folder.
    Raises:
        PlanError, FileNotFoundError: from the corpus; ValueError, ImportError: from the embedder spec.
    """
    started = time.perf_counter()
    files = corpus_files(settings.corpus_dir)
    docs = [read_document(f) for f in files]
    embedder = make_embedder(settings.embedder)
    chunks = chunk_documents(docs, embedder.count_tokens, embedder.max_tokens)
    texts = [c.embed_text for c in chunks]
    sentences = split_documents(docs)
    from tqdm.auto import tqdm

    # chunks and sentences are embedded in one pass, so progress covers the whole build
    passages = texts + [s.text for s in sentences]
    bar = tqdm(total=len(passages), desc="embedding", unit="passage", disable=None if show_bar else True)
    vectors = []
    batch = 16
    for start in range(0, len(passages), batch):
        vectors.append(embedder.embed_passages(passages[start : start + batch]))
        bar.update(len(vectors[-1]))
        if progress:
            progress(min(start + batch, len(passages)), len(passages), "embedding")
    bar.close()
    everything = np.vstack(vectors).astype(np.float32)
    matrix, sentence_matrix = everything[: len(texts)], everything[len(texts):]
    # inner product equals cosine on the normalised vectors the embedders return
    dense = faiss.IndexFlatIP(embedder.dim)
    dense.add(matrix)
    tokenizer = Tokenizer(plan_terms(docs))
    bm25 = bm25s.BM25()
    bm25.index([tokenizer(t) or ["<empty>"] for t in texts], show_progress=False)

    folder = index_folder(settings)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _lock(folder):
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.build-", dir=folder.parent))
        try:
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


class _lock:
    """An exclusive file lock beside the index folder, so two processes never build at once."""

    def __init__(self, folder: Path) -> None:
        self.path = folder.parent / f".{folder.name}.lock"

    def __enter__(self) -> None:
        self.fh = open(self.path, "w")
        fcntl.flock(self.fh, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


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
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.exists():
            return f"{path} is missing"
        if _sha256(path) != digest:
            return f"{path} is corrupt (checksum differs)"
    return None


def load(settings: Settings, progress: Progress | None = None, rebuild: bool = True) -> Index:
    """Load the index for the settings, rebuilding it first when it is missing, stale or corrupt.

    Args:
        settings: corpus folder, index folder and embedder.
        progress: passed to build() when a rebuild happens.
        rebuild: when False, raise instead of rebuilding.
    Raises:
        IndexUnusable: the index is unusable and rebuild is False.
    """
    problem = check(settings)
    if problem:
        if not rebuild:
            raise IndexUnusable(f"{problem}; run: qa build")
        log.warning("%s; rebuilding the index", problem)
        build(settings, progress=progress)
    try:
        return _read(settings)
    except Exception as exc:  # noqa: BLE001 - any unreadable artifact means the same: rebuild
        if not rebuild:
            raise IndexUnusable(f"{index_folder(settings)} could not be read ({exc}); run: qa build") from exc
        log.warning("%s could not be read (%s); rebuilding the index", index_folder(settings), exc)
        build(settings, progress=progress)
        return _read(settings)


def _read(settings: Settings) -> Index:
    folder = index_folder(settings)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = corpus_files(settings.corpus_dir)
    docs = tuple(read_document(f) for f in files)
    with open(folder / "chunks.jsonl", encoding="utf-8") as fh:
        chunks = tuple(Chunk(**json.loads(line)) for line in fh if line.strip())
    dense = faiss.read_index(str(folder / "dense.faiss"))
    bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False)
    with open(folder / "sentences.jsonl", encoding="utf-8") as fh:
        sentences = tuple(Sentence(**json.loads(line)) for line in fh if line.strip())
    sentence_vectors = np.load(folder / "sentences.npy")
    embedder = make_embedder(settings.embedder)
    if not (len(sentences) == sentence_vectors.shape[0] == manifest.get("sentence_count")):
        raise IndexUnusable(f"{folder}: sentence counts disagree between sentences.jsonl, sentences.npy and the manifest")
    if not (len(chunks) == dense.ntotal == manifest["chunk_count"] == bm25.scores["num_docs"]):
        raise IndexUnusable(f"{folder}: chunk counts disagree between chunks.jsonl, FAISS and BM25")
    if dense.d != embedder.dim or manifest.get("embedder") != embedder.id:
        raise IndexUnusable(f"{folder}: built with {manifest.get('embedder')} ({dense.d}-d), not {embedder.id}")
    return Index(folder=folder, manifest=manifest, docs=docs, chunks=chunks, dense=dense, bm25=bm25,
                 tokenizer=Tokenizer(plan_terms(docs)), embedder=embedder, sentences=sentences,
                 sentence_vectors=sentence_vectors)
