"""Fast reps: every exercise rendered at a brisk real-world pace, counted through the real pose model.

The eval grids' reps last 1.8-3 s (the synth's ``rep_s`` at tempo 0.8-1.25). People in a hurry do
push-ups in 0.8 s and jumping jacks in 0.6 s; a counter tuned on slow reps can reject fast ones as
"too fast" or merge two into one. Each clip holds 12 clean reps at ``--pace`` times the brisk
pace below (1.0: these seconds per rep, before the synth's own per-set and per-rep variation),
filmed at 30 fps from the front and the side; ``deepfit-coach eval`` counts them in given and
auto mode.

    python benchmarks/fast_tempo.py --dir DIR [--seed0 38500] [--pace 1.0]

Prints the table by clip (results also in DIR/fast_tempo.json); BENCHMARKS.md "Fast reps" holds the runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_rendered import run_eval  # noqa: E402

# seconds per rep at a brisk pace (the synth's default reps take 2.0-2.6 s, jumping jacks 1.1)
BRISK_S = {"squats": 1.0, "lunges": 1.2, "bicep_curls": 0.9, "situps": 1.1, "pushups": 0.8,
           "tricep_extensions": 0.9, "dumbbell_rows": 0.9, "jumping_jacks": 0.6,
           "dumbbell_shoulder_press": 1.0, "lateral_shoulder_raises": 1.0}
VIEWS = ("front", "side")
REPS = 12


def build(directory: Path, seed0: int, pace: float) -> None:
    """Render the grid into ``directory`` (clips already there are kept)."""
    from deepfit_coach.synth import EXERCISES, EXERCISES_ORDER, ClipSpec, write_clip
    from deepfit_coach.synth.truth import truth_path

    directory.mkdir(parents=True, exist_ok=True)
    n = 0
    for ex in EXERCISES_ORDER:
        for view in VIEWS:
            n += 1
            out = directory / f"{ex}_{view}.mp4"
            if out.exists() and truth_path(out).exists():
                continue
            spec = ClipSpec(exercise=ex, reps=REPS, view=view, seed=seed0 + n, fps=30.0, fault_prob=0.0,
                            tempo=pace * BRISK_S[ex] / EXERCISES[ex].rep_s, rest_before=2.0, rest_after=1.5,
                            rest_kind="standing")
            write_clip(spec, out)
            print("rendered", out.name, file=sys.stderr)


def rep_seconds(directory: Path) -> dict[str, tuple[float, float]]:
    """Each clip's fastest and median true rep (s), from its truth file."""
    import numpy as np

    from deepfit_coach.synth.truth import Truth, truth_path

    out = {}
    for v in sorted(directory.glob("*.mp4")):
        t = Truth.load(truth_path(v))
        d = [(r.end_frame - r.start_frame) / t.fps for r in t.reps]
        out[v.name] = (min(d), float(np.median(d)))
    return out


def table(report: dict, secs: dict[str, tuple[float, float]]) -> list[str]:
    lines = ["| clip | true rep s (fastest, median) | truth | given | auto |", "|---|---|---|---|---|"]
    for s in report["sets"]:
        lo, med = secs[s["video"]]
        lines.append(f"| {s['video'].removesuffix('.mp4')} | {lo:.2f}, {med:.2f} | {s['truth']} | {s['given']} | "
                     f"{'-' if s['auto'] is None else s['auto']} |")
    sets = report["sets"]
    exact_g = sum(s["given"] == s["truth"] for s in sets)
    exact_a = sum(s["auto"] == s["truth"] for s in sets)
    o = report["overall"]
    lines += ["", f"Exact counts: given mode {exact_g} of {len(sets)}, auto mode {exact_a} of {len(sets)}; "
                  f"given MAE {o['given_mae']:.3f}, auto MAE {o['auto_mae']:.3f}."]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--seed0", type=int, default=38500)
    ap.add_argument("--pace", type=float, default=1.0, help="x the brisk seconds per rep (smaller: faster)")
    a = ap.parse_args()
    d = Path(a.dir)
    build(d, a.seed0, a.pace)
    report = run_eval(d)
    (d / "fast_tempo.json").write_text(json.dumps(report, indent=1))
    print("\n".join(table(report, rep_seconds(d))))


if __name__ == "__main__":
    main()
