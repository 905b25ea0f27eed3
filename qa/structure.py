"""Plan text → tree of parts › groups › sections › items, with metadata and responsible departments."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from .departments import gloss, normalize
from .records import Department, Document, Node

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

PARSER_VERSION = "1"
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


class PlanError(ValueError):
    """A plan file that cannot be parsed; the message names the file and the line."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        super().__init__(f"{path}:{line}: {message}")


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》—]) | (?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》—])")


def clean_line(line: str) -> str:
    """One line with half-width punctuation made full width and blanks folded (dropped next to Chinese)."""
    folded = _BLANKS.sub(" ", line.translate(_FULL_WIDTH)).strip()
    return _CJK_SPACE.sub("", folded)


def first_sentence(text: str) -> tuple[str, str]:
    """Split off the opening phrase up to the first 。 (the title of a task or measure)."""
    head, dot, rest = text.partition("。")
    return head.strip(), rest.strip() if dot else ""


def parse_departments(text: str) -> tuple[Department, ...]:
    """Departments from a closing parenthesis such as （省农业厅、省科技厅等负责）, in order, lead first."""
    match = DEPTS_RE.search(text)
    if not match:
        return ()
    inside = match.group(1)
    joint = "共同负责" in inside
    listed = inside.split("负责")[0]
    listed = re.sub(r"(等共同|共同|等)$", "", listed)
    names = [normalize(n) for n in re.split(r"[、，]", listed) if n.strip()]
    return tuple(
        Department(name=n, english=gloss(n), lead=(i == 0), joint=joint) for i, n in enumerate(names)
    )


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


def _header(lines: list[tuple[int, str]], path: Path) -> dict[str, str]:
    """Metadata from the lines before the first part: number, issuer, date, titles, page fields."""
    meta: dict[str, str] = {}
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
        elif line.endswith("：") and "，" in line:
            meta["主送"] = line.rstrip("：")
        elif "印发给你们" in line or line.startswith("现将"):
            meta["通知"] = line
            quoted = QUOTED_TITLE_RE.search(line)
            if quoted:
                meta.setdefault("标题", quoted.group(1))
        elif line.endswith("。") and len(line) > 30:
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
    title = meta.get("标题") or meta.get("计划标题") or meta.get("通知标题")
    if not title:
        raise PlanError(path, lines[0][0] if lines else 1, "no document title found before the first part")
    meta["标题"] = title
    return meta


def parse_plan(path: str | Path) -> Document:
    """Parse one plan file into a Document.

    Args:
        path: a UTF-8 .txt capture of the plan.
    Returns:
        The document: metadata and every node in reading order.
    Raises:
        PlanError: empty file, not UTF-8, no parts, or text that belongs nowhere (names file and line).
    """
    path = Path(path)
    raw = read_text(path)
    lines = [(n, clean_line(text)) for n, text in enumerate(raw.splitlines(), start=1)]
    lines = [(n, text) for n, text in lines if text]
    if not lines:
        raise PlanError(path, 1, "the file is empty")
    first_part = next((i for i, (_, t) in enumerate(lines) if PART_RE.match(t)), None)
    if first_part is None:
        raise PlanError(path, lines[0][0], "no part heading such as '一、总体目标' found; is this a plan?")
    meta = _header(lines[:first_part], path)
    doc = _Draft(path="", kind="document", title=meta["标题"], label=meta["标题"], line=lines[0][0])
    part = group = section = item = None
    for n, text in lines[first_part:]:
        if text.startswith("抄送"):
            meta["抄送"] = text.partition("：")[2] or text
            continue
        if text.endswith("印发") and re.search(r"\d{4}年\d{1,2}月\d{1,2}日印发$", text):
            meta["印发"] = text
            continue
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
        elif (m := SECTION_RE.match(text)) and group is not None:
            title, rest = first_sentence(m.group(2))
            section = group.add(_Draft(f"{group.path}.S{len(group.children) + 1}", "section", title, title, n))
            item = None
            if rest:
                section.text.append(rest)
        elif m := ITEM_RE.match(text):
            owner = section or part
            if owner is None or (section is None and group is not None):
                raise PlanError(path, n, "a '——' item outside any part or section")
            title, _ = first_sentence(m.group(1))
            item = owner.add(_Draft(f"{owner.path}.I{len(owner.children) + 1}", "item", title, title, n))
            item.text.append(m.group(1))
        elif item is not None:
            item.text.append(text)
        elif section is not None:
            section.text.append(text)
        elif group is not None:
            group.text.append(text)
        elif part is not None:
            part.text.append(text)
        else:
            raise PlanError(path, n, f"text outside any part: {text[:30]!r}")
    return _freeze(doc, path, meta)


def _freeze(doc: _Draft, path: Path, meta: dict[str, str]) -> Document:
    key = path.stem
    nodes: list[Node] = []
    header_lines = [f"{name}：{meta[name]}" for name in ("标题", "文号", "发文机关", "成文日期", "发布日期", "来源", "主送", "抄送", "印发") if meta.get(name)]
    nodes.append(Node(id=f"{key}/HEAD", kind="document", doc=key, title=meta["标题"], label=meta["标题"], text="\n".join(header_lines), line=doc.line))
    if meta.get("前言"):
        nodes.append(Node(id=f"{key}/PRE", kind="preamble", doc=key, title="前言", label=f"{meta['标题']}{SEP}前言", text=meta["前言"], line=doc.line))

    def walk(draft: _Draft, parent_id: str | None) -> None:
        node_id = f"{key}/{draft.path}"
        text = "".join(draft.text)
        nodes.append(Node(
            id=node_id, kind=draft.kind, doc=key, title=draft.title, label=SEP.join(draft.crumbs()), text=text,  # type: ignore[arg-type]
            departments=parse_departments(text), parent=parent_id,
            children=tuple(f"{key}/{c.path}" for c in draft.children), line=draft.line,
        ))
        for child in draft.children:
            walk(child, node_id)

    for part in doc.children:
        walk(part, None)
    return Document(key=key, path=str(path), title=meta["标题"], number=meta.get("文号", ""),
                    issuer=meta.get("发文机关", ""), date=meta.get("成文日期", ""), meta=meta, nodes=tuple(nodes))


def corpus_files(corpus_dir: str | Path) -> list[Path]:
    """Every .txt plan in a corpus folder, sorted by name.

    Raises:
        FileNotFoundError: the folder is missing or holds no .txt file.
    """
    folder = Path(corpus_dir)
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        raise FileNotFoundError(f"no .txt plan in {folder}; put the plan text there (see README)")
    return files


def corpus_hash(files: list[Path]) -> str:
    """sha256 over the names and bytes of the corpus files."""
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()
