"""Policy text → tree of parts › groups › sections › items, with metadata and responsible departments.

One reader for the family of Chinese policy documents that close each task with a responsibility
parenthesis: the province's plan (——items under 1. sections under （一） actions) as well as the State
Council's opinions (（一） paragraphs under 一、 parts). See `read_duty` for the wordings it understands.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from .departments import level_of
from .duties import LEAD_NOTE_RE, duty_spans, read_duty, without_duties
from .records import Department, Document, Node

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

PARSER_VERSION = "3"  # 3: Cyrillic and Greek look-alikes inside Latin terms read as Latin (О2О → O2O)
SEP = " › "

# Half-width punctuation that the captured page mixes into Chinese text → the full-width form.
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！"})
_BLANKS = re.compile(r"[\s\u3000\u00a0\ufeff]+")
_CN_NUM = "一二三四五六七八九十"
PART_RE = re.compile(rf"^([{_CN_NUM}]+)、(.{{1,30}})$")
GROUP_RE = re.compile(rf"^（([{_CN_NUM}]+)）(.+)$")
SECTION_RE = re.compile(r"^(\d{1,2})[.．、](?!\d)(.+)$")
ITEM_RE = re.compile(r"^——(.+)$")
DEPTS_RE = re.compile(r"（([^（）]*负责[^（）]*)）$")
NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
DATE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
BRACKET_TITLE_RE = re.compile(r"^（\d{4}[-—–－]\d{4}年）$")
QUOTED_TITLE_RE = re.compile(r"《(.+?)》")
PUBLISHED_RE = re.compile(r"(发布日期|作者|来源|点击)：(.*?)(?=(?:作者|来源|点击)：|$)")

# The end of a State Council document: the issuer, the date, （此件公开发布）.
DISCLOSURE_RE = re.compile(r"^（此件[^（）]{1,12}）$")


class PlanError(ValueError):
    """A plan file that cannot be parsed; the message names the file and the line."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        super().__init__(f"{path}:{line}: {message}")


# Cyrillic and Greek capitals and small letters drawn like Latin ones. Beside a Latin letter or digit they are
# a typist's slip inside a Latin term (the plan writes 线上线下（О2О） with Cyrillic О): read as the Latin letter,
# the term matches what a user types.
_LOOKALIKES = dict(zip("АВЕКМНОРСТХаеорсхΑΒΕΗΙΚΜΝΟΡΤΧΥΖο", "ABEKMHOPCTXaeopcxABEHIKMNOPTXYZo", strict=True))
_LOOKALIKE_RE = re.compile(f"[{''.join(_LOOKALIKES)}](?=[A-Za-z0-9])|(?<=[A-Za-z0-9])[{''.join(_LOOKALIKES)}]")


def fold_lookalikes(text: str) -> str:
    """The text with look-alike Cyrillic or Greek letters beside a Latin letter or digit made Latin (О2О → O2O)."""
    previous = None
    while previous != text:  # a run of look-alikes (ОРО2) folds from the Latin side inwards
        previous, text = text, _LOOKALIKE_RE.sub(lambda m: _LOOKALIKES[m.group(0)], text)
    return text


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》—]) | (?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》—])")


def clean_line(line: str) -> str:
    """One line with look-alike letters in Latin terms made Latin (fold_lookalikes), half-width punctuation made
    full width and blanks folded (dropped next to Chinese)."""
    folded = _BLANKS.sub(" ", fold_lookalikes(line).translate(_FULL_WIDTH)).strip()
    return _CJK_SPACE.sub("", folded)


def first_sentence(text: str) -> tuple[str, str]:
    """Split off the opening phrase up to the first 。 (the title of a task or measure)."""
    head, dot, rest = text.partition("。")
    return head.strip(), rest.strip() if dot else ""


def strip_departments(text: str) -> str:
    """The text without its closing department parenthesis."""
    return DEPTS_RE.sub("", text).rstrip()


def read_text(path: Path) -> str:
    """A plan file as text.

    Raises:
        PlanError: the file is not UTF-8, naming the line of the first bad byte.
    """
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanError(path, line, f"not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8") from exc


