"""Pose stage throughput: our PoseEstimator (with and without its scan for other people) and the
full PoseStream versus a bare loop calling MediaPipe's PoseLandmarker directly on the same 640x480
frames; and the slowest frame of each (the scan is one IMAGE-mode call a second, on one frame).

Usage: python benchmarks/pose_overhead.py [--video clip.mp4] [--frames 300] [--chunk 10]

Without --video, a rendered mannequin squat clip is used. The three pipelines each have
their own landmarker and run side by side: the frames are cut into chunks and every
chunk goes through all three, in a rotating order, so a busy shared machine slows them
alike. Wall time and CPU time (all threads) are both reported.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator

import numpy as np


def load_frames(video: str | None, n: int) -> list[np.ndarray]:
    import cv2

    if video:
        cap = cv2.VideoCapture(video)
        frames = []
        while len(frames) < n:
            ok, img = cap.read()
            if not ok:
                break
            frames.append(cv2.resize(img, (640, 480)))
        return frames
    from deepfit_coach.synth import ClipSpec, iter_frames

    spec = ClipSpec(exercise="squats", reps=max(1, n // 45), view="45", seed=1, width=640, height=480, fps=30)
    return [f for f, _ in iter_frames(spec)][:n]


def bare(model: str) -> tuple[Callable[[np.ndarray, int], object], Callable[[], None]]:
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    opts = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=model),
                                        running_mode=vision.RunningMode.VIDEO, num_poses=1)
    lm = vision.PoseLandmarker.create_from_options(opts)

    def step(img: np.ndarray, ts: int) -> object:
        rgb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        return lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), ts).pose_landmarks

    return step, lm.close


def wrapper(model: str, scan: bool = True) -> tuple[Callable[[np.ndarray, int], object], Callable[[], None]]:
    from deepfit_coach.pose import PoseEstimator

    est = PoseEstimator(model, scan_people=scan)
    return (lambda img, ts: est.process(img, ts, ts)), est.close


def unscanned(model: str) -> tuple[Callable[[np.ndarray, int], object], Callable[[], None]]:
    """PoseEstimator without the scan for other people (``scan_people=False``)."""
    return wrapper(model, scan=False)


def stream(model: str) -> tuple[Callable[[np.ndarray, int], object], Callable[[], None]]:
    """The whole PoseStream: frame source iteration, pose, PoseFrame objects."""
    from deepfit_coach.posestream import open_pose_stream
    from deepfit_coach.sources import IterableSource

    pending: list[tuple[np.ndarray, int]] = []

    def feed() -> Iterator[tuple[np.ndarray, int]]:
        while True:
            yield pending.pop()

    s = open_pose_stream(IterableSource(feed()), pose_model=model)
    it = iter(s)

    def step(img: np.ndarray, ts: int) -> object:
        pending.append((img, ts))
        return next(it)

    return step, s.close


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--video")
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--chunk", type=int, default=10)
    args = ap.parse_args()
    from deepfit_coach.model_store import resolve_pose_model
    from deepfit_coach.quiet import native_stderr_silenced

    model = str(resolve_pose_model("full"))
    frames = load_frames(args.video, args.frames)
    names = ["bare", "noscan", "wrapper", "stream"]
    with native_stderr_silenced():
        pipes = {name: f(model) for name, f in zip(names, (bare, unscanned, wrapper, stream))}
        for step, _ in pipes.values():   # warm-up frame each
            step(frames[0], 0)
    wall = dict.fromkeys(names, 0.0)
    cpu = dict.fromkeys(names, 0.0)
    frame_ms: dict[str, list[float]] = {name: [] for name in names}
    for c, start in enumerate(range(0, len(frames), args.chunk)):
        chunk = frames[start:start + args.chunk]
        order = names[c % len(names):] + names[:c % len(names)]
        for name in order:
            step = pipes[name][0]
            w0, c0 = time.perf_counter(), time.process_time()
            for i, img in enumerate(chunk):
                f0 = time.perf_counter()
                step(img, 33 * (start + i + 1))
                frame_ms[name].append(1000 * (time.perf_counter() - f0))
            wall[name] += time.perf_counter() - w0
            cpu[name] += time.process_time() - c0
    for _, close in pipes.values():
        with native_stderr_silenced():
            close()
    n = len(frames)
    print(f"{n} frames 640x480, full model, VIDEO mode, chunks of {args.chunk} in rotating order:")
    for name in names:
        ms = np.sort(frame_ms[name])
        print(f"  {name:8s} {n / wall[name]:6.1f} fps wall ({1000 * wall[name] / n:5.1f} ms/frame), "
              f"{1000 * cpu[name] / n:5.1f} ms CPU/frame; frames: median {np.median(ms):5.1f} ms, "
              f"99th pct {ms[int(0.99 * (len(ms) - 1))]:5.1f}, slowest {ms[-1]:5.1f}")
    for name in names[1:]:
        print(f"  throughput ratio {name}/bare = {wall['bare'] / wall[name]:.3f} (wall), "
              f"{cpu['bare'] / cpu[name]:.3f} (CPU)")


if __name__ == "__main__":
    main()
