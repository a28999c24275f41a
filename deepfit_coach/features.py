"""Pose features, pure numpy and vectorised over any leading axes (frames, people).

* ``keypoints18``: the seed's 18-keypoint layout (Neck = midpoint of the shoulders).
* ``normalize_matec``: centre-of-gravity / body-length normalisation (MATEC 2017), giving
  the classifier's 36 inputs laid out as blocks: x of the 18 keypoints, then y.
* ``joint_angles``: named joint angles in degrees, from image pixels or world metres.
* ``visibility_summary``: which body parts are visible and inside the frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from deepfit_coach.skeleton import LM

KEYPOINT_NAMES: tuple[str, ...] = (
    "nose", "neck", "right_shoulder", "right_elbow", "right_wrist", "left_shoulder",
    "left_elbow", "left_wrist", "right_hip", "right_knee", "right_ankle", "left_hip",
    "left_knee", "left_ankle", "right_eye", "left_eye", "right_ear", "left_ear",
)
# Source landmark for each of the 18 keypoints; Neck (index 1) is replaced by the
# shoulders' midpoint after the gather.
_SOURCE = np.array([
    LM.NOSE, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW, LM.RIGHT_WRIST, LM.LEFT_SHOULDER,
    LM.LEFT_ELBOW, LM.LEFT_WRIST, LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE, LM.LEFT_HIP,
    LM.LEFT_KNEE, LM.LEFT_ANKLE, LM.RIGHT_EYE, LM.LEFT_EYE, LM.RIGHT_EAR, LM.LEFT_EAR,
])
NECK = 1
VISIBILITY_THRESHOLD = 0.5


def keypoints18(landmarks: np.ndarray, visibility: np.ndarray | None = None,
                threshold: float = VISIBILITY_THRESHOLD) -> tuple[np.ndarray, np.ndarray]:
    """Map (..., 33, >=2) landmarks to (..., 18, 2) keypoints and a (..., 18) present mask.

    ``visibility`` defaults to column 3 of ``landmarks`` when it has one, else all visible.
    """
    lm = np.asarray(landmarks, dtype=np.float64)
    if visibility is None:
        visibility = lm[..., 3] if lm.shape[-1] >= 4 else np.ones(lm.shape[:-1])
    kp = lm[..., _SOURCE, :2]  # fancy indexing: already a copy
    vis = np.asarray(visibility, dtype=np.float64)[..., _SOURCE]
    kp[..., NECK, :] = 0.5 * (lm[..., LM.LEFT_SHOULDER, :2] + lm[..., LM.RIGHT_SHOULDER, :2])
    vis[..., NECK] = np.minimum(visibility[..., LM.LEFT_SHOULDER], visibility[..., LM.RIGHT_SHOULDER])
    present = (vis >= threshold) & np.all(np.isfinite(kp), axis=-1)
    return kp, present


# Typical adult proportions (head : torso : leg), used to estimate body length when a
# segment is missing, e.g. legs out of frame during an upper-body exercise.
_TYPICAL = np.array([0.25, 0.5, 0.85])


def _seg(kp: np.ndarray, ok: np.ndarray, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
    return np.linalg.norm(kp[..., a, :] - kp[..., b, :], axis=-1), ok[..., a] & ok[..., b]


def body_length(kp: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Head (nose-neck) + torso (neck-mid hip) + leg (hip-knee-ankle) length, (...,).

    Missing segments are estimated from the present ones with typical proportions;
    0 where nothing usable is present.
    """
    head, head_ok = _seg(kp, present, 0, NECK)
    mid_hip = 0.5 * (kp[..., 8, :] + kp[..., 11, :])
    hips_ok = present[..., 8] & present[..., 11]
    one_hip = np.where(present[..., 8, None], kp[..., 8, :], kp[..., 11, :])
    hip = np.where(hips_ok[..., None], mid_hip, one_hip)
    hip_ok = present[..., 8] | present[..., 11]
    torso = np.linalg.norm(kp[..., NECK, :] - hip, axis=-1)
    torso_ok = present[..., NECK] & hip_ok
    legs, legs_n = np.zeros(kp.shape[:-2]), np.zeros(kp.shape[:-2])
    for h, k, a in ((8, 9, 10), (11, 12, 13)):
        upper, uok = _seg(kp, present, h, k)
        lower, lok = _seg(kp, present, k, a)
        ok = uok & lok
        legs += np.where(ok, upper + lower, 0.0)
        legs_n += ok
    leg = np.where(legs_n > 0, legs / np.maximum(legs_n, 1), 0.0)
    leg_ok = legs_n > 0
    segs = np.stack([head, torso, leg], axis=-1)
    oks = np.stack([head_ok, torso_ok, leg_ok], axis=-1)
    known = np.sum(np.where(oks, segs, 0.0), axis=-1)
    known_typical = np.sum(np.where(oks, _TYPICAL, 0.0), axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        total = np.where(known_typical > 0, known / known_typical * _TYPICAL.sum(), 0.0)
    return total


def normalize_matec(kp: np.ndarray, present: np.ndarray) -> np.ndarray:
    """(..., 18, 2) keypoints -> (..., 36) classifier inputs, blocks of x then y.

    Centre of gravity = mean of the present keypoints; scale = body length. Missing
    keypoints become 0 (the centre). No division by zero: a pose with no usable
    segment gives all zeros.
    """
    return normalize_matec_parts(kp, present)[0]


def normalize_matec_parts(kp: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``normalize_matec`` plus the centre (..., 2) and body length (...,) it used, for
    callers that need them too (the classifier's extras) without computing them twice."""
    kp = np.asarray(kp, dtype=np.float64)
    present = np.asarray(present, dtype=bool)
    n = present.sum(axis=-1, keepdims=True)
    centre = np.sum(np.where(present[..., None], kp, 0.0), axis=-2) / np.maximum(n, 1)
    length = body_length(kp, present)
    scale = np.where(length > 1e-9, length, np.inf)
    out = (kp - centre[..., None, :]) / scale[..., None, None]
    out = np.where(present[..., None], out, 0.0)
    return np.concatenate([out[..., 0], out[..., 1]], axis=-1).astype(np.float32), centre, length


def classifier_input(landmarks: np.ndarray, width: int = 1, height: int = 1) -> np.ndarray:
    """Classifier features from (..., 33, 5) normalised landmarks of a width x height frame.

    Coordinates are taken in pixels first so that the aspect ratio does not distort the body.
    """
    lm = np.asarray(landmarks, dtype=np.float64).copy()
    lm[..., 0] *= width
    lm[..., 1] *= height
    kp, present = keypoints18(lm)
    return normalize_matec(kp, present)


# Named joint angles: (a, vertex, c) -> angle at the vertex between vertex->a and vertex->c.
ANGLES: dict[str, tuple[int, int, int]] = {
    "left_elbow": (LM.LEFT_SHOULDER, LM.LEFT_ELBOW, LM.LEFT_WRIST),
    "right_elbow": (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW, LM.RIGHT_WRIST),
    "left_shoulder": (LM.LEFT_HIP, LM.LEFT_SHOULDER, LM.LEFT_ELBOW),
    "right_shoulder": (LM.RIGHT_HIP, LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW),
    "left_hip": (LM.LEFT_SHOULDER, LM.LEFT_HIP, LM.LEFT_KNEE),
    "right_hip": (LM.RIGHT_SHOULDER, LM.RIGHT_HIP, LM.RIGHT_KNEE),
    "left_knee": (LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE),
    "right_knee": (LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE),
    "left_ankle": (LM.LEFT_KNEE, LM.LEFT_ANKLE, LM.LEFT_FOOT_INDEX),
    "right_ankle": (LM.RIGHT_KNEE, LM.RIGHT_ANKLE, LM.RIGHT_FOOT_INDEX),
    # body line: shoulder-hip-ankle, 180 when straight (plank, standing)
    "left_body_line": (LM.LEFT_SHOULDER, LM.LEFT_HIP, LM.LEFT_ANKLE),
    "right_body_line": (LM.RIGHT_SHOULDER, LM.RIGHT_HIP, LM.RIGHT_ANKLE),
}


def angle_at(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Angle ABC in degrees (0..180) for points of any dimension; NaN if a segment is empty."""
    ba = np.asarray(a, dtype=np.float64) - b
    bc = np.asarray(c, dtype=np.float64) - b
    nba = np.linalg.norm(ba, axis=-1)
    nbc = np.linalg.norm(bc, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = np.sum(ba * bc, axis=-1) / (nba * nbc)
    cos = np.where((nba > 1e-12) & (nbc > 1e-12), np.clip(cos, -1.0, 1.0), np.nan)
    return np.degrees(np.arccos(cos))


def inclination(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """Angle in degrees between the segment bottom->top and straight up (y points down).

    0 = upright, 90 = horizontal, 180 = upside down. Works in image pixels and in
    MediaPipe world coordinates (both have y down).
    """
    v = np.asarray(top, dtype=np.float64) - bottom
    up = np.zeros(v.shape[-1])
    up[1] = -1.0
    n = np.linalg.norm(v, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = np.where(n > 1e-12, (v @ up) / n, np.nan)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def joint_angles(points: np.ndarray) -> dict[str, np.ndarray]:
    """Named angles (degrees) from (..., 33, 2|3) points: pixels or world metres.

    Pass pixel coordinates (not normalised ones) for image angles, so the frame's aspect
    ratio does not bend them. Besides the joint angles: ``torso_incline`` (mid hip ->
    mid shoulder against vertical) and ``{left,right}_upper_arm_incline``,
    ``{left,right}_forearm_incline``, ``{left,right}_thigh_incline``,
    ``{left,right}_shin_incline`` (distal -> proximal segment against vertical up).
    """
    p = np.asarray(points, dtype=np.float64)
    out = {name: angle_at(p[..., a, :], p[..., b, :], p[..., c, :]) for name, (a, b, c) in ANGLES.items()}
    mid_sh = 0.5 * (p[..., LM.LEFT_SHOULDER, :] + p[..., LM.RIGHT_SHOULDER, :])
    mid_hip = 0.5 * (p[..., LM.LEFT_HIP, :] + p[..., LM.RIGHT_HIP, :])
    out["torso_incline"] = inclination(mid_sh, mid_hip)
    for side, s, e, w, h, k, a in (
        ("left", LM.LEFT_SHOULDER, LM.LEFT_ELBOW, LM.LEFT_WRIST, LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE),
        ("right", LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW, LM.RIGHT_WRIST, LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE),
    ):
        out[f"{side}_upper_arm_incline"] = inclination(p[..., s, :], p[..., e, :])
        out[f"{side}_forearm_incline"] = inclination(p[..., e, :], p[..., w, :])
        out[f"{side}_thigh_incline"] = inclination(p[..., h, :], p[..., k, :])
        out[f"{side}_shin_incline"] = inclination(p[..., k, :], p[..., a, :])
    return out


BODY_PARTS: dict[str, tuple[int, ...]] = {
    "head": (LM.NOSE, LM.LEFT_EYE, LM.RIGHT_EYE),
    "torso": (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP),
    "left_arm": (LM.LEFT_SHOULDER, LM.LEFT_ELBOW, LM.LEFT_WRIST),
    "right_arm": (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW, LM.RIGHT_WRIST),
    "left_leg": (LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE),
    "right_leg": (LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE),
}


@dataclass(frozen=True)
class Visibility:
    """Which body parts are visible and inside the frame in one frame."""

    parts: dict[str, bool]
    landmarks: np.ndarray  # (33,) bool: visible and in frame

    @property
    def full_body(self) -> bool:
        return all(self.parts.values())

    @property
    def fraction(self) -> float:
        return float(np.mean(self.landmarks))

    def missing(self) -> list[str]:
        return [name for name, ok in self.parts.items() if not ok]


def in_picture(landmarks: np.ndarray, margin: float = 0.02) -> np.ndarray:
    """(..., 33) bool: x, y within the frame (+ margin)."""
    lm = np.asarray(landmarks)
    x, y = lm[..., 0], lm[..., 1]
    return (x >= -margin) & (x <= 1 + margin) & (y >= -margin) & (y <= 1 + margin)


def landmarks_in_view(landmarks: np.ndarray, threshold: float = VISIBILITY_THRESHOLD,
                      margin: float = 0.02) -> np.ndarray:
    """(..., 33) bool: visibility above threshold and x, y within the frame (+ margin)."""
    return in_picture(landmarks, margin) & (np.asarray(landmarks)[..., 3] >= threshold)


def presence_in_picture(landmarks: np.ndarray, inside: np.ndarray | None = None) -> np.ndarray:
    """(33,) one frame's landmarks' presence in the picture as the counters read it: the pose
    model's presence, 0 outside the frame (``inside``: ``in_picture``'s, if already known).
    A far limb hidden behind the body is present but not visible; recordings without presence
    fall back to visibility."""
    lm = np.asarray(landmarks)
    inside = in_picture(lm) if inside is None else inside
    return np.where(inside, lm[:, 4] if lm[:, 4].any() else lm[:, 3], 0.0)


def visibility_summary(landmarks: np.ndarray, threshold: float = VISIBILITY_THRESHOLD) -> Visibility:
    """Body-part visibility of one frame's (33, 5) normalised landmarks."""
    ok = landmarks_in_view(landmarks, threshold)
    return Visibility(parts={name: bool(ok[list(idx)].all()) for name, idx in BODY_PARTS.items()}, landmarks=ok)
