"""Live coach count vs ``analyze`` count vs truth, set by set, on rendered clips.

The live coach announces reps as the tracker's rep events come (``SegmentResult.live_reps``:
split reps joined as they happen, nothing else), ``analyze`` reviews the whole set afterwards
(``review_set``: split reps joined with the set's medians, a tiny first/last rep kept as a
partial, a lone rep is no set) and the coach saves that reviewed count when the set ends.
Each truth set is tracked in given mode over the span ``eval`` gives it
(``evaluation.set_window``), from the pose caches (no pose model is run).

Usage: python benchmarks/live_vs_offline.py DIR [DIR ...] [--poses-root ROOT] [--delays] [--no-write]
       (DIR holds VIDEO + VIDEO.truth.json pairs and DIR/poses/VIDEO.poses.jsonl, or with
       ``--poses-root`` ROOT/<DIR's name>/VIDEO.poses.jsonl: e.g. caches made with the pose recovery)
``--delays``: also replay each set through a tracker frame by frame and time the reps it
held (a rep that looks like the rest of the previous one is counted or joined only once
its end is known): how many, how many were joined, and how late the others were counted.
Writes the "### Live count vs analyze" part of "## Coach, voice and dashboard" in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coach_overhead import write_section  # noqa: E402

from deepfit_coach.analysis import load_poses, track_segment  # noqa: E402
from deepfit_coach.counting import ExerciseTracker  # noqa: E402
from deepfit_coach.events import RepEvent, RepMergedEvent  # noqa: E402
from deepfit_coach.evaluation import SetOutcome, exercise_stats, find_videos, set_window  # noqa: E402
from deepfit_coach.exercises.catalogue import load_catalogue  # noqa: E402
from deepfit_coach.synth.truth import Truth  # noqa: E402


@dataclass
class SetCounts:
    video: str
    exercise: str
    truth: int
    live: int
    offline: int
    held: list[tuple[float, bool]] = field(default_factory=list)   # (delay s, joined) per held rep
    from_partial: list[float] = field(default_factory=list)        # s from its end to its count, per partial counted
    finished: int = 0                                              # full reps the counter finished


def held_reps(spec, skeletons, times, lo: float, hi: float) -> tuple[list[tuple[float, bool]], int, list[float]]:
    """(s from the counter finishing it to its count or join, joined?) for each rep the
    tracker held, over the frames lo <= t <= hi (then the set ends: ``flush``), the
    number of full reps the counter finished, and for each partial rep counted live
    (``RepEvent.from_partial``: a gap rep, a short first rep) the s from its end to its count."""
    tr = ExerciseTracker(spec)
    done: dict[int, float] = {}
    out = []
    late: list[float] = []
    t = lo
    for skel, t in zip(skeletons, times):
        if lo <= t <= hi:
            n = len(tr.rep_log)
            events = tr.update(skel, t)
            if len(tr.rep_log) > n:
                done[id(tr.rep_log[-1])] = t
            out += [(t - done[id(e.raw)], isinstance(e, RepMergedEvent)) for e in events
                    if isinstance(e, (RepEvent, RepMergedEvent)) and e.raw is not None and t > done[id(e.raw)]]
            late += [t - e.rep.end_s for e in events if isinstance(e, RepEvent) and e.from_partial]
    out += [(hi - done[id(e.raw)], isinstance(e, RepMergedEvent)) for e in tr.flush(hi)
            if isinstance(e, (RepEvent, RepMergedEvent)) and e.raw is not None]
    return out, len(tr.rep_log), late


def measure(directory: Path, delays: bool = False, poses_dir: Path | None = None) -> list[SetCounts]:
    """Every truth set of ``directory``: (truth, live, offline) counts, given mode (pose caches
    in ``poses_dir``, by default ``directory``/poses)."""
    cat = load_catalogue()
    out = []
    for video, tpath in find_videos(directory):
        truth = Truth.load(tpath)
        poses = load_poses((poses_dir or directory / "poses") / (video.stem + ".poses.jsonl"))   # the cache as made
        t_end = poses.times[-1] if poses.times else 0.0
        for k, st in enumerate(truth.sets):
            lo, hi = set_window(truth.sets, k, truth.fps, t_end)
            spec = cat.get(st["exercise"])
            seg = track_segment(spec, poses.skeletons, poses.times, lo, hi)
            n = sum(1 for r in truth.reps if st["start_frame"] <= r.start_frame <= st["end_frame"])
            row = SetCounts(f"{directory.name}/{video.name}", st["exercise"], n, seg.live_reps, len(seg.reps))
            if delays:
                row.held, row.finished, row.from_partial = held_reps(spec, poses.skeletons, poses.times, lo, hi)
            out.append(row)
    return out


def scores(rows: list[SetCounts], which: str) -> tuple[float, float, float]:
    """(MAE, OBO, exact) of the ``which`` count, as ``eval`` computes them for given mode."""
    s = exercise_stats("all", [SetOutcome(r.video, r.exercise, r.truth, getattr(r, which), None) for r in rows])
    return s.given_mae, s.given_obo, s.given_exact


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--poses-root", type=Path, help="pose caches in ROOT/<DIR's name>/ instead of DIR/poses/")
    ap.add_argument("--delays", action="store_true", help="also time the reps the tracker held")
    ap.add_argument("--no-write", action="store_true", help="print only, leave BENCHMARKS.md alone")
    args = ap.parse_args()
    rows: list[SetCounts] = []
    for d in args.dirs:
        rows += measure(d, args.delays, args.poses_root / d.name if args.poses_root else None)
    diff = [r for r in rows if r.live != r.offline]
    flag = (f" --poses-root {args.poses_root}" if args.poses_root else "") + (" --delays" if args.delays else "")
    lines = [f"`python benchmarks/live_vs_offline.py {' '.join(str(d) for d in args.dirs)}{flag}` "
             f"({len(rows)} sets with truth, given mode; pose caches, no pose model).", "",
             "| count | MAE | OBO | exact |", "|---|---:|---:|---:|"]
    for which, label in (("live", "live (announced as reps happen)"), ("offline", "analyze / saved at set end")):
        mae, obo, exact = scores(rows, which)
        lines.append(f"| {label} | {mae:.4f} | {100 * obo:.1f}% | {100 * exact:.1f}% |")
    lines += ["", f"Sets where the live count differs from analyze: {len(diff)} of {len(rows)}"
              + (" (live > analyze: %d, live < analyze: %d)" % (sum(r.live > r.offline for r in diff),
                                                               sum(r.live < r.offline for r in diff)) if diff else "")
              + "."]
    lines += ["", "In a coached set the words follow the saved count: when the live count reaches the plan's "
              "target the coach runs the same review, and if it counts fewer full reps asks for the rest "
              "(\"I make that 9 full reps: one more!\"); at the set's end it says the saved count when that "
              "differs from the last number said. The live column is the count before either. A partial rep "
              "between two counted reps that the review will count (a rep done shallow, pieces of one rep) is "
              "counted live as soon as the next rep is, and a brisk set's first quick reps once three counted "
              "reps show its pace (`LiveReps.gap_reps`)."]
    if diff:
        lines += ["", "| set | exercise | truth | live | analyze |", "|---|---|---:|---:|---:|"]
        lines += [f"| {r.video} | {r.exercise} | {r.truth} | {r.live} | {r.offline} |" for r in diff]
    if args.delays:
        held = [h for r in rows for h in r.held]
        late = sorted(d for d, joined in held if not joined)
        lines += ["", f"Held reps (looked like the rest of the rep before, judged once their end was known): "
                  f"{len(held)} of the {sum(r.finished for r in rows)} full reps the counter finished; "
                  f"{sum(j for _, j in held)} joined (not counted), {len(late)} counted late"
                  + (f" by {late[len(late) // 2]:.2f} s (median), {late[-1]:.2f} s (max)" if late else "") + "."]
        fp = sorted(d for r in rows for d in r.from_partial)
        lines += ["", f"Partial reps counted live (a shallow rep or pieces of one between counted reps, a short "
                  f"first rep; ``RepEvent.from_partial``): {len(fp)}"
                  + (f", counted {fp[len(fp) // 2]:.2f} s (median), {fp[-1]:.2f} s (max) after their end" if fp else "")
                  + "."]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("### Live count vs analyze", body)


if __name__ == "__main__":
    main()