@dataclass
class _Draft:
    """A node while the parser is still adding text and children to it."""

    path: str
    kind: str
    title: str
    label: str
    line: int
    text: list[str] = field(default_factory=list)
    children: list[_Draft] = field(default_factory=list)
    parent: _Draft | None = None

    def add(self, child: _Draft) -> _Draft:
        child.parent = self
        self.children.append(child)
        return child

    def crumbs(self) -> list[str]:
        chain: list[str] = []
        node: _Draft | None = self
        while node is not None and node.kind != "document":
            chain.append(node.label)
            node = node.parent
        return chain[::-1]


def _header(lines: list[tuple[int, str]], path: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """Metadata from the lines before the first part: number, issuer, date, titles, page fields.

    Args:
        known: metadata the source already gave (a web page's table); it wins over what the lines say.
    """
    meta: dict[str, str] = dict(known or {})
    previous = ""
    preamble: list[str] = []
    for i, (_, line) in enumerate(lines):
        nxt = lines[i + 1][1] if i + 1 < len(lines) else ""
        if NUMBER_RE.fullmatch(line):
            meta.setdefault("文号", line)
        elif DATE_RE.match(line):
            meta.setdefault("成文日期", line)
            if previous:
                meta.setdefault("发文机关", previous)
        elif line.startswith("发布日期"):
            for key, value in PUBLISHED_RE.findall(line):
                if value.strip():
                    meta[key] = value.strip()
        elif line.startswith("当前位置"):
            continue
        elif line.endswith("：") and "，" in line and len(line) <= MAX_ADDRESSEES and "主送" not in meta:
            meta["主送"] = line.rstrip("：")
        elif "印发给你们" in line or line.startswith("现将"):
            meta["通知"] = line
            quoted = QUOTED_TITLE_RE.search(line)
            if quoted:
                meta.setdefault("标题", quoted.group(1))
        elif line.endswith(("。", "：")) and len(line) > 30:
            preamble.append(line)
        elif "通知" in line and len(line) > 10:
            meta.setdefault("通知标题", line)
        elif BRACKET_TITLE_RE.match(line) and previous:
            meta.setdefault("计划标题", previous + line)
        # anything else in the header is page chrome (site section names, navigation)
        if not DATE_RE.match(line) and not line.startswith("发布日期"):
            previous = line if DATE_RE.match(nxt) or len(line) <= 30 else previous
    if preamble:
        meta["前言"] = "".join(preamble)
    title = meta.get("标题") or meta.get("计划标题") or meta.get("通知标题") or _title_above_number(lines)
    if not title:
        raise PlanError(path, lines[0][0] if lines else 1, "no document title found before the first part")
    meta["标题"] = title
    return meta


def _title_above_number(lines: list[tuple[int, str]]) -> str:
    """The title printed (over up to three short lines) right above the 文号, as the State Council prints it."""
    at = next((i for i, (_, line) in enumerate(lines) if NUMBER_RE.fullmatch(line)), None)
    if at is None:
        return ""
    above: list[str] = []
    for _, line in reversed(lines[max(0, at - 3):at]):
        if len(line) > 30 or line.endswith(("。", "：")) or "：" in line:
            break
        above.insert(0, line)
    return "".join(above)


# A 主送 line lists addressees; a longer line ending in ： is the preamble (…现提出以下意见：).
MAX_ADDRESSEES = 80


def _signature(lines: list[tuple[int, str]], meta: dict[str, str]) -> list[tuple[int, str]]:
    """The lines without a closing signature block (issuer, date, （此件公开发布）), kept in meta instead."""
    lines = list(lines)
    if lines and DISCLOSURE_RE.match(lines[-1][1]):
        meta["公开方式"] = lines.pop()[1].strip("（）")
    if len(lines) >= 2 and DATE_RE.match(lines[-1][1]) and len(lines[-2][1]) <= 30 and "。" not in lines[-2][1]:
        meta.setdefault("成文日期", lines.pop()[1])
        meta.setdefault("发文机关", lines.pop()[1])
    return lines


def parse_plan(path: str | Path) -> Document:
    """Parse one plain-text policy file into a Document.

    Args:
        path: a UTF-8 .txt capture of the plan (or of another document of the family).
    Returns:
        The document: metadata and every node in reading order.
    Raises:
        PlanError: empty file, not UTF-8, no parts, or text that belongs nowhere (names file and line).
    """
    path = Path(path)
    return parse_lines(read_text(path).splitlines(), path)


def parse_lines(raw_lines: list[str], path: str | Path, meta: dict[str, str] | None = None) -> Document:
    """Parse the lines of a policy document (from any source format) into a Document.

    Args:
        raw_lines: the text, one paragraph or printed line per entry, as extracted.
        path: the source file; its stem is the document id, and errors name it.
        meta: metadata the source gave besides the text (a web page's 标题, 发文字号, 发布日期 …).
    Returns:
        The document: metadata and every node in reading order.
    Raises:
        PlanError: empty text, no parts, or text that belongs nowhere (names file and line).
    """
    path = Path(path)
    lines = [(n, clean_line(text)) for n, text in enumerate(raw_lines, start=1)]
    lines = [(n, text) for n, text in lines if text]
    if not lines:
        raise PlanError(path, 1, "the file is empty")
    first_part = next((i for i, (_, t) in enumerate(lines) if PART_RE.match(t)), None)
    if first_part is None:
        raise PlanError(path, lines[0][0], "no part heading such as '一、总体目标' found; is this a plan?")
    meta = _header(lines[:first_part], path, meta)
    body = _signature(lines[first_part:], meta)
    # Where a document numbers sections (1. 2.) under its （一） groups, a —— item directly under a
    # group is a misplaced line; where it never does, —— items may sit right under a group.
    sectioned = any(SECTION_RE.match(t) for _, t in body)
    doc = _Draft(path="", kind="document", title=meta["标题"], label=meta["标题"], line=lines[0][0])
    part = group = section = item = None
    closing: list[str] = []  # unnumbered paragraphs after a closed task: the document's closing words
    for n, text in body:
        if text.startswith("抄送"):
            meta["抄送"] = text.partition("：")[2] or text
            continue
        if text.endswith("印发") and re.search(r"\d{4}年\d{1,2}月\d{1,2}日印发$", text):
            meta["印发"] = text
            continue
        heading = PART_RE.match(text) or GROUP_RE.match(text) or SECTION_RE.match(text) or ITEM_RE.match(text)
        if closing and heading and part is not None:
            part.text.extend(closing)  # closing words of a part, before its next heading
            closing = []
        if m := PART_RE.match(text):
            title = m.group(2).rstrip("。")
            part = doc.add(_Draft(f"P{len(doc.children) + 1}", "part", title, text.rstrip("。"), n))
            group = section = item = None
        elif (m := GROUP_RE.match(text)) and part is not None:
            title, rest = first_sentence(m.group(2))
            label = f"（{m.group(1)}）{title}"
            group = part.add(_Draft(f"{part.path}.G{len(part.children) + 1}", "group", title, label, n))
            section = item = None
            if rest:
                group.text.append(rest)
        elif (m := SECTION_RE.match(text)) and (group or part) is not None:
            owner = group or part
            title, rest = first_sentence(m.group(2))
            section = owner.add(_Draft(f"{owner.path}.S{len(owner.children) + 1}", "section", title, title, n))
            item = None
            if rest:
                section.text.append(rest)
        elif m := ITEM_RE.match(text):
            owner = section or group or part
            if owner is None or (section is None and group is not None and sectioned):
                raise PlanError(path, n, "a '——' item outside any part or section")
            title, _ = first_sentence(m.group(1))
            item = owner.add(_Draft(f"{owner.path}.I{len(owner.children) + 1}", "item", title, title, n))
            item.text.append(m.group(1))
        elif (current := item or section or group or part) is None:
            raise PlanError(path, n, f"text outside any part: {text[:30]!r}")
        elif closing or (current is not part and _closed(current) and not duty_spans(text)):
            closing.append(text)
        else:
            current.text.append(text)
    if closing:
        meta["结语"] = "".join(closing)
    return _freeze(doc, path, meta)


def _closed(draft: _Draft) -> bool:
    """The draft's text ends with a responsibility parenthesis: the task is complete."""
    text = "".join(draft.text)
    spans = duty_spans(text)
    return bool(spans) and spans[-1].end() == len(text.rstrip("。；"))


def _segments(text: str) -> list[str]:
    """A task's text cut after each responsibility parenthesis that sentences follow (……（A负责）加强……（B负责））."""
    cuts = [m.end() for m in duty_spans(text)]
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(text[start:cut])
        start = cut
    tail = text[start:]
    if tail.strip("。；， "):
        pieces.append(tail)
    elif pieces:
        pieces[-1] += tail
    return pieces or [text]


def _freeze(doc: _Draft, path: Path, meta: dict[str, str]) -> Document:
    key = path.stem
    number, issuer = meta.get("文号", ""), meta.get("发文机关", "")
    level = level_of(number, issuer)
    nodes: list[Node] = []
    header_lines = [f"{name}：{meta[name]}" for name in ("标题", "文号", "发文机关", "成文日期", "发布日期", "主题分类", "来源", "主送", "抄送", "印发") if meta.get(name)]
    nodes.append(Node(id=f"{key}/HEAD", kind="document", doc=key, title=meta["标题"], label=meta["标题"], text="\n".join(header_lines), line=doc.line))
    if meta.get("前言"):
        nodes.append(Node(id=f"{key}/PRE", kind="preamble", doc=key, title="前言", label=f"{meta['标题']}{SEP}前言", text=meta["前言"], line=doc.line))
    # 列第一位者为牵头单位，下同: from the parenthesis (or sentence) that says so on, the first listed leads
    state = {"first_leads": bool(LEAD_NOTE_RE.search(meta.get("前言", "")))}

    def departments(text: str) -> tuple[Department, ...]:
        spans = duty_spans(text)
        if not spans or spans[-1].end() != len(text.rstrip("。；")):
            return ()
        inside = spans[-1].group(1)
        found = read_duty(inside, level, state["first_leads"])
        if LEAD_NOTE_RE.search(inside) and "下同" in inside:
            state["first_leads"] = True
        return found

    def walk(draft: _Draft, parent_id: str | None) -> None:
        node_id = f"{key}/{draft.path}"
        text = "".join(draft.text)
        if not draft.children and len(pieces := _segments(text)) > 1:
            # responsibility in the middle: each group of sentences is a task of its own
            for i, piece in enumerate(pieces, start=1):
                title, _ = first_sentence(without_duties(piece))
                draft.add(_Draft(f"{draft.path}.I{i}", "item", title, title, draft.line, [piece]))
            text = ""
        elif LEAD_NOTE_RE.search(text) and not duty_spans(text):
            state["first_leads"] = True  # the convention stated in a sentence of its own
        nodes.append(Node(
            id=node_id, kind=draft.kind, doc=key, title=draft.title, label=SEP.join(draft.crumbs()), text=text,  # type: ignore[arg-type]
            departments=departments(text) if text else (), parent=parent_id,
            children=tuple(f"{key}/{c.path}" for c in draft.children), line=draft.line,
        ))
        for child in draft.children:
            walk(child, node_id)

    for part in doc.children:
        walk(part, None)
    if meta.get("结语"):
        nodes.append(Node(id=f"{key}/END", kind="closing", doc=key, title="结语", label=f"{meta['标题']}{SEP}结语",
                          text=meta["结语"], line=doc.line))
    return Document(key=key, path=str(path), title=meta["标题"], number=number, issuer=issuer,
                    date=meta.get("成文日期", ""), meta=meta, nodes=tuple(nodes),
                    published=meta.get("发布日期", ""), subject=meta.get("主题分类", ""), level=level)


# File types a corpus folder may hold (qa.ingest has one reader for each).
DOCUMENT_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


def corpus_files(corpus_dir: str | Path) -> list[Path]:
    """Every policy document in a corpus folder (.txt, .html, .docx, .pdf), sorted by name.

    Raises:
        FileNotFoundError: the folder is missing or holds no document.
    """
    folder = Path(corpus_dir)
    files = sorted(f for f in folder.iterdir() if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES) if folder.is_dir() else []
    if not files:
        raise FileNotFoundError(f"no policy document ({', '.join(DOCUMENT_SUFFIXES)}) in {folder}; "
                                "put the plan text there (see README)")
    return files


def corpus_hash(files: list[Path]) -> str:
    """sha256 over the names and bytes of the corpus files."""
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()
