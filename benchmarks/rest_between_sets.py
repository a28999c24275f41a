"""Auto mode through rests that move, with and without the hidden-set pass (``analysis.hidden_sets``).

A stretch the classifier calls rest becomes a set when a likely exercise's counter finds 3+ reps
there. This checks that real rest does not: workouts of three 6-rep sets with 15-s rests of one
kind each (stretching, walking in place, picking up weights, walking across; 10 s before the first
set), front / side / 45 degrees, every exercise in turn (seeds 36001+), and 40-s clips of nothing
but rest (seeds 36101+, back view included), rendered at 15 fps and posed once with MediaPipe full.

    python benchmarks/rest_between_sets.py render --dir DIR [--jobs 2]   # ~5 min on two cores
    python benchmarks/rest_between_sets.py score --dir DIR               # prints both modes' table

A true set's count: the reps of segments of its exercise that ``evaluation.in_set`` gives it (the
middle within the set +-1 s, as ``eval``'s auto count); reps outside sets: counted reps in no set;
phantom segments: segments overlapping no set.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORKOUT_SEED0, REST_SEED0 = 36001, 36101
WORKOUTS = 12
REST_KINDS = ("stretching", "walk_in_place", "pick_up_weights", "walk_across")
VIEWS = ("front", "side", "45")
REST_CLIPS = (("stretching", "back"), ("walk_in_place", "side"), ("pick_up_weights", "front"),
              ("walk_across", "45"), ("standing", "back"), ("stretching", "front"))


def specs():
    """(file stem, spec) of every clip."""
    from deepfit_coach.synth import EXERCISES_ORDER, ClipSpec, SetSpec, WorkoutSpec

    out = []
    for k in range(WORKOUTS):
        exs = [EXERCISES_ORDER[(3 * k + j) % len(EXERCISES_ORDER)] for j in range(3)]
        out.append((f"wk_{WORKOUT_SEED0 + k}",
                    WorkoutSpec(sets=[SetSpec(e, 6, fault_prob=0.3) for e in exs], view=VIEWS[k % len(VIEWS)],
                                seed=WORKOUT_SEED0 + k, fps=15.0, rest_s=15.0, rest_before=10.0, rest_after=5.0,
                                rest_kinds=(REST_KINDS[k % len(REST_KINDS)],))))
    for k, (kind, view) in enumerate(REST_CLIPS):
        out.append((f"rest_{k}", ClipSpec(exercise=kind, view=view, seed=REST_SEED0 + k, fps=15.0, duration=40.0)))
    return out


def render_one(directory: Path, stem: str, spec) -> str:
    from deepfit_coach.analysis import load_poses
    from deepfit_coach.synth import write_clip

    out = directory / f"{stem}.mp4"
    if not (out.exists() and out.with_suffix(".truth.json").exists()):
        write_clip(spec, out)
    load_poses(out, cache=directory / f"{stem}.poses.jsonl")
    return stem


def render(directory: Path, jobs: int) -> None:
    from rich.progress import Progress

    directory.mkdir(parents=True, exist_ok=True)
    todo = specs()
    with Progress() as bar, ProcessPoolExecutor(jobs) as pool:
        task = bar.add_task("render + pose model", total=len(todo))
        for f in [pool.submit(render_one, directory, stem, spec) for stem, spec in todo]:
            f.result()
            bar.advance(task)


def score(directory: Path, hidden: bool) -> dict:
    import deepfit_coach.analysis as analysis
    from deepfit_coach.evaluation import in_set
    from deepfit_coach.synth.truth import Truth

    saved = analysis.HIDDEN_SET_S
    analysis.HIDDEN_SET_S = saved if hidden else float("inf")
    tot = dict(sets=0, exact=0, within_one=0, outside=0, phantom=0, rest_clip_segments=0)
    try:
        for stem, _ in specs():
            truth = Truth.load(directory / f"{stem}.truth.json")
            res = analysis.analyze_poses(analysis.load_poses(directory / f"{stem}.poses.jsonl"), None)
            sets = [(s["exercise"], s["start_frame"] / truth.fps, s["end_frame"] / truth.fps, s["reps"])
                    for s in truth.sets]
            inside = set()
            for ex, a, b, n in sets:
                got = 0
                for seg in res.segments:
                    for r in seg.reps:
                        if in_set(r, a, b):
                            inside.add(id(r))
                            got += seg.exercise == ex
                tot["sets"] += 1
                tot["exact"] += got == n
                tot["within_one"] += abs(got - n) <= 1
            for seg in res.segments:
                tot["outside"] += sum(1 for r in seg.reps if id(r) not in inside)
                tot["phantom"] += not any(min(seg.end_s, b) > max(seg.start_s, a) for _, a, b, _ in sets)
            tot["rest_clip_segments"] += len(res.segments) if not sets else 0
    finally:
        analysis.HIDDEN_SET_S = saved
    return tot


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=("render", "score"))
    ap.add_argument("--dir", type=Path, required=True)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    if args.what == "render":
        render(args.dir, args.jobs)
        return
    print("| hidden-set pass | sets | exact | within one | reps outside sets | phantom segments | segments in rest clips |")
    print("|---|---|---|---|---|---|---|")
    for hidden in (False, True):
        t = score(args.dir, hidden)
        print(f"| {'on' if hidden else 'off'} | {t['sets']} | {t['exact']} | {t['within_one']} | {t['outside']} "
              f"| {t['phantom']} | {t['rest_clip_segments']} |")


if __name__ == "__main__":
    main()
