"""A second person in the picture: someone walking past or standing behind the exerciser.

Real rooms and gyms have other people in them. The pose model follows one person
(``pose.PoseEstimator``); a bystander tests that it keeps following the one who exercises.
The bystander is a second random body drawn with the same camera and painter; the truth
stays the exerciser's alone. Its motion comes from its own random stream (seed + 99991),
so a clip's exerciser, camera and look are the same with or without a bystander.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from deepfit_coach.skeleton import LM
from deepfit_coach.synth.body import Body, sample_body, with_contrast
from deepfit_coach.synth.camera import Camera
from deepfit_coach.synth.kinematics import Pose3D
from deepfit_coach.synth.motion import Timeline, Wobble, add_rest
from deepfit_coach.synth.world import moved, world_poses

# walk_behind / walk_in_front: crosses the whole picture once, behind or in front of the
# exerciser; stand_behind: stands beside the exerciser, further back, the whole clip
BYSTANDER_KINDS: tuple[str, ...] = ("walk_behind", "walk_in_front", "stand_behind")
_SEED = 99991


@dataclass
class Bystander:
    """Who the other person is and how they move (one Pose3D per frame, scene metres)."""

    kind: str
    body: Body
    poses: list[Pose3D]
    start_s: float        # walkers: when they enter the picture
    depth_m: float        # how much further from the camera than the exerciser (< 0: nearer)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "start_s": round(self.start_s, 2), "depth_m": round(self.depth_m, 2),
                "body": self.body.to_dict()}


def _horizontal(v: np.ndarray) -> np.ndarray:
    h = np.array([v[0], 0.0, v[2]])
    return h / max(float(np.linalg.norm(h)), 1e-9)


def make_bystander(kind: str, seed: int, n_frames: int, fps: float, person: list[Pose3D], cam: Camera,
                   floor_colours: list[tuple[int, int, int]]) -> Bystander:
    """A bystander of ``kind`` (one of ``BYSTANDER_KINDS``, checked by ``clip.validate``) for a clip
    of ``n_frames`` whose exerciser moves as ``person``."""
    rng = np.random.default_rng(seed + _SEED)
    body = with_contrast(sample_body(rng), floor_colours)
    right, fwd = _horizontal(cam.rotation[0]), _horizontal(cam.rotation[2])
    walking = kind != "stand_behind"
    # facing the way they walk (a body at yaw 0 faces +z), or the camera when standing
    face = (right if rng.random() < 0.5 else -right) if walking else -fwd
    yaw = float(np.degrees(np.arctan2(face[0], face[2])))
    tl = Timeline(fps=fps)
    add_rest(tl, body, "walk_in_place" if walking else "standing", n_frames / fps + 0.5, rng,
             Wobble(np.random.default_rng(rng.integers(2**31))), yaw=yaw)
    poses = world_poses(tl, body)[:n_frames]
    hips = np.stack([0.5 * (p.landmarks[LM.LEFT_HIP] + p.landmarks[LM.RIGHT_HIP]) for p in person])
    centre = hips.mean(axis=0)
    centre[1] = 0.0
    own = 0.5 * (poses[0].landmarks[LM.LEFT_HIP] + poses[0].landmarks[LM.RIGHT_HIP])
    own[1] = 0.0
    depth = float(rng.uniform(1.2, 2.5)) if kind != "walk_in_front" else -float(rng.uniform(0.7, 1.2))
    # the picture's half width at the bystander's distance, in metres
    dist = float((centre - cam.position) @ cam.rotation[2]) + depth
    half_w = 0.5 * cam.width * dist / cam.focal
    if walking:
        speed = float(rng.uniform(0.9, 1.4))       # metres per second
        start_s = float(rng.uniform(0.1, 0.5)) * n_frames / fps
        side = float(np.sign(face @ right))         # walking right (+1) or left (-1) in the picture
        x0 = -side * (half_w + 0.6)
        xs = [x0 + side * speed * max(0.0, i / fps - start_s) for i in range(n_frames)]
    else:
        start_s = 0.0
        side = 1.0 if rng.random() < 0.5 else -1.0
        xs = [side * 0.7 * half_w] * n_frames
    out = []
    for i, p in enumerate(poses):
        shift = centre - own + fwd * depth + right * xs[i]
        out.append(moved(p, shift))
    return Bystander(kind, body, out, start_s, depth)
