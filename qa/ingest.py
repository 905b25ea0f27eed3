"""Files as published → Documents: plain text, a government web page, Word (.docx) and PDF with a text layer."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from .records import Document
from .structure import DOCUMENT_SUFFIXES, PlanError, parse_lines, read_text

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

# A policy document is tens to hundreds of kilobytes; 20 MB leaves room for a PDF with images
# and refuses what is plainly not one document (an archive, a scan of a whole year's gazette).
MAX_FILE_BYTES = 20 * 1024 * 1024

# Where gov.cn-style pages keep the document body, most specific first.
BODY_SELECTORS = ("#UCAP-CONTENT", ".pages_content", "#zoom", ".TRS_Editor", "article")
# Labels of a web page's metadata table → the keys Document.meta uses (文号 as the plan's header has it).
META_LABELS = {"标题": "标题", "发文字号": "文号", "发文机关": "发文机关", "成文日期": "成文日期",
               "发布日期": "发布日期", "主题分类": "主题分类", "索引号": "索引号"}
_LABEL_BLANKS = re.compile(r"[\s\u3000\u00a0：:]+")
_CHARSET = re.compile(rb"""charset=["']?([A-Za-z0-9_-]+)""")


def _html_text(path: Path) -> str:
    """A web page as text: UTF-8, or the charset its head declares (many provincial sites use GBK)."""
    data = path.read_bytes()
    declared = _CHARSET.search(data[:4096])
    charset = declared.group(1).decode().lower() if declared else "utf-8"
    if charset in ("gb2312", "gbk"):
        charset = "gb18030"  # the superset: pages labelled GB2312 often hold GBK characters
    if charset.replace("-", "") in ("utf8", ""):
        return read_text(path)
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise IngestError(path, f"the page declares charset {charset} but does not decode with it ({exc}); "
                                "save it as UTF-8") from exc


class IngestError(PlanError):
    """A file that cannot be read as a policy document; the message names the file and the fix."""

    def __init__(self, path: str | Path, message: str) -> None:
        self.path = str(path)
        self.line = 0
        ValueError.__init__(self, f"{path}: {message}")


def _html_lines(path: Path) -> tuple[list[str], dict[str, str]]:
    """A web page's body paragraphs and the metadata of its 标题/发文字号/… table."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_html_text(path))
    body = next((node for sel in BODY_SELECTORS if (node := tree.css_first(sel)) is not None), None)
    if body is None:
        raise IngestError(path, f"no document body found (looked for {', '.join(BODY_SELECTORS)}); "
                                "save the page's full HTML, or its text as .txt")
    paragraphs = body.css("p")
    if paragraphs:
        lines = [p.text(separator="") for p in paragraphs]
    else:
        lines = body.text(separator="\n").splitlines()
    meta: dict[str, str] = {}
    cells = tree.css("td, th")
    for cell, value in zip(cells, cells[1:], strict=False):
        label = _LABEL_BLANKS.sub("", cell.text())
        if label in META_LABELS and cell.text().strip().endswith(("：", ":")):
            text = value.text().strip()
            if text:
                meta.setdefault(META_LABELS[label], text)
    return lines, meta


def _docx_lines(path: Path) -> tuple[list[str], dict[str, str]]:
    """The paragraphs of a Word file (and its core title, when set)."""
    from zipfile import BadZipFile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(path, f"not a readable .docx file ({exc}); save it again from Word as .docx") from exc
    meta = {"标题": document.core_properties.title} if document.core_properties.title else {}
    return [p.text for p in document.paragraphs], meta


def _pdf_lines(path: Path) -> tuple[list[str], dict[str, str]]:
    """The text layer of a PDF, line by line; wrapped lines of a paragraph are joined by the parser."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise IngestError(path, "the PDF is encrypted; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise IngestError(path, f"not a readable PDF ({exc}); export it again as PDF") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(path, "the PDF has no text layer (a scanned image?); run OCR on it first "
                                "(e.g. ocrmypdf) or add the document as .docx, .html or .txt")
    return text.splitlines(), {}


def _txt_lines(path: Path) -> tuple[list[str], dict[str, str]]:
    return read_text(path).splitlines(), {}


READERS: dict[str, Callable[[Path], tuple[list[str], dict[str, str]]]] = {
    ".txt": _txt_lines,
    ".html": _html_lines,
    ".htm": _html_lines,
    ".docx": _docx_lines,
    ".pdf": _pdf_lines,
}
SUPPORTED: tuple[str, ...] = DOCUMENT_SUFFIXES
if set(READERS) != set(SUPPORTED):  # a corpus type without a reader would fail at build time, not here
    raise ImportError(f"qa.ingest readers {sorted(READERS)} differ from corpus types {SUPPORTED}")


def read_document(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read one policy document file, of any supported type, into a Document.

    Args:
        path: a .txt, .html/.htm, .docx or .pdf file; its stem becomes the document id.
        max_bytes: files larger than this are refused.
    Returns:
        The parsed document: metadata (from the page's table where there is one) and its tree.
    Raises:
        IngestError: unknown type, oversize file, no body, no text layer or an unreadable file.
        PlanError: the text does not parse as a policy document (names file and line).
        FileNotFoundError: no such file.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise IngestError(path, f"unknown file type {path.suffix or '(none)'!r}; "
                                f"supported: {', '.join(SUPPORTED)}")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(path, f"{size:,} bytes is over the {max_bytes:,}-byte limit; "
                                "split the file or add the document's text alone")
    lines, meta = reader(path)
    return parse_lines(lines, path, meta)
