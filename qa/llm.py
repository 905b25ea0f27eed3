"""Optional language-model answers from an OpenAI-compatible chat endpoint, grounded on retrieved items only."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .records import Answer, Citation, Hit

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

MARKER_RE = re.compile(r"\[(\d{1,2})\]")
SYSTEM_PROMPT = (
    "你是山东省“互联网+”行动计划的问答助手。只根据下面编号的计划原文回答，不要编造部门、数字或年份；"
    "每个事实后标注来源编号，如[1]。计划原文没有答案时，直接说“计划中没有涉及”。"
    "“列第一位者为牵头部门”。用提问的语言回答；英文回答中部门名保留中文。"
)


@dataclass(frozen=True, slots=True)
class LLMSettings:
    """Where the model is: QA_LLM_BASE_URL, QA_LLM_MODEL, QA_LLM_API_KEY, QA_LLM_TIMEOUT."""

    base_url: str
    model: str
    api_key: str
    timeout: float


def llm_settings() -> LLMSettings | None:
    """The model endpoint from the environment, or None when language-model mode is off (the default)."""
    base = os.environ.get("QA_LLM_BASE_URL", "").strip()
    if not base:
        return None
    return LLMSettings(base_url=base.rstrip("/"), model=os.environ.get("QA_LLM_MODEL", "default"),
                       api_key=os.environ.get("QA_LLM_API_KEY", ""),
                       timeout=float(os.environ.get("QA_LLM_TIMEOUT", "30")))


def _chat(settings: LLMSettings, messages: list[dict[str, str]]) -> str:
    import urllib.request  # here, not at the top: every `qa ask` imports this module, few use a model

    url = settings.base_url + ("" if settings.base_url.endswith("/chat/completions") else "/chat/completions")
    body = json.dumps({"model": settings.model, "messages": messages, "temperature": 0}, ensure_ascii=False)
    request = urllib.request.Request(url, data=body.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {})})
    with urllib.request.urlopen(request, timeout=settings.timeout) as response:
        payload = json.loads(response.read().decode("utf-8"))
    content = payload["choices"][0]["message"]["content"]
    if not isinstance(content, str) or not content.strip():
        raise ValueError("the model returned an empty answer")
    return content.strip()


def generate(search: Callable[[str, int], list[Hit]], composed: Answer, history: list[str]) -> Answer:
    """The model's answer over the retrieved items; on any error or timeout, the composed answer, saying so.

    Args:
        search: question, k → hits (the retrieved items the model sees besides the cited ones).
        composed: the composed answer (its citations come first among the items the model sees).
        history: earlier questions, for context.
    """
    settings = llm_settings()
    if settings is None:
        return composed
    items: list[Citation] = list(composed.citations)
    seen = {c.id for c in items}
    for hit in search(composed.question, 5):
        if hit.node_id not in seen:
            seen.add(hit.node_id)
            items.append(Citation(n=len(items) + 1, id=hit.node_id, label=hit.label, text=hit.text))
    context = "\n\n".join(f"[{c.n}] {c.label}\n{c.text}" for c in items)
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    if history:
        messages.append({"role": "user", "content": "此前的问题：" + "；".join(history)})
    messages.append({"role": "user", "content": f"计划原文：\n{context}\n\n问题：{composed.question}"})
    try:
        text = _chat(settings, messages)
    except (TimeoutError, OSError,  # URLError is an OSError
            ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning("language model at %s failed (%s); using the composed answer", settings.base_url, exc)
        note = (f"The language model was unavailable ({type(exc).__name__}); this answer is composed from the plan."
                if composed.language == "en" else f"语言模型不可用（{type(exc).__name__}），以下为根据计划原文组成的回答。")
        return replace(composed, answer=f"{note}\n{composed.answer}", note=note)
    by_n = {c.n: c for c in items}
    # markers that match no retrieved item are dropped; cited items are renumbered in order of use
    used: list[int] = []
    for match in MARKER_RE.finditer(text):
        n = int(match.group(1))
        if n in by_n and n not in used:
            used.append(n)
    renumber = {old: new for new, old in enumerate(used, start=1)}

    def swap(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f"[{renumber[n]}]" if n in renumber else ""

    body = MARKER_RE.sub(swap, text)
    citations = tuple(replace(by_n[old], n=renumber[old], quotes=()) for old in used)
    body += "\n" + "\n".join(f"[{c.n}] {c.label}" for c in citations)
    return replace(composed, answer=body, citations=citations, note=None)
