"""Camera pitch and forward lean: given-mode counting and form with the world skeleton tilted.

    python benchmarks/tilt_stress.py SET_DIR [SET_DIR ...] [--poses-root ROOT] [--tilts -15 0 15] [--write]

MediaPipe's world landmarks are in the camera's axes, not gravity's: a camera looking down at
the person (on a shelf) or up (on the floor) turns the whole 3D skeleton about the camera's
left-right axis, and so does, for the torso, a person leaning toward the camera (or
MediaPipe's own forward bias facing it, 15-37 deg). This replays rendered sets' pose caches
(SET_DIR/poses, or ROOT/<SET_DIR's name> with ``--poses-root``) with every frame's world
landmarks turned by each tilt about the hips (positive: the head toward the camera, as a
camera looking down would read) and counts each set in given mode, as ``eval`` does (its set
window, its rep matching). The picture (image landmarks) is left as it is, so rules and
signals measured in the picture do not move: this isolates what the 3D readings do.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter, defaultdict
from pathlib import Path

from rich.progress import Progress

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deepfit_coach.analysis import load_poses, track_segment  # noqa: E402
from deepfit_coach.evaluation import (SetOutcome, exercise_stats, find_videos, judge_set, match_reps,  # noqa: E402
                                      set_window)
from deepfit_coach.exercises.catalogue import load_catalogue  # noqa: E402
from deepfit_coach.synth.truth import Truth  # noqa: E402
from deepfit_coach.training.report import write_section  # noqa: E402

HEADING = "## Camera pitch and forward lean (stress test)"
NEXT = "## Auto mode through rests that move (workouts)"
@dataclasses.dataclass
class Cell:
    """One exercise and view at one tilt: its sets as ``eval`` judges them (``judge_set``), and
    the issues cued on their clean reps."""

    outcomes: list[SetOutcome] = dataclasses.field(default_factory=list)
    fa_rules: Counter = dataclasses.field(default_factory=Counter)

    def add(self, out: SetOutcome, pairs) -> None:
        self.outcomes.append(judge_set(out, pairs))
        self.fa_rules.update(i for t, p in pairs if not t.faults and p is not None for i in p.issues)

    @property
    def sets(self) -> int:
        return len(self.outcomes)

    @property
    def mae(self) -> float:
        return exercise_stats("", self.outcomes).given_mae

    @property
    def exact(self) -> int:
        return sum(o.given == o.truth for o in self.outcomes)

    @property
    def false_alarms(self) -> int:
        return sum(o.false_alarms for o in self.outcomes)

    @property
    def clean(self) -> int:
        return sum(o.clean_reps for o in self.outcomes)


def measure(dirs: list[Path], tilts: list[float], poses_root: Path | None) -> dict[tuple[str, str, float], Cell]:
    cat = load_catalogue()
    jobs = [(d, v, t) for d in dirs for v, t in find_videos(d)]
    cells: dict[tuple[str, str, float], Cell] = defaultdict(Cell)
    with Progress() as progress:
        task = progress.add_task("tilted sets", total=len(jobs))
        for d, video, tpath in jobs:
            progress.advance(task)
            truth = Truth.load(tpath)
            if not truth.sets:
                continue
            cache = (poses_root / d.name if poses_root else d / "poses") / (video.stem + ".poses.jsonl")
            poses = load_poses(video, cache=cache, recover=poses_root is not None)
            view = video.stem.split("_")[-2]
            for k, st in enumerate(truth.sets):
                spec = cat.get(st["exercise"])
                lo, hi = set_window(truth.sets, k, truth.fps, poses.times[-1])
                reps = [r for r in truth.reps if st["start_frame"] <= r.start_frame <= st["end_frame"]]
                for deg in tilts:
                    sk = [None if s is None else s.pitched(deg) for s in poses.skeletons]
                    seg = track_segment(spec, sk, poses.times, lo, hi)
                    cells[(st["exercise"], view, deg)].add(
                        SetOutcome(video.name, st["exercise"], len(reps), len(seg.reps), None),
                        match_reps(seg.reps, seg.partial, reps, truth.fps))
    return cells


def section(cells, tilts: list[float], command: str) -> str:
    keys = sorted({(e, v) for e, v, _ in cells})
    head = " | ".join(f"{t:+g} deg: MAE / exact / FA" for t in tilts)
    lines = [HEADING, "", __doc__.split("\n\n")[2].replace("\n", " ").strip(), "", f"`{command}`", "",
             f"| exercise | view | sets | {head} |", "|---|---|---|" + "---|" * len(tilts)]
    worst = []
    for e, v in keys:
        row = [cells[(e, v, t)] for t in tilts]
        lines.append(f"| {e} | {v} | {row[0].sets} | " + " | ".join(
            f"{c.mae:.3f} / {c.exact} / {c.false_alarms} of {c.clean}" for c in row) + " |")
        base = cells[(e, v, 0.0)] if 0.0 in tilts else row[0]
        for t, c in zip(tilts, row):
            if c.mae > base.mae + 0.03 or c.false_alarms > base.false_alarms + 3:
                extra = {r: n - base.fa_rules.get(r, 0) for r, n in c.fa_rules.items() if n > base.fa_rules.get(r, 0)}
                worst.append(f"{e} {v} at {t:+g} deg: MAE {base.mae:.3f} -> {c.mae:.3f}, false alarms "
                             f"{base.false_alarms} -> {c.false_alarms}" + (f" ({', '.join(f'{r} +{n}' for r, n in extra.items())})"
                                                                            if extra else ""))
    lines += ["", "Cells that move (MAE +0.03 or more than 3 false alarms more than untilted):", ""]
    lines += [f"- {w}" for w in worst] or ["- none"]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--poses-root", type=Path, help="pose caches (made with the pose recovery) in ROOT/<DIR's name>/")
    ap.add_argument("--tilts", nargs="+", type=float, default=[-15.0, 0.0, 15.0])
    ap.add_argument("--write", action="store_true", help="replace this section of BENCHMARKS.md")
    args = ap.parse_args()
    cells = measure(args.dirs, args.tilts, args.poses_root)
    command = "python benchmarks/tilt_stress.py " + " ".join(str(d) for d in args.dirs) + (
        f" --poses-root {args.poses_root}" if args.poses_root else "") + " --tilts " + " ".join(f"{t:g}" for t in args.tilts)
    text = section(cells, args.tilts, command)
    print(text)
    if args.write:
        write_section(HEADING, text, before=NEXT)


if __name__ == "__main__":
    main()
