"""Evaluation report files: report.json, report.md (tables at a glance) and report.png (recall chart)."""

from __future__ import annotations

import json
from pathlib import Path


def _pct(value: float) -> str:
    return f"{value:.3f}"


def markdown(report: dict) -> str:
    """The report as Markdown: configuration, retrieval table, per-type table, answer metrics, misses."""
    lines = [
        "# Evaluation report",
        "",
        f"- date: {report['date']}",
        f"- question set: `{report['qa_file']}` — {report['questions']} questions "
        f"({', '.join(f'{t} {n}' for t, n in report['by_type'].items() if n)}); "
        f"{report['retrieval_questions']} have gold items a retriever should rank",
        f"- corpus sha256: `{report['corpus_sha256'][:16]}…`",
        f"- settings: {', '.join(f'{k}={v}' for k, v in report['settings'].items())}",
        f"- models: {', '.join(sorted({c['embedder'] for c in report['configurations'] if c['retriever'] != 'bm25'}))}",
        f"- run time: {report['seconds']} s",
        "",
        "## Retrieval (all retrieval questions)",
        "",
        "| configuration | Recall@1 | Recall@3 | Recall@5 | MRR@10 | nDCG@5 | latency p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in report["configurations"]:
        m = c["metrics"]["all"]
        lines.append(f"| {c['name']} | {_pct(m['recall@1'])} | {_pct(m['recall@3'])} | {_pct(m['recall@5'])} | "
                     f"{_pct(m['mrr@10'])} | {_pct(m['ndcg@5'])} | {c['latency_ms']['p50']} | {c['latency_ms']['p95']} |")
    hybrid = next((c for c in report["configurations"] if c["retriever"] == "hybrid"), None)
    naive = next((c for c in report["configurations"] if c["retriever"] == "naive"), None)
    if hybrid and naive:
        h, n = hybrid["metrics"]["all"], naive["metrics"]["all"]
        lines += ["", f"Hybrid vs naive chunking: Recall@1 {h['recall@1'] - n['recall@1']:+.3f}, "
                      f"Recall@5 {h['recall@5'] - n['recall@5']:+.3f}, MRR@10 {h['mrr@10'] - n['mrr@10']:+.3f}."]
    types = [t for t in ("target", "dept", "lead", "paraphrase", "english", "metadata")
             if any(t in c["metrics"] for c in report["configurations"])]
    lines += ["", "## Recall@5 by question type", "",
              "| configuration | " + " | ".join(f"{t} (n={report['configurations'][0]['metrics'].get(t, {}).get('n', 0)})" for t in types) + " |",
              "|---|" + "---|" * len(types)]
    for c in report["configurations"]:
        lines.append(f"| {c['name']} | " + " | ".join(_pct(c["metrics"].get(t, {}).get("recall@5", 0.0)) for t in types) + " |")
    a = report["answers"]
    lines += [
        "", f"## Answers ({a['retriever']} · {a['embedder']}, composed mode)", "",
        "| metric | value | questions |", "|---|---|---|",
        f"| facts correct (all required facts in the answer) | {_pct(a['facts'])} | {a['facts_n']} |",
        f"| lead department correct | {_pct(a['lead'])} | {a['lead_n']} |",
        f"| figures correct (target questions) | {_pct(a['figures'])} | {a['figures_n']} |",
        f"| unanswerable declined correctly | {_pct(a['declined_correctly'])} | {a['declined_correctly_n']} |",
        f"| answerable wrongly declined | {_pct(a['wrongly_declined'])} | {a['wrongly_declined_n']} |",
        f"| follow-ups resolved | {_pct(a['followups'])} | {a['followups_n']} |",
        f"| citations check out (quotes inside the cited item) | {_pct(a['citations_ok'])} | {a['citations_ok_n']} |",
        f"| ask latency p50 / p95 ms | {a['latency_ms']['p50']} / {a['latency_ms']['p95']} | |",
        "", "## Misses", "",
    ]
    for c in report["configurations"]:
        if c["misses_at_k"]:
            lines.append(f"- {c['name']}: gold not in top {report['k']}: {', '.join(c['misses_at_k'])}")
    for miss in report["answer_misses"]:
        lines.append(f"- answer {miss['id']} ({miss['kind']}): {miss['question']} → {miss['got']}")
    if not report["answer_misses"]:
        lines.append("- no answer misses")
    return "\n".join(lines) + "\n"


def chart(report: dict, path: Path) -> None:
    """Recall@1/3/5 per configuration, and Recall@5 per question type."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    configs = report["configurations"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.2))
    width = 0.8 / 3
    for i, metric in enumerate(("recall@1", "recall@3", "recall@5")):
        left.bar([x + i * width for x in range(len(configs))], [c["metrics"]["all"][metric] for c in configs],
                 width=width, label=metric)
    left.set_xticks([x + width for x in range(len(configs))], [c["name"] for c in configs], rotation=20, ha="right")
    left.set_ylim(0, 1.05)
    left.set_title("Recall@k per configuration")
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=3, fontsize=8)
    types = [t for t in ("target", "dept", "lead", "paraphrase", "english", "metadata") if t in configs[0]["metrics"]]
    width = 0.8 / max(1, len(configs))
    for i, c in enumerate(configs):
        right.bar([x + i * width for x in range(len(types))], [c["metrics"].get(t, {}).get("recall@5", 0) for t in types],
                  width=width, label=c["name"])
    right.set_xticks([x + 0.4 - width / 2 for x in range(len(types))], types)
    right.set_ylim(0, 1.05)
    right.set_title("Recall@5 per question type")
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(report: dict, out_dir: Path) -> None:
    """Write report.json, report.md and report.png into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out_dir / "report.md").write_text(markdown(report), encoding="utf-8")
    chart(report, out_dir / "report.png")
