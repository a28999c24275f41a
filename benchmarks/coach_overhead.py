"""Frame-loop overhead of the coach, the voice queue and the dashboard vs the pose model.

Renders a short mannequin workout (squats then jumping jacks, 640x480 at 30 fps), runs the
real pose model once to get skeletons and its time per frame, then replays the skeletons
through what ``start`` adds per frame: the coach engine (with the real per-exercise
trackers, reported separately), the voice queue (say() calls; speaking happens on its
thread), the status snapshot, and the dashboard render amortised at 10 Hz.

Usage: python benchmarks/coach_overhead.py [--frames 450] [--repeats 5] [--no-write]
Writes the "### Frame-loop overhead" part of "## Coach, voice and dashboard" in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Coach, voice and dashboard"


def write_section(part_title: str, body: str) -> None:
    """Replace ``part_title`` (a ### heading) inside our ## section of BENCHMARKS.md only."""
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    lines = text.splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == SECTION)
    except StopIteration:
        lines += ["", SECTION, ""]
        start = len(lines) - 2
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    section = lines[start + 1:end]
    try:
        ps = next(i for i, ln in enumerate(section) if ln.strip() == part_title)
        pe = next((i for i in range(ps + 1, len(section)) if section[i].startswith("### ")), len(section))
    except StopIteration:
        ps = pe = len(section)
    new_part = [part_title, "", *body.strip("\n").splitlines(), ""]
    if ps > 0 and section[ps - 1].strip():
        new_part.insert(0, "")
    section = section[:ps] + new_part + section[pe:]
    if section and section[0].strip():
        section = ["", *section]
    lines = lines[:start + 1] + section + lines[end:]
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


