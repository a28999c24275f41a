"""Ideal skeletons of synth timelines (no rendering, no pose model) for fast counter tests."""

from __future__ import annotations

import numpy as np

from deepfit_coach.skeleton import LM, Skeleton
from deepfit_coach.synth.body import sample_body
from deepfit_coach.synth.camera import VIEWS, fit_camera
from deepfit_coach.synth.motion import SetSpec, Timeline, Wobble, add_rest, add_set
from deepfit_coach.synth.world import world_poses


def ideal_clip(exercise: str, reps: int = 6, view: str = "side", seed: int = 0, faults: tuple[str, ...] = (),
               rep_faults: dict | None = None, side: str | None = None, before: str = "standing",
               after: str = "walk_in_place", rest_s: float = 2.5, fps: float = 30.0, noise_px: float = 0.0,
               tempo: float = 1.0):
    """(skeletons, timeline) of rest -> set -> rest seen by a perfect pose model."""
    rng = np.random.default_rng(seed)
    body = sample_body(rng)
    wob = Wobble(rng)
    tl = Timeline(fps=fps)
    add_rest(tl, body, before, rest_s, rng, wob, next_exercise=exercise)
    add_set(tl, body, SetSpec(exercise, reps=reps, side=side, faults=faults, rep_faults=rep_faults or {},
                              tempo=tempo), rng, wob)
    if after:
        add_rest(tl, body, after, rest_s, rng, wob)
    poses = world_poses(tl, body)
    pts = np.concatenate([p.landmarks for p in poses])
    cam = fit_camera(pts, 640, 480, yaw=VIEWS[view])
    out = []
    for i, p in enumerate(poses):
        uv, _ = cam.project(p.landmarks)
        uv = uv + rng.normal(0, noise_px, uv.shape) if noise_px else uv
        c = cam.to_cam(p.landmarks)
        c = c - 0.5 * (c[LM.LEFT_HIP] + c[LM.RIGHT_HIP])
        img = np.zeros((33, 5), np.float32)
        img[:, 0], img[:, 1] = uv[:, 0] / 640, uv[:, 1] / 480
        img[:, 3] = img[:, 4] = 1.0
        out.append(Skeleton(int(round(i * 1000 / fps)), img, c, 640, 480, i))
    return out, tl
