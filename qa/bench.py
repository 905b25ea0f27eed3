"""`qa bench`: cold start, index build, search/ask latency, raw embedding time, pipeline overhead, memory."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .config import ROOT, Settings
from .evaluate import load_questions, percentile


def _timed(fn, items: list) -> list[float]:  # noqa: ANN001 - any callable over the items
    out = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def _stats(values: list[float]) -> dict[str, float]:
    return {"p50": round(percentile(values, 50), 2), "p95": round(percentile(values, 95), 2), "n": len(values)}


def cold_start(settings: Settings, runs: int = 3) -> dict[str, float]:
    """Seconds for a new process to import qa and load the index (index already built)."""
    code = "import time; t=time.perf_counter(); import qa; qa.Assistant(); print(time.perf_counter()-t)"
    env = {**os.environ, "QA_INDEX": str(settings.index_dir), "QA_CORPUS": str(settings.corpus_dir),
           "QA_EMBEDDER": settings.embedder}
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return {"median_s": round(statistics.median(times), 3), "runs": runs}


def run_bench(settings: Settings | None = None, qa_file: str | Path | None = None, repeat: int = 2) -> dict:
    """Measure everything and return it as a dict.

    Args:
        settings: corpus, index and embedder.
        qa_file: questions to time (eval/qa.jsonl by default).
        repeat: passes over the questions for the latency figures (after one warm-up pass).
    """
    from . import Assistant
    from .index import build

    settings = settings or Settings()
    rows = load_questions(qa_file or ROOT / "eval" / "qa.jsonl")
    questions = [r.question for r in rows]
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        fresh = settings.with_(index_dir=Path(tmp))
        started = time.perf_counter()
        build(fresh, show_bar=False)
        build_s = time.perf_counter() - started
        cold = cold_start(fresh)
    assistant = Assistant(settings)
    embedder = assistant.index.embedder
    for q in questions:  # warm-up: caches, jieba, the engine's buffers
        assistant.search(q)
    search_ms, ask_ms, embed_ms, dense_ms, bm25_ms = [], [], [], [], []
    for _ in range(repeat):
        embed_ms += _timed(lambda q: embedder.embed_queries([q]), questions)
        search_ms += _timed(assistant.search, questions)
        dense_ms += _timed(lambda q: assistant.search(q, retriever="dense"), questions)
        bm25_ms += _timed(lambda q: assistant.search(q, retriever="bm25"), questions)
        ask_ms += _timed(lambda r: assistant.ask(r.question, history=list(r.history)), rows)
    search, embed = _stats(search_ms), _stats(embed_ms)
    return {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "processor": platform.processor() or platform.machine()},
        "embedder": assistant.index.manifest["embedder"],
        "questions": len(questions),
        "repeat": repeat,
        "index_build_s": round(build_s, 2),
        "chunks": len(assistant.index.chunks),
        "cold_start": cold,
        "latency_ms": {"search_hybrid": search, "search_dense": _stats(dense_ms), "search_bm25": _stats(bm25_ms),
                       "ask": _stats(ask_ms), "embed_query": embed},
        "search_over_embed_p50": round(search["p50"] / embed["p50"], 2) if embed["p50"] else None,
        "peak_rss_mb": {"bench": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                        "cold_start_process": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)},
    }


def table(result: dict) -> str:
    """The benchmark as a Markdown table."""
    lat = result["latency_ms"]
    rows = [
        (f"index build (fresh, {result['chunks']} chunks)", f"{result['index_build_s']} s"),
        ("cold start (import qa + load index)", f"{result['cold_start']['median_s']} s (median of {result['cold_start']['runs']})"),
        *[(f"{name} p50 / p95", f"{v['p50']} / {v['p95']} ms") for name, v in lat.items()],
        ("hybrid search ÷ raw query embedding (p50)", f"{result['search_over_embed_p50']}×"),
        ("peak memory (bench process / cold-start process)",
         f"{result['peak_rss_mb']['bench']} / {result['peak_rss_mb']['cold_start_process']} MB"),
    ]
    head = (f"Machine: {result['machine']['cpus']} CPUs, {result['machine']['platform']}, Python {result['machine']['python']}; "
            f"embedder {result['embedder']}; {result['questions']} questions × {result['repeat']} passes.\n\n")
    return head + "| measure | value |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows) + "\n"


def write(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
