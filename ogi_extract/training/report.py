"""The evaluation report on disk: report.json (everything), report.md (for people), two plots."""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ogi_extract.training.synth.degrade import LEVELS  # noqa: E402

DEGRADATION_PLOT = "accuracy_by_degradation.png"
CONFUSION_PLOT = "confusions.png"


def write_report(report: dict, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "report.md", out / DEGRADATION_PLOT, out / CONFUSION_PLOT]
    paths[0].write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    paths[1].write_text(markdown(report), encoding="utf-8")
    plot_degradation(report["systems"], paths[2])
    plot_confusions(report["systems"], paths[3])
    return paths


def _f(v: float | None, digits: int = 3) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}"


def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"


def _by(systems: dict, key: str, order: list[str] | None = None) -> str:
    names = list(systems)
    groups = order or sorted({g for card in systems.values() for g in card[key]})
    rows = [[g, str(next((c[key][g].get("n", "") for c in systems.values() if g in c[key]), ""))]
            + [_f(systems[n][key].get(g, {}).get("f1")) for n in names] for g in groups]
    return _table([key.removeprefix("by_"), "documents"] + [f"{n} F1" for n in names], rows)


def markdown(report: dict) -> str:
    b, systems = report["benchmark"], report["systems"]
    parts = [
        "# Evaluation report\n\n",
        f"Benchmark `{b['path']}`, split `{b['split']}` ({b['documents']} documents), version {b['version']}, "
        f"sha256 `{b['sha256'][:16]}`"
        + (" (frozen test split)" if b.get("frozen") else " (not frozen: development data, not a held-out score)")
        + ".\n\n",
        *(f"Input of {name}: {what}.\n\n" for name, what in b.get("input", {}).items()),
        "## Summary\n\n",
        _table(["system", "precision", "recall", "field F1", "exact documents", "agency", "year", "format",
                "cell F1", "pages/s"],
               [[n, _f(s["fields"]["precision"]), _f(s["fields"]["recall"]), _f(s["fields"]["f1"]),
                 _f(s["documents"]["exact_match"], 2), _f(s["report_fields"]["agency"], 2),
                 _f(s["report_fields"]["year"], 2), _f(s["report_fields"]["format"], 2), _f(s["cells"]["f1"]),
                 _f(s["throughput"]["pages_per_second"], 2)]
                for n, s in ((n, c["summary"]) for n, c in systems.items())]),
    ]
    if report["ratios"]:
        parts += ["\n## ogi-extract relative to each peer (ratio > 1: ogi-extract is better / faster)\n\n",
                  _table(["peer", "field F1 ratio", "pages/s ratio"],
                         [[p, _f(r["f1"], 2), _f(r["pages_per_second"], 2)] for p, r in report["ratios"].items()])]
    order = [lvl for lvl in LEVELS if any(lvl in c["by_degradation"] for c in systems.values())]
    parts += [f"\n## Field F1 by degradation\n\n![]({DEGRADATION_PLOT})\n\n", _by(systems, "by_degradation", order),
              "\n## Field F1 by format\n\n", _by(systems, "by_format"),
              "\n## Field F1 by metric group\n\n", _by(systems, "by_group"),
              f"\n## Most confused ids (truth id → the id its value was reported under)\n\n![]({CONFUSION_PLOT})\n\n"]
    for name, card in systems.items():
        rows = [[a, b_, str(n)] for a, b_, n in card["confusions"]]
        parts.append(f"**{name}**\n\n" + (_table(["truth id", "predicted id", "documents"], rows) if rows
                                           else "none\n") + "\n")
    for name, card in systems.items():
        parts += [f"\n## Documents: {name}\n\n",
                  _table(["document", "degradation", "format", "F1", "tp", "fp", "fn"],
                         [[d["doc_id"], d["degradation"], d["format"], _f(d["f1"]), str(d["tp"]), str(d["fp"]),
                           str(d["fn"])] for d in card["documents"]])]
    return "".join(parts)


def plot_degradation(systems: dict, path: Path) -> None:
    levels = [lvl for lvl in LEVELS if any(lvl in c["by_degradation"] for c in systems.values())]
    levels += sorted({g for c in systems.values() for g in c["by_degradation"]} - set(levels))
    fig, ax = plt.subplots(figsize=(1.6 + 1.2 * max(len(levels), 1), 3.6))
    width = 0.8 / max(len(systems), 1)
    for i, (name, card) in enumerate(systems.items()):
        xs = [k + i * width for k in range(len(levels))]
        ax.bar(xs, [card["by_degradation"].get(lvl, {}).get("f1", 0.0) for lvl in levels], width, label=name)
    ax.set_xticks([k + width * (len(systems) - 1) / 2 for k in range(len(levels))], levels)
    ax.set_ylim(0, 1)
    ax.set_ylabel("field F1")
    ax.set_title("Field F1 by degradation level")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_confusions(systems: dict, path: Path) -> None:
    fig, axes = plt.subplots(len(systems), 1, figsize=(9, 1.0 + 2.6 * len(systems)), squeeze=False)
    for ax, (name, card) in zip(axes[:, 0], systems.items()):
        pairs = card["confusions"][::-1]
        ax.set_title(f"{name}: most confused ids (truth id -> predicted id)", fontsize=9)
        if not pairs:
            ax.text(0.5, 0.5, "none", ha="center", va="center")
            ax.axis("off")
            continue
        ax.barh([f"{a} → {b}" for a, b, _ in pairs], [n for *_, n in pairs], color="tab:red")
        ax.tick_params(axis="y", labelsize=7)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("documents")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
