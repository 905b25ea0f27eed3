"""Evaluation report files: report.json, report.md (tables per split) and report.png (the splits side by side)."""

from __future__ import annotations

import json
from pathlib import Path

ANSWER_ROWS = (
    ("accuracy", "answer accuracy (facts, lead, citations; declines for unanswerable)"),
    ("facts", "all required facts in the answer (answerable)"),
    ("lead", "lead department correct"),
    ("declined_zh", "off-topic declined, Chinese"),
    ("declined_en", "off-topic declined, English"),
    ("wrongly_declined", "answerable wrongly declined"),
    ("evidence", "quoted sentence is the gold sentence"),
    ("citations_ok", "quotes verbatim inside their cited item"),
)


def _pct(value: float) -> str:
    return f"{value:.3f}"


def _cell(metric: dict | None) -> str:
    return f"{_pct(metric['rate'])} ({metric['n']})" if metric and metric["n"] else "—"


def markdown(report: dict) -> str:
    """The report as Markdown: setup, retrieval per split, answers per split and type, the gap, misses."""
    splits = list(report["answers"])
    lines = [
        "# Evaluation report", "",
        f"- date: {report['date']}",
        f"- question set: `{report['qa_file']}` — {report['questions']} questions "
        f"({', '.join(f'{s} {n}' for s, n in report['by_split'].items())}; "
        f"{', '.join(f'{t} {n}' for t, n in report['by_type'].items() if n)})",
        "- dev is tuned on; a held-out split is written before the changes it measures and is never tuned on",
        *[f"- {split}: {why}" for split, why in report.get("held_out", {}).items()],
        f"- corpus sha256: `{report['corpus_sha256'][:16]}…`",
        f"- settings: {', '.join(f'{k}={v}' for k, v in report['settings'].items())}",
        f"- run time: {report['seconds']} s", "",
        "## Retrieval", "",
        "| configuration | split | Recall@1 | Recall@3 | Recall@5 | MRR@10 | nDCG@5 | p50 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in report["configurations"]:
        for split, metrics in c["metrics"].items():
            m = metrics.get("all")
            if m:
                lines.append(f"| {c['name']} | {split} (n={m['n']}) | {_pct(m['recall@1'])} | {_pct(m['recall@3'])} | "
                             f"{_pct(m['recall@5'])} | {_pct(m['mrr@10'])} | {_pct(m['ndcg@5'])} | {c['latency_ms']['p50']} |")
    a = report["answer_settings"]
    lines += ["", f"## Answers ({a['retriever']} · {a['embedder']}, composed mode)", "",
              "| metric | " + " | ".join(splits) + " |", "|---|" + "---|" * len(splits)]
    for key, label in ANSWER_ROWS:
        lines.append(f"| {label} | " + " | ".join(_cell(report["answers"][s].get(key)) for s in splits) + " |")
    types = sorted({t for s in splits for t in report["answers"][s]["by_type"]})
    lines += ["", "Accuracy by question type (rate, questions):", "",
              "| type | " + " | ".join(splits) + " |", "|---|" + "---|" * len(splits)]
    for t in types:
        lines.append(f"| {t} | " + " | ".join(_cell(report["answers"][s]["by_type"].get(t)) for s in splits) + " |")
    gaps = report.get("answer_gaps_dev_minus") or ({"test": report["answer_gap_dev_minus_test"]}
                                                   if report.get("answer_gap_dev_minus_test") is not None else {})
    lines += ["", "; ".join(f"Dev − {split} gap in answer accuracy: {gap:+.3f}" for split, gap in gaps.items()) + "."
              if gaps else "",
              f"Ask latency p50 / p95: {a['latency_ms']['p50']} / {a['latency_ms']['p95']} ms.", "", "## Misses", ""]
    for c in report["configurations"]:
        if c["misses_at_k"]:
            lines.append(f"- {c['name']}: gold not in top {report['k']}: {', '.join(c['misses_at_k'])}")
    for miss in report["answer_misses"]:
        why = "declined" if miss.get("abstained") else ("missing " + "、".join(miss.get("missing") or []) or "answered")
        lines.append(f"- {miss['split']} {miss['id']} ({miss['type']}, {why}): {miss['question']} → {miss['got']}")
    if not report["answer_misses"]:
        lines.append("- no answer misses")
    return "\n".join(lines) + "\n"


def chart(report: dict, path: Path) -> None:
    """Left: Recall@1 per configuration, one bar per split. Right: answer accuracy per type, one bar per split."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    configs = report["configurations"]
    splits = list(report["answers"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.2))
    width = 0.8 / max(1, len(splits))
    for i, split in enumerate(splits):
        values = [c["metrics"].get(split, {}).get("all", {}).get("recall@1", 0.0) for c in configs]
        left.bar([x + i * width for x in range(len(configs))], values, width=width, label=split)
    left.set_xticks([x + 0.4 - width / 2 for x in range(len(configs))], [c["name"] for c in configs], rotation=20,
                    ha="right")
    left.set_ylim(0, 1.05)
    left.set_title("Retrieval Recall@1 per configuration and split")
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=3, fontsize=8)
    types = sorted({t for s in splits for t in report["answers"][s]["by_type"]})
    for i, split in enumerate(splits):
        values = [report["answers"][split]["by_type"].get(t, {}).get("rate", 0.0) for t in types]
        right.bar([x + i * width for x in range(len(types))], values, width=width, label=split)
    right.set_xticks([x + 0.4 - width / 2 for x in range(len(types))], types, rotation=30, ha="right")
    right.set_ylim(0, 1.05)
    right.set_title("Answer accuracy per question type and split")
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(report: dict, out_dir: Path) -> None:
    """Write report.json, report.md and report.png into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out_dir / "report.md").write_text(markdown(report), encoding="utf-8")
    chart(report, out_dir / "report.png")