PLAN = """
name: Benchmark
countdown: 1
blocks:
  - exercise: squats
    sets: 1
    reps: 50
  - exercise: jumping_jacks
    sets: 1
    reps: 50
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=450)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    from rich.console import Console

    from deepfit_coach.coach import Coach, CoachTiming
    from deepfit_coach.coach.session import tracker_factory
    from deepfit_coach.dashboard import View, render
    from deepfit_coach.features import landmarks_in_view
    from deepfit_coach.model_store import resolve_pose_model
    from deepfit_coach.plan import loads_plan
    from deepfit_coach.pose import PoseEstimator
    from deepfit_coach.synth import SetSpec, WorkoutSpec, iter_frames
    from deepfit_coach.voice import RecordingBackend, Voice

    fps = 30.0
    spec = WorkoutSpec(sets=[SetSpec("squats", 4), SetSpec("jumping_jacks", 6)], rest_s=2.0, rest_before=1.0,
                       view="front", fps=fps, width=640, height=480, seed=5)
    frames = [img for img, _ in iter_frames(spec)][: args.frames]
    model = os.environ.get("DEEPFIT_POSE_MODEL") or str(resolve_pose_model("full", progress=False))
    skels = []
    with PoseEstimator(model) as est:
        est.process(frames[0], 0)
        t0 = time.perf_counter()
        for i, img in enumerate(frames):
            skels.append(est.process(img, int((i + 1) * 1000 / fps), i))
        pose_ms = (time.perf_counter() - t0) * 1000 / len(frames)

    plan = loads_plan(PLAN, "bench.yaml")
    console = Console(file=io.StringIO(), width=100, height=30, force_terminal=True, color_system="truecolor")
    runs: dict[str, list[float]] = {"coach (engine + trackers)": [], "trackers alone": [], "voice say()": [],
                                    "status + view": [], "dashboard render @10 Hz": []}
    spoken = 0
    for _ in range(args.repeats):
        # trackers alone, to separate the counting cost from the coach's own
        make = tracker_factory(plan)
        trackers = {s.exercise: make(s) for s in plan.sets}
        t0 = time.perf_counter()
        for i, sk in enumerate(skels):
            for tr in trackers.values():
                tr.update(sk, i / fps)
        runs["trackers alone"].append((time.perf_counter() - t0) * 1000 / len(skels) / len(trackers))

        inner = tracker_factory(plan)
        in_trackers = [0.0]

        class TimedTracker:
            """The real tracker, with the time spent in it added up (to separate it out)."""

            def __init__(self, s):
                self.t = inner(s)

            def reset(self):
                self.t.reset()

            def update(self, sk, t):
                a = time.perf_counter()
                try:
                    return self.t.update(sk, t)
                finally:
                    in_trackers[0] += time.perf_counter() - a

        coach = Coach(plan, TimedTracker, CoachTiming(intro_s=0.5, announce_s=0.5))
        voice = Voice(RecordingBackend())
        c = v = s = d = 0.0
        renders = 0
        next_render = 0.0
        for i, sk in enumerate(skels):
            t = i / fps
            a = time.perf_counter()
            events = coach.update(sk, t)
            b = time.perf_counter()
            utts = [e.say for e in events if e.say is not None]
            if utts:
                voice.say_many(utts)
            e = time.perf_counter()
            view = View(coach.status(), sk, fps=fps,
                        visibility=float(landmarks_in_view(sk.image).mean()) if sk is not None else 0.0)
            f = time.perf_counter()
            c += b - a
            v += e - b
            s += f - e
            if t >= next_render:  # the dashboard thread renders 10 times a second
                next_render += 0.1
                g = time.perf_counter()
                console.print(render(view, 100, 30))
                d += time.perf_counter() - g
                renders += 1
                console.file.seek(0)
                console.file.truncate()
        voice.close(drain_s=2.0)
        spoken = len(voice.spoken)
        n = len(skels)
        runs["coach (engine + trackers)"].append(c * 1000 / n)
        runs.setdefault("coach engine alone", []).append((c - in_trackers[0]) * 1000 / n)
        runs.setdefault("trackers inside the coach", []).append(in_trackers[0] * 1000 / n)
        runs["voice say()"].append(v * 1000 / n)
        runs["status + view"].append(s * 1000 / n)
        runs["dashboard render @10 Hz"].append(d * 1000 / n)

    med = {k: statistics.median(vals) for k, vals in runs.items()}
    trackers_ms = med["trackers alone"]          # one tracker fed per frame during a set
    coach_only = med["coach engine alone"]
    ours = coach_only + med["voice say()"] + med["status + view"] + med["dashboard render @10 Hz"]
    rows = [("pose model (full, 640x480)", pose_ms, 100.0),
            ("trackers (counting + form, one exercise)", trackers_ms, trackers_ms / pose_ms * 100),
            ("coach engine (excluding trackers)", coach_only, coach_only / pose_ms * 100),
            ("voice queue say()", med["voice say()"], med["voice say()"] / pose_ms * 100),
            ("status snapshot + view", med["status + view"], med["status + view"] / pose_ms * 100),
            ("dashboard render, amortised at 10 Hz", med["dashboard render @10 Hz"],
             med["dashboard render @10 Hz"] / pose_ms * 100),
            ("**coach + voice + dashboard**", ours, ours / pose_ms * 100)]
    table = ["| per frame | ms | % of pose model |", "|---|---:|---:|"]
    table += [f"| {name} | {ms:.3f} | {pct:.2f}% |" for name, ms, pct in rows]
    body = "\n".join([
        f"`python benchmarks/coach_overhead.py --frames {len(skels)} --repeats {args.repeats}` "
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"rendered squats + jumping jacks, {len(skels)} frames at 30 fps, median of {args.repeats} repeats; "
        f"{spoken} utterances queued per run).",
        "",
        *table,
        "",
        f"Budget: coach + voice + dashboard <= 5% of the pose model's time per frame: "
        f"**{ours / pose_ms * 100:.2f}%** ({'met' if ours <= 0.05 * pose_ms else 'NOT met'}). "
        "The trackers (rep counting and form rules, the analysis itself) are listed separately.",
    ])
    print(body)
    if not args.no_write:
        write_section("### Frame-loop overhead", body)


if __name__ == "__main__":
    main()
