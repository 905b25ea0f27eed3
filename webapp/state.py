"""The one assistant the app serves, loaded on first use with the index build shown as progress."""

from __future__ import annotations

import threading
from collections.abc import Callable

import qa
from qa.feedback import FeedbackStore

_assistant: qa.Assistant | None = None
_feedback: FeedbackStore | None = None
_lock = threading.Lock()

Reporter = Callable[[int, int, str], None]
Tracker = Callable[..., object]  # a gr.Progress: called with ((done, total), desc=...)


def progress_reporter(progress: Tracker) -> Reporter:
    """The index build's (done, total, stage) reports shown on a Gradio progress bar."""

    def report(done: int, total: int, stage: str) -> None:
        progress((done, total), desc=f"首次启动，正在建立索引：{stage}")

    return report


def get_assistant(progress: Tracker | None = None) -> qa.Assistant:
    """The shared assistant, loaded (or its index built) on first use; later calls return it at once.

    Args:
        progress: a Gradio progress tracker that shows the index build, if one happens.
    Raises:
        qa.PlanError: the corpus cannot be parsed. FileNotFoundError: no corpus.
    """
    global _assistant
    if _assistant is None:
        with _lock:
            if _assistant is None:
                report = progress_reporter(progress) if progress is not None else None
                _assistant = qa.Assistant(qa.Settings(), progress=report)
    return _assistant


def reload() -> qa.Assistant:
    """Load the assistant again from its (just re-indexed) corpus and serve the new one from now on.

    The embedder instance is kept, so a reload after `qa.library.add` re-reads the index without loading
    the model again; answers already under way finish on the assistant they started with.
    """
    global _assistant
    with _lock:
        old = _assistant
        if old is None:
            _assistant = qa.Assistant(qa.Settings())
        else:
            _assistant = qa.Assistant(old.settings, embedder=old.index.embedder)
    return _assistant


def loaded() -> bool:
    """Whether the assistant has been loaded (importing the app must not load it)."""
    return _assistant is not None


def feedback_store() -> FeedbackStore:
    """The ratings store, in QA_DATA (or the user's data folder), opened on first use.

    Raises:
        OSError: the data folder cannot be created.
    """
    global _feedback
    if _feedback is None:
        with _lock:
            if _feedback is None:
                _feedback = FeedbackStore()
    return _feedback
