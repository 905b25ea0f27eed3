"""The library of policy documents: add and remove files in corpus/, list them, and outline their tasks.

Adding or removing a document re-indexes incrementally: only the new or changed documents are embedded
(see qa.index.build); a bad file is refused before anything in the library changes.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .embed import Embedder
from .ingest import read_document
from .records import Document, Node
from .structure import corpus_files

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())


@dataclass(frozen=True, slots=True)
class Change:
    """What `add` or `remove` did to the library and its index."""

    added: tuple[str, ...] = ()  # document ids copied in (new or replaced)
    removed: tuple[str, ...] = ()
    documents: int = 0  # documents in the library afterwards
    embedded: tuple[str, ...] = ()  # documents whose passages were embedded by the re-index
    passages_embedded: int = 0


def documents(settings: Settings) -> list[Document]:
    """Every document in the corpus folder, parsed (no index, no model).

    Raises:
        FileNotFoundError: no corpus. PlanError: a file that does not parse (names file and line).
    """
    return [read_document(f) for f in corpus_files(settings.corpus_dir)]


def _reindex(settings: Settings, embedder: Embedder | None) -> dict:
    import json

    from .index import build

    folder = build(settings, show_bar=False, embedder=embedder)
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def add(settings: Settings, paths: Iterable[str | Path], embedder: Embedder | None = None) -> Change:
    """Copy policy documents into the corpus folder and index them (only them).

    Every file is read first; if any is refused, nothing is copied. A file whose id (stem) is already in
    the library replaces that document, which is then re-indexed alone.

    Args:
        settings: corpus and index folders, embedder.
        paths: .txt, .html, .docx or .pdf files.
        embedder: an embedder instance instead of settings.embedder's (tests pass a counting fake).
    Returns:
        The change, with what the re-index embedded.
    Raises:
        IngestError, PlanError: a file of unknown type, too large, or unparsable (names the file and line).
        FileNotFoundError: a path that does not exist. ValueError: two files, or a file and a library
            document of another type, with the same id.
    """
    sources = [Path(p) for p in paths]
    if not sources:
        raise ValueError("no file given; name one or more .txt, .html, .docx or .pdf files")
    for path in sources:
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
        read_document(path)  # refuses the whole batch before anything is copied
    corpus = Path(settings.corpus_dir)
    existing = {f.stem: f for f in corpus.iterdir() if f.is_file()} if corpus.is_dir() else {}
    seen: dict[str, Path] = {}
    for path in sources:
        if path.stem in seen:
            raise ValueError(f"{seen[path.stem]} and {path} would both be document {path.stem!r}; rename one")
        seen[path.stem] = path
        other = existing.get(path.stem)
        if other is not None and other.name != path.name:
            raise ValueError(f"{path}: the library already holds {other.name} as document {path.stem!r}; "
                             f"remove it first (qa remove {path.stem}) or rename the new file")
    corpus.mkdir(parents=True, exist_ok=True)
    backups: dict[Path, bytes | None] = {}
    try:
        for path in sources:
            target = corpus / path.name
            if target.resolve() == path.resolve():
                continue
            backups[target] = target.read_bytes() if target.exists() else None
            partial = corpus / f".{path.name}.adding"
            shutil.copyfile(path, partial)
            partial.replace(target)  # never a half-copied file in the corpus
        manifest = _reindex(settings, embedder)
    except BaseException:
        for target, before in backups.items():  # put the corpus back as it was
            if before is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(before)
        raise
    return Change(added=tuple(p.stem for p in sources), documents=len(manifest["documents"]),
                  embedded=tuple(manifest["documents_embedded"]), passages_embedded=manifest["passages_embedded"])


def remove(settings: Settings, doc: str, embedder: Embedder | None = None) -> Change:
    """Delete a document's file from the corpus folder and drop its stored vectors from the index.

    Raises:
        ValueError: an unknown id (listing the library's ids), or the library's last document.
    """
    files = {f.stem: f for f in corpus_files(settings.corpus_dir)}
    if doc not in files:
        raise ValueError(f"unknown document {doc!r}; the library holds: {', '.join(files)}")
    if len(files) == 1:
        raise ValueError(f"{doc} is the library's only document; add another before removing it")
    path = files[doc]
    data = path.read_bytes()
    path.unlink()
    try:
        manifest = _reindex(settings, embedder)
    except BaseException:
        path.write_bytes(data)
        raise
    return Change(removed=(doc,), documents=len(manifest["documents"]),
                  embedded=tuple(manifest["documents_embedded"]), passages_embedded=manifest["passages_embedded"])


def _departments_in_order(nodes: Iterable[Node]) -> list[str]:
    seen: dict[str, None] = {}
    for node in nodes:
        for d in node.departments:
            seen.setdefault(d.name, None)
    return list(seen)


def summary(doc: Document) -> dict[str, object]:
    """One document as `qa list --json` gives it: id, title, number, date, tasks with departments, departments."""
    tasks = [n for n in doc.nodes if n.departments]
    return {"id": doc.key, "title": doc.title, "number": doc.number, "date": doc.date, "issuer": doc.issuer,
            "file": Path(doc.path).name, "tasks": len(tasks), "departments": _departments_in_order(tasks)}


def outline(docs: Iterable[Document], doc: str | None = None) -> list[dict[str, object]]:
    """Every node of the documents (or of one) as `qa outline --json` gives it.

    A node that lists departments carries them in the document's order, and `lead`: the department the
    document marks as lead, or None where it names none.

    Raises:
        ValueError: an unknown document id, listing the ids.
    """
    docs = list(docs)
    if doc is not None and doc not in {d.key for d in docs}:
        raise ValueError(f"unknown document {doc!r}; the library holds: {', '.join(d.key for d in docs)}")
    out: list[dict[str, object]] = []
    for d in docs:
        if doc is not None and d.key != doc:
            continue
        for node in d.nodes:
            lead = node.lead
            out.append({"id": node.id, "doc": d.key, "kind": node.kind, "label": node.label, "title": node.title,
                        "parent": node.parent, "departments": [x.name for x in node.departments],
                        "lead": lead.name if lead else None})
    return out
