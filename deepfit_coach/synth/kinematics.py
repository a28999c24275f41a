"""Forward kinematics: joint angles (degrees) -> 3D points of the 33 MediaPipe landmarks.

Scene axes: x = the person's left at yaw 0, y = up, z = forward (the way the person faces
at yaw 0), metres. Angle conventions (all default 0 = standing, arms hanging):

* root: ``yaw`` (turn about the vertical), ``pitch`` (+ tips the body face-forward,
  90 = lying face down, -90 = lying on the back), ``roll``, ``px``/``pz`` (floor position),
  ``lift`` (metres above floor contact, e.g. a jump).
* ``spine_flex`` (+ bends forward), ``spine_side`` (+ bends to the left), ``spine_twist``,
  ``neck_flex`` (+ chin down), ``neck_turn``.
* per side (``l_``/``r_``): ``sh_flex`` (+ raises the arm forward), ``sh_abd`` (+ raises it
  sideways), ``sh_twist`` (turns the elbow's bending plane), ``elbow`` (flexion),
  ``hip_flex``, ``hip_abd``, ``hip_twist``, ``knee`` (flexion), ``knee_abd`` (+ moves the
  foot outwards), ``ankle`` (+ points the toes down).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from deepfit_coach.skeleton import LM, NUM_LANDMARKS
from deepfit_coach.synth.body import Body

Params = dict[str, float]

ROOT_KEYS = ("yaw", "pitch", "roll", "px", "pz", "lift")
TRUNK_KEYS = ("spine_flex", "spine_side", "spine_twist", "neck_flex", "neck_turn")
LIMB_KEYS = ("sh_flex", "sh_abd", "sh_twist", "elbow", "hip_flex", "hip_abd", "hip_twist", "knee",
             "knee_abd", "ankle")
PARAM_KEYS: tuple[str, ...] = ROOT_KEYS + TRUNK_KEYS + tuple(
    f"{s}_{k}" for s in ("l", "r") for k in LIMB_KEYS) + ("dumbbells", "hands_planted")
INDEX = {k: i for i, k in enumerate(PARAM_KEYS)}


def vec(params: Params) -> np.ndarray:
    """Params dict -> dense vector (missing keys are 0), the form used for blending."""
    v = np.zeros(len(PARAM_KEYS))
    for k, x in params.items():
        v[INDEX[k]] = x
    return v


def _rx(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def _ry(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def _rz(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


DOWN = np.array([0.0, -1.0, 0.0])


@dataclass
class Pose3D:
    """World points of one frame: 33 landmarks plus extra points the renderer needs."""

    landmarks: np.ndarray            # (33, 3)
    extra: dict[str, np.ndarray]     # named points / axes (neck, head centre, dumbbells ...)
    dumbbells: bool


def _limb_frame(parent: np.ndarray, side: float, flex: float, abd: float, twist: float) -> np.ndarray:
    """Arms: abduct, then flex in the abducted plane (so a 90° press rack stays a rack)."""
    return parent @ _rz(side * abd) @ _rx(-flex) @ _ry(side * twist)


def _leg_frame(parent: np.ndarray, side: float, flex: float, abd: float, twist: float) -> np.ndarray:
    """Legs: flex, then abduct sideways, so knees stay out over the toes in a deep squat."""
    return parent @ _rx(-flex) @ _rz(side * abd) @ _ry(side * twist)


def forward(body: Body, p: np.ndarray) -> Pose3D:
    """Joint-angle vector (see ``PARAM_KEYS``) -> world points, before floor contact."""
    d = np.radians
    g = lambda k: p[INDEX[k]]  # noqa: E731
    r_root = _ry(d(g("yaw"))) @ _rx(d(g("pitch"))) @ _rz(d(g("roll")))
    pelvis = np.array([g("px"), 0.0, g("pz")])
    r_torso = r_root @ _rx(d(g("spine_flex"))) @ _rz(d(g("spine_side"))) @ _ry(d(g("spine_twist")))
    up_t = r_torso[:, 1]
    x_t = r_torso[:, 0]
    sh_mid = pelvis + up_t * body.torso
    neck_top = sh_mid + up_t * body.neck * 1.3
    r_head = r_torso @ _rx(d(g("neck_flex"))) @ _ry(d(g("neck_turn")))
    head_c = neck_top + r_head[:, 1] * body.head_radius * 0.95
    lm = np.zeros((NUM_LANDMARKS, 3))
    hr = body.head_radius
    hx, hy, hz = r_head[:, 0], r_head[:, 1], r_head[:, 2]
    lm[LM.NOSE] = head_c + hz * hr * 1.1 - hy * hr * 0.2
    for side, (inner, eye, outer, ear, mouth) in ((1, (LM.LEFT_EYE_INNER, LM.LEFT_EYE, LM.LEFT_EYE_OUTER,
                                                       LM.LEFT_EAR, LM.MOUTH_LEFT)),
                                                  (-1, (LM.RIGHT_EYE_INNER, LM.RIGHT_EYE, LM.RIGHT_EYE_OUTER,
                                                        LM.RIGHT_EAR, LM.MOUTH_RIGHT))):
        lm[eye] = head_c + hz * hr * 0.8 + hy * hr * 0.1 + side * hx * hr * 0.38
        lm[inner] = head_c + hz * hr * 0.86 + hy * hr * 0.1 + side * hx * hr * 0.2
        lm[outer] = head_c + hz * hr * 0.7 + hy * hr * 0.1 + side * hx * hr * 0.55
        lm[ear] = head_c + side * hx * hr * 0.98 - hz * hr * 0.05
        lm[mouth] = head_c + hz * hr * 0.8 - hy * hr * 0.5 + side * hx * hr * 0.25
    extra: dict[str, np.ndarray] = {"pelvis": pelvis, "sh_mid": sh_mid, "neck_top": neck_top,
                                    "head_c": head_c, "head_x": hx, "head_y": hy, "head_z": hz,
                                    "torso_z": r_torso[:, 2], "torso_x": x_t, "root_z": r_root[:, 2],
                                    "root_x": r_root[:, 0]}
    for side, s in ((1.0, "l"), (-1.0, "r")):
        L = side > 0
        sh = sh_mid + side * x_t * body.shoulder_width / 2
        r_up = _limb_frame(r_torso, side, d(g(f"{s}_sh_flex")), d(g(f"{s}_sh_abd")), d(g(f"{s}_sh_twist")))
        elbow = sh + r_up @ DOWN * body.upper_arm
        r_fore = r_up @ _rx(-d(g(f"{s}_elbow")))
        wrist = elbow + r_fore @ DOWN * body.forearm
        hand_dir, hand_x, hand_z = r_fore @ DOWN, r_fore[:, 0] * side, r_fore[:, 2]
        hip = pelvis + side * r_root[:, 0] * body.hip_width / 2
        r_th = _leg_frame(r_root, side, d(g(f"{s}_hip_flex")), d(g(f"{s}_hip_abd")), d(g(f"{s}_hip_twist")))
        knee = hip + r_th @ DOWN * body.thigh
        r_sh = r_th @ _rz(side * d(g(f"{s}_knee_abd"))) @ _rx(d(g(f"{s}_knee")))
        ankle = knee + r_sh @ DOWN * body.shin
        r_ft = r_sh @ _rx(-d(g(f"{s}_ankle")))
        fz, fy = r_ft[:, 2], r_ft[:, 1]
        heel = ankle - fz * body.foot * 0.22 - fy * body.ankle_height * 0.8
        toe = ankle + fz * body.foot * 0.72 - fy * body.ankle_height
        idx = {True: (LM.LEFT_SHOULDER, LM.LEFT_ELBOW, LM.LEFT_WRIST, LM.LEFT_PINKY, LM.LEFT_INDEX,
                      LM.LEFT_THUMB, LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE, LM.LEFT_HEEL,
                      LM.LEFT_FOOT_INDEX),
               False: (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW, LM.RIGHT_WRIST, LM.RIGHT_PINKY, LM.RIGHT_INDEX,
                       LM.RIGHT_THUMB, LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE, LM.RIGHT_HEEL,
                       LM.RIGHT_FOOT_INDEX)}[L]
        h = body.hand
        pinky = wrist + hand_dir * h * 0.85 - hand_x * h * 0.25
        index = wrist + hand_dir * h * 0.95 + hand_x * h * 0.12
        thumb = wrist + hand_dir * h * 0.45 + hand_x * h * 0.35 + hand_z * h * 0.15
        for i, pt in zip(idx, (sh, elbow, wrist, pinky, index, thumb, hip, knee, ankle, heel, toe)):
            lm[i] = pt
        extra[f"{s}_hand_c"] = wrist + hand_dir * h * 0.5
        extra[f"{s}_hand_x"] = hand_x
        extra[f"{s}_foot_y"] = fy
    return Pose3D(landmarks=lm, extra=extra, dumbbells=bool(g("dumbbells") > 0.5))


def floor_offset(body: Body, pose: Pose3D) -> float:
    """Vertical shift that puts the lowest body surface on the floor (y = 0)."""
    lm = pose.landmarks
    r = np.full(NUM_LANDMARKS, body.arm_radius * 0.6)
    r[[LM.LEFT_HEEL, LM.RIGHT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX]] = 0.01
    r[[LM.LEFT_HIP, LM.RIGHT_HIP]] = body.torso_depth
    r[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]] = body.torso_depth * 0.9
    r[[LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_ANKLE, LM.RIGHT_ANKLE]] = body.leg_radius * 0.8
    low = float(np.min(lm[:, 1] - r))
    low = min(low, float(pose.extra["head_c"][1] - body.head_radius))
    return -low


def place(body: Body, p: np.ndarray, hand_reach: float = 0.0) -> Pose3D:
    """FK, planted hands, floor contact and ``lift``: the world pose of one frame."""
    pose = forward(body, p)
    plant_hands(body, pose, float(p[INDEX["hands_planted"]]), hand_reach)
    dy = floor_offset(body, pose) + p[INDEX["lift"]]
    shift = np.array([0.0, dy, 0.0])
    pose.landmarks = pose.landmarks + shift
    for k in ("pelvis", "sh_mid", "neck_top", "head_c", "l_hand_c", "r_hand_c"):
        pose.extra[k] = pose.extra[k] + shift
    return pose


def _two_bone(root: np.ndarray, target: np.ndarray, l1: float, l2: float, pole: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """Elbow and wrist positions reaching from ``root`` towards ``target``, elbow towards ``pole``."""
    d = target - root
    dist = float(np.linalg.norm(d))
    u = d / max(dist, 1e-9)
    dist = min(dist, (l1 + l2) * 0.999)
    cos_a = (l1 * l1 + dist * dist - l2 * l2) / (2 * l1 * dist)
    a = np.arccos(np.clip(cos_a, -1, 1))
    side = pole - np.dot(pole, u) * u
    side /= max(float(np.linalg.norm(side)), 1e-9)
    elbow = root + l1 * (np.cos(a) * u + np.sin(a) * side)
    wrist = root + u * dist
    return elbow, wrist


def plant_hands(body: Body, pose: Pose3D, weight: float, reach: float) -> None:
    """Move elbows/wrists/hands towards floor targets ``reach`` m ahead of the toes (in place)."""
    if weight <= 0:
        return
    lm = pose.landmarks
    heading = pose.extra["root_z"].copy()
    heading[1] = 0
    heading /= max(float(np.linalg.norm(heading)), 1e-9)
    toes = 0.5 * (lm[LM.LEFT_FOOT_INDEX] + lm[LM.RIGHT_FOOT_INDEX])
    for side, (s, e, w, pk, ix, th) in ((1, (LM.LEFT_SHOULDER, LM.LEFT_ELBOW, LM.LEFT_WRIST, LM.LEFT_PINKY,
                                              LM.LEFT_INDEX, LM.LEFT_THUMB)),
                                        (-1, (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW, LM.RIGHT_WRIST, LM.RIGHT_PINKY,
                                              LM.RIGHT_INDEX, LM.RIGHT_THUMB))):
        lateral = np.cross(np.array([0.0, 1.0, 0.0]), heading) * side  # points to this side
        sh = lm[s]
        off = float(np.dot(sh - toes, lateral))
        target = toes + heading * reach + lateral * (off + 0.06) + np.array([0, body.hand * 0.35, 0])
        target[1] = toes[1] + body.hand * 0.2
        pole = -heading + 0.6 * lateral
        elbow, wrist = _two_bone(sh, target, body.upper_arm, body.forearm, pole)
        fwd = heading * np.cos(0.3) + lateral * np.sin(0.3) * 0.5
        h = body.hand
        new = {e: elbow, w: wrist, pk: wrist + fwd * h * 0.85 - lateral * h * 0.25,
               ix: wrist + fwd * h * 0.95 + lateral * h * 0.05, th: wrist + fwd * h * 0.45 - lateral * h * 0.35}
        for i, p in new.items():
            lm[i] = (1 - weight) * lm[i] + weight * p
        key = "l" if side > 0 else "r"
        pose.extra[f"{key}_hand_c"] = (1 - weight) * pose.extra[f"{key}_hand_c"] + weight * (wrist + fwd * h * 0.5)
