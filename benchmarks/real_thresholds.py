"""Check the catalogue's up/down gates against 812 real poses (ML Kit samples).

Each labelled pose of a real person (pushups_up/down, squats_up/down, 33 landmarks in
pixels) is measured with the catalogue's own counting signal; an "up" pose must lie on
the start side of ``start_gate`` and a "down" pose beyond ``turn_gate``. The pixel x, y
stand in for world coordinates with z = 0: ML Kit's z is on another scale (its range is
2-4x that of y), so 3D angles from it are meaningless. Writes
benchmarks/results/eval_real_thresholds.md, included in BENCHMARKS.md by eval_rendered.py.

    python benchmarks/real_thresholds.py [CSV]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

from deepfit_coach.counting.signals import SignalExtractor
from deepfit_coach.exercises import get_exercise

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "real" / "mlkit_fitness_pose_samples.csv"
OUT = Path(__file__).resolve().parent / "results" / "eval_real_thresholds.md"


def read_samples(path: Path) -> list[tuple[str, np.ndarray]]:
    out = []
    with open(path, newline="") as f:
        for row in csv.reader(f):
            if len(row) < 2 + 99:
                continue
            out.append((row[1], np.array(row[2:2 + 99], dtype=float).reshape(33, 3)))
    return out


def check(path: Path) -> dict[str, dict]:
    """Per label: n, share on the right side of the gate, signal median/5%/95%."""
    results: dict[str, dict] = {}
    extractors = {}
    for label, pts in read_samples(path):
        ex, pos = label.rsplit("_", 1)
        spec = get_exercise(ex)
        if ex not in extractors:
            extractors[ex] = SignalExtractor(spec)
        flat = np.concatenate([pts[:, :2], np.zeros((33, 1))], axis=1)
        values, _, _ = extractors[ex].compute(pts[:, :2], flat, np.ones(33))
        c = spec.counting
        v = values[c.signal.name]
        d = c.direction
        if pos == "up" and spec.start_position == "top" or pos == "down" and spec.start_position == "bottom":
            ok = d * v <= d * c.start_gate  # a start-position pose
            crosses = d * v >= d * c.turn_gate  # ... that would also pass for a turning point
            gate = ("start_gate", c.start_gate)
        else:
            ok = d * v >= d * c.turn_gate   # a turning-point pose
            crosses = d * v <= d * c.start_gate
            gate = ("turn_gate", c.turn_gate)
        r = results.setdefault(label, {"n": 0, "ok": 0, "cross": 0, "values": [], "gate": gate,
                                       "signal": c.signal.name})
        r["n"] += 1
        r["ok"] += bool(ok)
        r["cross"] += bool(crosses)
        r["values"].append(v)
    for r in results.values():
        vals = np.array(r.pop("values"))
        r["share"] = r["ok"] / r["n"]
        r["cross_share"] = r["cross"] / r["n"]
        r["p5"], r["median"], r["p95"] = (float(np.nanpercentile(vals, q)) for q in (5, 50, 95))
    return results


def markdown(results: dict[str, dict]) -> str:
    lines = ["### Catalogue thresholds on real poses", "",
             "812 single-frame poses of real people (ML Kit samples, ../shared/real/), measured with each "
             "exercise's own counting signal: an *up* pose must be on the start side of the start gate, a "
             "*down* pose past the turn gate. Image x, y are used (ML Kit's z is on another scale), so "
             "this also checks that the gates hold for a 2D view (`python benchmarks/real_thresholds.py`).", "",
             "*Also past the other gate*: the share of poses that would pass for the opposite position too.", "",
             "| label | poses | signal | gate | right side | also past the other gate | 5% / median / 95% of signal |",
             "|---|---|---|---|---|---|---|"]
    for label in sorted(results):
        r = results[label]
        lines.append(f"| {label} | {r['n']} | {r['signal']} | {r['gate'][0]} {r['gate'][1]:g} | {r['share']:.1%} | "
                     f"{r['cross_share']:.1%} | {r['p5']:.2f} / {r['median']:.2f} / {r['p95']:.2f} |")
    total = sum(r["n"] for r in results.values())
    ok = sum(r["ok"] for r in results.values())
    cross = sum(r["cross"] for r in results.values())
    lines.append(f"| **all** | {total} | | | {ok / total:.1%} | {cross / total:.1%} | |")
    return "\n".join(lines) + "\n"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CSV
    if not path.exists():
        sys.exit(f"{path}: not found")
    text = markdown(check(path))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
