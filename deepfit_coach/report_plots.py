"""PNG plots of analysis results (matplotlib Agg, imported only when a plot is asked for)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_signal(result, out: str | Path) -> Path:
    """The driving signal of each segment over time, its gates, and counted/partial reps."""
    plt = _pyplot()
    segs = [s for s in result.segments if s.trace]
    n = max(1, len(segs))
    fig, axes = plt.subplots(n, 1, figsize=(11, 3.2 * n), squeeze=False)
    for ax, seg in zip(axes[:, 0], segs):
        t = np.array([p.t_s for p in seg.trace])
        v = np.array([p.value for p in seg.trace], dtype=float)
        ax.plot(t, v, lw=1.2, color="tab:blue", label=seg.signal)
        ax.axhline(seg.start_gate, color="tab:green", ls="--", lw=0.8, label="start gate")
        ax.axhline(seg.turn_gate, color="tab:red", ls="--", lw=0.8, label="turn gate")
        for r in seg.reps:
            ax.axvspan(r.start_s, r.end_s, color="tab:green", alpha=0.12)
            ax.annotate(str(r.index), (r.end_s, np.nanmax(v) if np.isfinite(v).any() else 0), fontsize=8)
            if r.issues:
                ax.text(r.start_s, np.nanmin(v) if np.isfinite(v).any() else 0, "\n".join(r.issues), fontsize=6,
                        color="tab:red", va="bottom")
        for r in seg.partial:
            ax.axvspan(r.start_s, r.end_s, color="tab:orange", alpha=0.15)
        ax.set_title(f"{seg.exercise}: {len(seg.reps)} reps, {len(seg.partial)} partial")
        ax.set_xlabel("time (s)")
        ax.set_ylabel(seg.signal)
        ax.legend(loc="upper right", fontsize=7)
    if not segs:
        axes[0, 0].text(0.5, 0.5, "no exercise found", ha="center", va="center")
    fig.tight_layout()
    out = Path(out)
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


def plot_confusion(matrix: np.ndarray, labels: list[str], out: str | Path, title: str = "") -> Path:
    """Row-normalised confusion matrix (rows: truth, columns: predicted) with counts."""
    plt = _pyplot()
    m = np.asarray(matrix, dtype=float)
    norm = m / np.maximum(m.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(1 + 0.75 * len(labels), 1 + 0.7 * len(labels)))
    ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if m[i, j]:
                ax.text(j, i, int(m[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if norm[i, j] > 0.5 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("truth")
    ax.set_title(title or "exercise classification")
    fig.tight_layout()
    out = Path(out)
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out
