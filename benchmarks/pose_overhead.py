"""Pose stage throughput: our PoseEstimator (and the full PoseStream) versus a bare loop
calling MediaPipe's PoseLandmarker directly on the same 640x480 frames.

Usage: python benchmarks/pose_overhead.py [--video clip.mp4] [--frames 300] [--repeats 3]
Without --video, a rendered mannequin squat clip is used. The order of the loops
alternates between repeats and the best repeat of each is kept, to be fair to both on a
shared machine. Prints frames per second and the ratio (wrapper / bare).
"""

from __future__ import annotations

import argparse
import time

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


def bare_loop(model: str, frames: list[np.ndarray]) -> float:
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    opts = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=model),
                                        running_mode=vision.RunningMode.VIDEO, num_poses=1)
    with vision.PoseLandmarker.create_from_options(opts) as lm:
        lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(frames[0][:, :, ::-1])), 0)
        t0 = time.perf_counter()
        for i, img in enumerate(frames):
            rgb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
            res = lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), 33 * (i + 1))
            _ = res.pose_landmarks
        return len(frames) / (time.perf_counter() - t0)


def wrapper_loop(model: str, frames: list[np.ndarray]) -> float:
    from deepfit_coach.pose import PoseEstimator

    with PoseEstimator(model) as est:
        est.process(frames[0], 0)
        t0 = time.perf_counter()
        for i, img in enumerate(frames):
            est.process(img, 33 * (i + 1), i)
        return len(frames) / (time.perf_counter() - t0)


def stream_loop(model: str, frames: list[np.ndarray]) -> float:
    from deepfit_coach.posestream import open_pose_stream
    from deepfit_coach.sources import IterableSource

    with open_pose_stream(IterableSource([frames[0]] + frames, fps=30), pose_model=model) as stream:
        it = iter(stream)
        next(it)
        t0 = time.perf_counter()
        n = sum(1 for _ in it)
        return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--video")
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    from deepfit_coach.model_store import resolve_pose_model
    from deepfit_coach.quiet import native_stderr_silenced

    model = str(resolve_pose_model("full"))
    frames = load_frames(args.video, args.frames)
    best = {"bare": 0.0, "wrapper": 0.0, "stream": 0.0}
    loops = {"bare": bare_loop, "wrapper": wrapper_loop, "stream": stream_loop}
    for r in range(args.repeats):
        order = list(loops) if r % 2 == 0 else list(reversed(loops))
        for name in order:
            with native_stderr_silenced():
                best[name] = max(best[name], loops[name](model, frames))
    print(f"{len(frames)} frames 640x480, full model, VIDEO mode, best of {args.repeats}:")
    for name, fps in best.items():
        print(f"  {name:8s} {fps:6.1f} fps  ({1000 / fps:5.1f} ms/frame)")
    print(f"  ratio wrapper/bare = {best['wrapper'] / best['bare']:.3f}; stream/bare = {best['stream'] / best['bare']:.3f}")


if __name__ == "__main__":
    main()
