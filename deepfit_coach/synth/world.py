"""Timeline -> 3D world poses, with feet (or toes) kept planted between frames."""

from __future__ import annotations

import numpy as np

from deepfit_coach.skeleton import LM
from deepfit_coach.synth.body import Body
from deepfit_coach.synth.kinematics import Pose3D, place
from deepfit_coach.synth.motion import Timeline


def _anchor_point(pose: Pose3D, anchor: str) -> np.ndarray:
    lm = pose.landmarks
    if anchor == "left_foot":
        return lm[LM.LEFT_ANKLE]
    if anchor == "right_foot":
        return lm[LM.RIGHT_ANKLE]
    if anchor == "walk":
        return lm[LM.LEFT_ANKLE] if lm[LM.LEFT_ANKLE, 1] < lm[LM.RIGHT_ANKLE, 1] else lm[LM.RIGHT_ANKLE]
    if anchor == "toes":
        return 0.5 * (lm[LM.LEFT_FOOT_INDEX] + lm[LM.RIGHT_FOOT_INDEX])
    return 0.5 * (lm[LM.LEFT_ANKLE] + lm[LM.RIGHT_ANKLE])


def world_poses(tl: Timeline, body: Body) -> list[Pose3D]:
    """One Pose3D per frame. The active anchor keeps its floor position from frame to frame,
    so squats sit back, lunges step and walking travels instead of sliding feet."""
    out: list[Pose3D] = []
    shift = np.zeros(3)
    prev_raw: np.ndarray | None = None
    prev_extra: dict = {}
    for i, p in enumerate(tl.params):
        pose = place(body, p, tl.reach[i])
        if prev_raw is not None:
            prev_pose = Pose3D(prev_raw, prev_extra, False)
            delta = _anchor_point(prev_pose, tl.anchors[i]) - _anchor_point(pose, tl.anchors[i])
            delta[1] = 0.0
            shift = shift + delta
        prev_raw, prev_extra = pose.landmarks.copy(), pose.extra
        out.append(moved(pose, shift))
    return out


def moved(pose: Pose3D, shift: np.ndarray) -> Pose3D:
    """The pose ``shift`` metres away: its landmarks and the extra points it carries."""
    extra = {k: (v + shift if k in POINT_KEYS else v) for k, v in pose.extra.items()}
    return Pose3D(pose.landmarks + shift, extra, pose.dumbbells)


# the extra points a pose carries (moved with it; the rest of Pose3D.extra are directions and sizes)
POINT_KEYS = {"pelvis", "sh_mid", "neck_top", "head_c", "l_hand_c", "r_hand_c"}
