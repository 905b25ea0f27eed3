"""Responsibility parentheses → the departments they name, in order, with the lead where the document names it."""

from __future__ import annotations

import re

from .departments import Level, gloss, normalize
from .records import Department

# A responsibility parenthesis: （A、B等负责） and its variants （A牵头，B、C配合） （责任单位：A、B） （牵头单位：A）.
# Department names hold no parentheses, so the inside is one run of non-parenthesis characters.
PAREN_RE = re.compile(r"（([^（）]*)）")
_DUTY_WORDS = re.compile(r"负责|^(?:责任|牵头)(?:单位|部门)：|牵头[，,；;]|牵头$")
# How a document says that the first listed department leads (with 下同: from here on).
LEAD_NOTE_RE = re.compile(r"(?:列|排在?)第一位(?:者|的(?:部门|单位))?为牵头(?:单位|部门)")
_ROLE_LABEL = re.compile(r"^(责任|牵头|配合|参与|协办)(单位|部门)：")
_NAME_SPLIT = re.compile(r"、|等和|及(?=各)|和(?=各)")
_TRAILING_ROLE = re.compile(r"(等)?(按职责分工)?(共同)?(牵头)?(负责|配合|参与|协助)?$")


def duty_spans(text: str) -> list[re.Match[str]]:
    """The responsibility parentheses in a text, in order (group 1 is the inside)."""
    return [m for m in PAREN_RE.finditer(text) if _DUTY_WORDS.search(m.group(1))]


def _names(listed: str, level: Level) -> list[str]:
    """Canonical names from one list such as 商务部、发展改革委等和各有关省级人民政府."""
    out = []
    for raw in _NAME_SPLIT.split(listed):
        name = normalize(raw.strip().removesuffix("等"), level)
        if name and name not in out:
            out.append(name)
    return out


def read_duty(inside: str, level: Level = "provincial", first_leads: bool = False) -> tuple[Department, ...]:
    """The departments named inside one responsibility parenthesis, in order, with the lead where known.

    Understands （A、B等负责）, （A、B负责。列第一位者为牵头单位，下同）, （A牵头，B、C配合）, （A、B牵头负责）,
    （责任单位：A、B）, （牵头单位：A；配合单位：B）, （A、B等和各省级人民政府负责）, （A按职责分工负责）, 共同负责.

    Args:
        inside: the text between the parentheses.
        level: the document's level, for name normalisation.
        first_leads: the document has said (列第一位者为牵头…下同) that the first listed leads.
    Returns:
        Departments in the printed order. Lead is marked only where the document shows it: the
        first listed under the convention or a note in this parenthesis, those named with 牵头, or a
        department named alone (without 等, and not a collective 各…); otherwise none is marked.
    """
    joint = "共同负责" in inside
    first_leads = first_leads or bool(LEAD_NOTE_RE.search(inside))
    named: list[str] = []
    leads: list[str] = []
    loose = False  # 等: the list is open, so a single name is not "named alone"
    for clause in re.split(r"[。；;，,]", inside):
        clause = clause.strip()
        if not clause or clause == "下同" or LEAD_NOTE_RE.search(clause):
            continue
        label = _ROLE_LABEL.match(clause)
        if label:
            listed, is_lead = clause[label.end():], label.group(1) == "牵头"
        else:
            role = _TRAILING_ROLE.search(clause)
            listed, is_lead = clause[: role.start()], bool(role.group(4))
            loose = loose or bool(role.group(1))
        loose = loose or "等" in listed
        names = [n for n in _names(listed, level) if n not in named]
        named += names
        if is_lead:
            leads += names
    # one department named alone leads; a collective (各省级人民政府, 各有关部门) alone is not one department
    alone = len(named) == 1 and not loose and not named[0].startswith("各")
    if not leads and named and (first_leads or alone):
        leads = named[:1]
    return tuple(Department(name=n, english=gloss(n), lead=n in leads, joint=joint) for n in named)


def without_duties(text: str) -> str:
    """The text with its responsibility parentheses taken out (other parentheses stay)."""
    return PAREN_RE.sub(lambda m: "" if _DUTY_WORDS.search(m.group(1)) else m.group(0), text).strip()
