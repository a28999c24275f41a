"""Synth benchmark: how well MediaPipe sees the rendered mannequin, and rendering speed.

Grid: every exercise x view (front, side, 45, back) x body (held-out seeds, random body,
clothes, room and lighting), one short set per cell, every frame through the real pose
model (full, VIDEO mode). Reports detection rate and the median landmark error
(13 core landmarks, as a share of body height) per cell, per exercise and overall, and
rendering frames per second at 640x480 on one core.

    python benchmarks/synth_grid.py --bodies 2 --reps 2 --fps 10 --json benchmarks/results/synth_grid.json

The pose model comes from the model store (``deepfit_coach.model_store``): ``--pose-model``,
else ``$DEEPFIT_POSE_MODEL``, else the user cache (fetched once with ``deepfit-coach models pull full``).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from rich.progress import Progress

from deepfit_coach.synth import EXERCISES, EXERCISES_ORDER, ClipSpec, plan
from deepfit_coach.synth.clip import FrameDrawer
from deepfit_coach.synth.evaluate import check_pose

VIEWS = ("front", "side", "45", "back")
SEED_BASE = 900_000  # held out: tests and tuning used seeds < 1000


def render_fps(seconds: float = 3.0) -> dict:
    """Frames per second drawing a squat clip at 640x480 (background copy + mannequin), by
    wall clock and by this process's CPU time (= one core, whatever else the machine runs)."""
    p = plan(ClipSpec("squats", reps=3, fps=30, seed=5, width=640, height=480))
    d = FrameDrawer(p)
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        d.draw(n % p.truth.frame_count)
        n += 1
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    m, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < 1.0:
        plan(ClipSpec("squats", reps=3, fps=30, seed=5 + m, width=640, height=480))
        m += 1
    frames = m * p.truth.frame_count
    return {"draw_fps_640x480_wall": round(n / wall, 1), "draw_fps_640x480_cpu": round(n / cpu, 1),
            "joints_only_fps_wall": round(frames / (time.perf_counter() - t0), 1),
            "joints_only_fps_cpu": round(frames / (time.process_time() - c0), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bodies", type=int, default=2)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--fps", type=float, default=10.0)
    ap.add_argument("--width", type=int, default=640)
    ap.add_argument("--height", type=int, default=480)
    ap.add_argument("--pitch", type=float, default=8.0, help="camera looks down by this many degrees")
    ap.add_argument("--exercises", nargs="*", default=list(EXERCISES_ORDER))
    ap.add_argument("--views", nargs="*", default=list(VIEWS))
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--pose-model", default=None, help="a .task file (default: the model store)")
    args = ap.parse_args()

    from deepfit_coach.model_store import resolve_pose_model
    from deepfit_coach.pose import PoseEstimator

    model = resolve_pose_model(explicit=args.pose_model)

    cells = []
    jobs = [(e, v, b) for e in args.exercises for v in args.views for b in range(args.bodies)]
    with Progress() as progress:
        task = progress.add_task("grid", total=len(jobs))
        for ex, view, b in jobs:
            seed = SEED_BASE + 1000 * b + 17 * EXERCISES_ORDER.index(ex)
            spec = ClipSpec(ex, reps=args.reps, view=view, seed=seed, fps=args.fps, width=args.width,
                            height=args.height, rest_before=0.5, rest_after=0.3, pitch=args.pitch)
            with PoseEstimator(model_path=model, progress=False) as est:
                r = check_pose(spec, est)
            cells.append({"exercise": ex, "view": view, "body": b, "seed": seed, "frames": r.frames,
                          "detected": r.detected, "errors": r.errors.tolist(),
                          "errors_any_side": r.errors_any_side.tolist()})
            progress.advance(task)
            progress.console.print(f"{ex:24s} {view:5s} body {b}: detected {r.detection_rate:6.1%}  "
                                   f"median error {r.median_error:.4f}")
    speed = render_fps()
    summary = summarise(cells)
    print_markdown(summary, speed, args)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "pose_model": model.name,
                                         "speed": speed,
                                         "summary": summary,
                                         "cells": [{**{k: v for k, v in c.items() if not k.startswith("errors")},
                                                    "median_error": _med(c["errors"]),
                                                    "median_error_any_side": _med(c["errors_any_side"])}
                                                   for c in cells]},
                                        indent=1))


def _med(xs: list[float]) -> float | None:
    return round(float(np.median(xs)), 4) if len(xs) else None


def summarise(cells: list[dict]) -> dict:
    out: dict = {"cells": {}, "exercise": {}, "overall": {}}
    for ex in dict.fromkeys(c["exercise"] for c in cells):
        for view in dict.fromkeys(c["view"] for c in cells):
            cs = [c for c in cells if c["exercise"] == ex and c["view"] == view]
            out["cells"][f"{ex}/{view}"] = _agg(cs)
        out["exercise"][ex] = _agg([c for c in cells if c["exercise"] == ex])
    out["overall"] = _agg(cells)
    return out


def _agg(cs: list[dict]) -> dict:
    frames = sum(c["frames"] for c in cs)
    det = sum(c["detected"] for c in cs)
    errs = np.concatenate([np.asarray(c["errors"]) for c in cs]) if cs else np.array([])
    errs_any = np.concatenate([np.asarray(c["errors_any_side"]) for c in cs]) if cs else np.array([])
    return {"frames": frames, "detection": round(det / max(frames, 1), 4),
            "median_error": round(float(np.median(errs)), 4) if len(errs) else None,
            "median_error_any_side": round(float(np.median(errs_any)), 4) if len(errs_any) else None}


def print_markdown(summary: dict, speed: dict, args: argparse.Namespace) -> None:
    views = list(args.views)
    print("\n| exercise | " + " | ".join(views) + " | all views |")
    print("|---|" + "---|" * (len(views) + 1))
    for ex in args.exercises:
        row = []
        for v in views:
            c = summary["cells"][f"{ex}/{v}"]
            row.append(f"{c['detection']:.0%} / {c['median_error']:.3f}" + (
                f" ({c['median_error_any_side']:.3f})" if c["median_error_any_side"] is not None
                and c["median_error_any_side"] < c["median_error"] - 0.001 else "")
                if c["median_error"] is not None else f"{c['detection']:.0%} / -")
        e = summary["exercise"][ex]
        floor = " (floor)" if EXERCISES[ex].floor else ""
        print(f"| {ex}{floor} | " + " | ".join(row) + f" | {e['detection']:.1%} / {e['median_error']:.3f} |")
    o = summary["overall"]
    print(f"\noverall: {o['frames']} frames, detected {o['detection']:.1%}, median error {o['median_error']:.4f} "
          f"(sides ignored: {o['median_error_any_side']:.4f})")
    for kind, names in (("standing", [e for e in args.exercises if not EXERCISES[e].floor]),
                        ("floor", [e for e in args.exercises if EXERCISES[e].floor])):
        for v in views:
            cs = [summary["cells"][f"{e}/{v}"] for e in names]
            if cs:
                fr = sum(c["frames"] for c in cs)
                det = sum(c["detection"] * c["frames"] for c in cs) / max(fr, 1)
                print(f"{kind:8s} {v:5s}: detected {det:.1%} of {fr} frames")
    print(f"speed: {speed}")


if __name__ == "__main__":
    main()
