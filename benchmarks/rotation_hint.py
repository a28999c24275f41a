"""Videos stored a quarter turn off: does ``analyze`` name the turn that counts them, and never a turn
for a video that is upright?

    python benchmarks/rotation_hint.py [GRID_DIR ...] [--cache poses_rec]
    python benchmarks/rotation_hint.py --real DIR      # rendered clips turned by ffmpeg, through the pose model

Each grid clip's cached poses (GRID_DIR/CACHE/NAME.poses.jsonl, the real pose model's output on the
rendered clip) are analysed in auto mode as filmed (a hint there is a false one), and, for the standing
exercises, turned a quarter each way (``Skeleton.rotated``: the pose model's landmarks of a turned picture
lie within 1-2 px of the upright run's turned, tests/test_rotation.py), as a video stored sideways would
read; ``rotation.sideways_hint`` should then name the turn back. Upside-down videos are turned by
themselves (``rotation.upright``) and are not in this table. No pose model runs: about 2 minutes for the
four check grids on two shared cores.

``--real DIR`` checks the same on pictures, not poses: eight standing exercises rendered (640x480, 15 fps,
seeds 62001+), each stored a quarter turn clockwise and anticlockwise by ``ffmpeg -vf transpose``, then
``deepfit-coach analyze --json`` on them (the pose model runs on the turned frames; about 6 minutes).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from deepfit_coach.analysis import analyze_poses, load_poses  # noqa: E402
from deepfit_coach.exercises import load_catalogue  # noqa: E402
from deepfit_coach.rotation import main_confidence, sideways_hint, turn_poses  # noqa: E402

LYING = ("pushups", "situps", "rest_", "standing", "walk_", "stretching", "pick_up", "get_into")
DEFAULT_GRIDS = [f"/work/data/{g}" for g in ("eval_heldout", "eval45_heldout", "fresh4", "pool_a")]


REAL = ("squats", "lunges", "bicep_curls", "dumbbell_shoulder_press", "lateral_shoulder_raises", "jumping_jacks",
        "tricep_extensions", "dumbbell_rows")


def real(out: Path) -> None:
    """Rendered clips turned by ffmpeg (the pose model on turned pictures): the hint each gets."""
    import json
    import subprocess

    out.mkdir(parents=True, exist_ok=True)
    right = none = wrong = 0
    for k, ex in enumerate(REAL, start=1):
        view = "front" if ex in ("jumping_jacks", "lateral_shoulder_raises") else "45"
        clip = out / f"{ex}.mp4"
        subprocess.run([sys.executable, "-m", "deepfit_coach", "synth", ex, "--reps", "6", "--view", view, "--seed",
                        str(62000 + k), "--fps", "15", "-o", str(clip)], check=True, capture_output=True)
        for name, transpose, fix in (("cw", 1, "270"), ("ccw", 2, "90")):
            turned = out / f"{ex}_{name}.mp4"
            subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(clip), "-vf", f"transpose={transpose}",
                            str(turned)], check=True)
            res = subprocess.run([sys.executable, "-m", "deepfit_coach", "analyze", str(turned), "--json", "--poses",
                                  str(turned.with_suffix(".jsonl"))], capture_output=True, text=True)
            hints = [w for w in json.loads(res.stdout)["warnings"] if "stored sideways" in w]
            verdict = "none" if not hints else "right" if hints[0].endswith(f"--rotate {fix}.") else "wrong"
            right, none, wrong = right + (verdict == "right"), none + (verdict == "none"), wrong + (verdict == "wrong")
            print(f"{ex} stored {name}: {verdict} {hints[0] if hints else ''}", flush=True)
    print(f"\nturned clips {right + none + wrong}: the right turn named {right}, no hint {none}, the wrong turn {wrong}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("grids", nargs="*", default=DEFAULT_GRIDS)
    ap.add_argument("--cache", default="poses_rec")
    ap.add_argument("--real", type=Path, help="render, turn with ffmpeg and analyse clips in this folder instead")
    args = ap.parse_args()
    if args.real is not None:
        real(args.real)
        return
    cat = load_catalogue()

    def count(poses):
        r = analyze_poses(poses, None, cat)
        return r.total_reps, r.exercise, main_confidence(r)

    def hint(poses):
        r = analyze_poses(poses, None, cat)
        return sideways_hint(poses, r.total_reps, count, main_confidence(r))

    t0 = time.time()
    upright = false = turned = right = wrong = none = 0
    for grid in args.grids:
        for cache in sorted((Path(grid) / args.cache).glob("*.poses.jsonl")):
            name = cache.name.removesuffix(".poses.jsonl")
            poses = load_poses(f"replay:{cache}")
            upright += 1
            if (h := hint(poses)) is not None:
                false += 1
                print(f"false hint: {Path(grid).name}/{name}: {h}")
            if name.startswith(LYING):
                continue
            for stored in (1, 3):
                turned += 1
                h = hint(turn_poses(poses, stored))
                if h is None:
                    none += 1
                elif h.endswith(f"--rotate {90 * (4 - stored)}."):
                    right += 1
                else:
                    wrong += 1
                    print(f"wrong turn: {Path(grid).name}/{name} stored {90 * stored}: {h}")
    print(f"\nclips as filmed: {upright}, false hints {false}")
    print(f"standing clips stored a quarter turn off: {turned}; the right turn named {right} "
          f"({right / max(turned, 1):.0%}), no hint {none}, the wrong turn {wrong}  [{time.time() - t0:.0f} s]")


if __name__ == "__main__":
    main()
