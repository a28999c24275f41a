"""Clips cut tight around the set: given- and auto-mode counts when nothing comes before or after the reps.

    python benchmarks/clip_cut.py SET_DIR [SET_DIR ...] [--poses-root ROOT] [--cuts whole 0.3:0.3 0:0] [--auto] [--write]

Real videos are often trimmed to the exercise: the first frame is the start position with the
first rep starting at once, the last frame is the last rep just back (or a few frames later).
The rendered sets have seconds of rest before and after each set. This replays their pose
caches (SET_DIR/poses, or ROOT/<SET_DIR's name> with ``--poses-root``) cut to
[first rep's start - PRE, last rep's end + POST] (the truth's frames; a cut PRE:POST, or
``whole`` for the clip as rendered) and counts each cut clip as ``analyze`` would, in given mode
(and auto mode with ``--auto``), scoring as ``eval`` does.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import defaultdict
from pathlib import Path

from rich.progress import Progress

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deepfit_coach.analysis import Poses, analyze_poses, load_poses  # noqa: E402
from deepfit_coach.evaluation import SetOutcome, exercise_stats, find_videos  # noqa: E402
from deepfit_coach.synth.truth import Truth  # noqa: E402
from deepfit_coach.training.report import write_section  # noqa: E402

HEADING = "## Clips cut to the set"
NEXT = "## Camera pitch and forward lean (stress test)"


@dataclasses.dataclass(frozen=True)
class Cut:
    """Seconds kept before the first rep's start and after the last rep's end (None: the whole clip)."""

    pre: float | None
    post: float | None

    @classmethod
    def parse(cls, text: str) -> "Cut":
        if text == "whole":
            return cls(None, None)
        pre, _, post = text.partition(":")
        return cls(float(pre), float(post or pre))

    def __str__(self) -> str:
        return "whole clip" if self.pre is None else f"{self.pre:g} s before / {self.post:g} s after"

    def apply(self, poses: Poses, truth: Truth) -> Poses:
        if self.pre is None:
            return poses
        a = truth.reps[0].start_frame / truth.fps - self.pre
        b = truth.reps[-1].end_frame / truth.fps + self.post
        idx = [i for i, t in enumerate(poses.times) if a - 1e-6 <= t <= b + 1e-6]
        return Poses(poses.source, poses.fps, [poses.skeletons[i] for i in idx], [poses.times[i] for i in idx])


def measure(dirs: list[Path], cuts: list[Cut], poses_root: Path | None, auto: bool
            ) -> dict[tuple[str, Cut], list[SetOutcome]]:
    jobs = [(d, v, t) for d in dirs for v, t in find_videos(d)]
    cells: dict[tuple[str, Cut], list[SetOutcome]] = defaultdict(list)
    with Progress() as progress:
        task = progress.add_task("cut clips", total=len(jobs))
        for d, video, tpath in jobs:
            progress.advance(task)
            truth = Truth.load(tpath)
            if len(truth.sets) != 1 or not truth.reps:
                continue   # one set per clip: the cut is around it
            name = truth.sets[0]["exercise"]
            cache = (poses_root / d.name if poses_root else d / "poses") / (video.stem + ".poses.jsonl")
            whole = load_poses(video, cache=cache, recover=poses_root is not None)
            for cut in cuts:
                poses = cut.apply(whole, truth)
                out = SetOutcome(video.name, name, len(truth.reps), analyze_poses(poses, name).total_reps, None)
                if auto:
                    out.auto = analyze_poses(poses).reps_by_exercise().get(name, 0)
                cells[(name, cut)].append(out)
    return cells


def section(cells, cuts: list[Cut], auto: bool, command: str) -> str:
    names = sorted({e for e, _ in cells})
    cols = " | ".join(f"{c}: MAE / exact" + (" / auto MAE" if auto else "") for c in cuts)
    lines = [HEADING, "", __doc__.split("\n\n")[2].replace("\n", " ").strip(), "", f"`{command}`", "",
             f"| exercise | sets | {cols} |", "|---|---|" + "---|" * len(cuts)]

    def cell(outs: list[SetOutcome]) -> str:
        st = exercise_stats("", outs)
        text = f"{st.given_mae:.3f} / {sum(o.given == o.truth for o in outs)}"
        return text + (f" / {st.auto_mae:.3f}" if auto else "")

    for e in names:
        lines.append(f"| {e} | {len(cells[(e, cuts[0])])} | " + " | ".join(cell(cells[(e, c)]) for c in cuts) + " |")
    lines.append(f"| **all** | {sum(len(cells[(e, cuts[0])]) for e in names)} | "
                 + " | ".join(cell([o for e in names for o in cells[(e, c)]]) for c in cuts) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--poses-root", type=Path, help="pose caches (made with the pose recovery) in ROOT/<DIR's name>/")
    ap.add_argument("--cuts", nargs="+", type=Cut.parse, default=[Cut.parse(c) for c in ("whole", "0.3:0.3", "0:0")],
                    help="PRE:POST seconds kept around the reps, or 'whole'")
    ap.add_argument("--auto", action="store_true", help="auto mode as well (the classifier on every cut clip)")
    ap.add_argument("--write", action="store_true", help="replace this section of BENCHMARKS.md")
    args = ap.parse_args()
    cells = measure(args.dirs, args.cuts, args.poses_root, args.auto)
    command = "python benchmarks/clip_cut.py " + " ".join(str(d) for d in args.dirs) + (
        f" --poses-root {args.poses_root}" if args.poses_root else "") + " --cuts " + " ".join(
        "whole" if c.pre is None else f"{c.pre:g}:{c.post:g}" for c in args.cuts) + (" --auto" if args.auto else "")
    text = section(cells, args.cuts, args.auto, command)
    print(text)
    if args.write:
        write_section(HEADING, text, before=NEXT)


if __name__ == "__main__":
    main()
