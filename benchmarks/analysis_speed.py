"""What ``analyze`` costs after the pose model, against the pose model (issue 5: <= 5%).

    python benchmarks/analysis_speed.py DIR [--clips 10] [--repeats 5] [--pose-video V | --no-pose]

DIR is an eval set (videos, truth files, pose caches in DIR/poses as ``eval --cache``
writes them). The analysis is timed on the cached poses of ``--clips`` clips spread over
the set, in given mode (the truth's exercise) and auto mode (classifier, then the
trackers), with the classifier batched over the clip (what ``analyze`` does) and stepped
frame by frame (the live path, what ``analyze`` did before). The pose model is timed on
one video of DIR (``--pose-video``, default the first squats side clip), running it once.

Times are CPU seconds of this process (``time.process_time``, which counts the pose
model's own threads too), so other programs on a shared machine slow each side alike
instead of inflating one run; repeats are interleaved and the median is reported. Wall
times are printed alongside.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path


def pose_time(video: Path) -> dict:
    """The pose model over one video, once: CPU and wall ms per frame of ``process`` alone
    (decoding excluded), and the frames' Poses for the analysis."""
    from deepfit_coach.analysis import Poses
    from deepfit_coach.pose import PoseEstimator
    from deepfit_coach.sources import open_source

    skeletons, times, cpu, wall = [], [], 0.0, 0.0
    with open_source(str(video)) as src, PoseEstimator() as pose:
        fps = float(getattr(src, "fps", 0) or 30.0)
        for frame in src:
            c0, w0 = time.process_time(), time.perf_counter()
            skel = pose.process(frame.image, frame.timestamp_ms, frame.index)
            cpu += time.process_time() - c0
            wall += time.perf_counter() - w0
            skeletons.append(skel)
            times.append(frame.timestamp_ms / 1000.0)
    n = max(len(skeletons), 1)
    return {"frames": len(skeletons), "pose_cpu_ms": 1000 * cpu / n, "pose_wall_ms": 1000 * wall / n,
            "poses": Poses(str(video), fps, skeletons, times, wall)}


@contextmanager
def framewise_classifier():
    """``analyze`` as it ran before the batched classifier: the live classifier stepped
    frame by frame over the clip (``TemporalClassifier.update``)."""
    from deepfit_coach.classifier.temporal import TemporalClassifier

    if not hasattr(TemporalClassifier, "decide_clip"):   # a checkout from before the batch path
        yield
        return
    batched = TemporalClassifier.decide_clip

    def stepped(self, skeletons, times):
        self.reset()
        return [self.update(s, float(t)) for s, t in zip(skeletons, times)]

    TemporalClassifier.decide_clip = stepped
    try:
        yield
    finally:
        TemporalClassifier.decide_clip = batched


def analysis_times(clips: list[tuple[object, str]], repeats: int, auto: bool = True,
                   framewise: bool = True) -> dict[str, dict[str, float]]:
    """Median CPU and wall ms per frame of ``analyze_poses`` over ``clips`` ((Poses,
    exercise) pairs), per mode: given, auto (batched classifier), auto_framewise."""
    from deepfit_coach.analysis import analyze_poses

    frames = sum(len(p.skeletons) for p, _ in clips)
    runs = {"given": (True, nullcontext)}
    if auto:
        runs["auto"] = (False, nullcontext)
    if auto and framewise:
        runs["auto_framewise"] = (False, framewise_classifier)
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    wall: dict[str, list[float]] = {k: [] for k in runs}
    analyze_poses(clips[0][0], exercise=None if auto else clips[0][1])   # load the models before timing
    for _ in range(repeats):
        for mode, (given, ctx) in runs.items():
            with ctx():
                c0, w0 = time.process_time(), time.perf_counter()
                for poses, exercise in clips:
                    analyze_poses(poses, exercise=exercise if given else None)
                cpu[mode].append(1000 * (time.process_time() - c0) / frames)
                wall[mode].append(1000 * (time.perf_counter() - w0) / frames)
    return {m: {"cpu_ms": statistics.median(cpu[m]), "wall_ms": statistics.median(wall[m]),
                "cpu_runs": [round(x, 3) for x in cpu[m]]} for m in runs}


def pick_clips(directory: Path, count: int) -> list[tuple[object, str]]:
    """``count`` exercise clips of DIR with pose caches, spread over the set (name order)."""
    from deepfit_coach.analysis import load_poses

    videos = []
    for video in sorted(directory.glob("*.mp4")):
        truth = video.with_suffix(".truth.json")
        cache = directory / "poses" / (video.stem + ".poses.jsonl")
        if not (truth.is_file() and cache.is_file()):
            continue
        exercise = json.loads(truth.read_text()).get("spec", {}).get("exercise")
        if exercise and any(s.get("exercise") == exercise for s in json.loads(truth.read_text()).get("sets", [])):
            videos.append((cache, exercise))
    step = max(len(videos) // max(count, 1), 1)
    return [(load_poses(c), ex) for c, ex in videos[::step][:count]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--clips", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--pose-video", type=Path, default=None)
    ap.add_argument("--no-pose", action="store_true", help="skip the pose model (analysis times only)")
    a = ap.parse_args()
    if not a.dir.is_dir():
        sys.exit(f"{a.dir}: no such directory")
    clips = pick_clips(a.dir, a.clips)
    if not clips:
        sys.exit(f"{a.dir}: no clips with a truth file and a pose cache in {a.dir / 'poses'}")
    frames = sum(len(p.skeletons) for p, _ in clips)
    out: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "load_1min": os.getloadavg()[0],
                 "clips": len(clips), "frames": frames}
    out["analysis"] = analysis_times(clips, a.repeats)
    if not a.no_pose:
        video = a.pose_video or next(iter(sorted(a.dir.glob("squats_side_*.mp4"))), None)
        if video is None:
            sys.exit(f"{a.dir}: no squats_side_*.mp4 for the pose model (pass --pose-video)")
        pose = pose_time(video)
        pose.pop("poses")
        out["pose"] = {"video": video.name, **pose}
        for m, r in out["analysis"].items():
            r["cpu_ratio"] = r["cpu_ms"] / pose["pose_cpu_ms"]
            r["wall_ratio"] = r["wall_ms"] / pose["pose_wall_ms"]
    out["load_1min_end"] = os.getloadavg()[0]
    print(json.dumps(out, indent=1))
    print(f"\n{frames} frames of {len(clips)} clips, median of {a.repeats} interleaved repeats, load "
          f"{out['load_1min']:.1f} -> {out['load_1min_end']:.1f} ({out['machine']})")
    for m, r in out["analysis"].items():
        ratio = f" = {r['cpu_ratio']:.1%} of the pose model's CPU time" if "cpu_ratio" in r else ""
        print(f"  {m:15s} {r['cpu_ms']:.3f} ms/frame CPU ({r['wall_ms']:.3f} wall){ratio}")
    if "pose" in out:
        pose = out["pose"]
        print(f"  pose model      {pose['pose_cpu_ms']:.1f} ms/frame CPU ({pose['pose_wall_ms']:.1f} wall), "
              f"{pose['frames']} frames of {pose['video']}")


if __name__ == "__main__":
    main()
