"""View-invariant per-frame features from MediaPipe's world landmarks (3D, metres).

In 2D, a curl seen from the back looks like standing and a lateral raise seen from the
side like a front raise: the motion goes towards the camera. MediaPipe's world landmarks
still carry it (depth is noisy, but present). The skeleton is turned into a body frame
whose axes do not depend on where the camera stands: ``up`` is the camera's up (gravity,
up to the camera's pitch), ``out`` is the hip axis (left hip minus right hip) made
horizontal, ``fwd`` = out x up is where the hips face. Lengths are divided by the torso
length, so body size does not matter either.

Each arm and each leg gets the same features, with the lateral coordinate measured
outwards from the body (mirror-symmetric); the window statistics then take the max and
min over the two sides, so the window model cannot tell a left-arm from a right-arm set,
nor a mirrored video from the original.
"""

from __future__ import annotations

import numpy as np

from deepfit_coach.skeleton import LM

ARM_FEATURES = 8   # elbow angle, shoulder angle, wrist - shoulder (out, up, fwd), elbow - shoulder (out, up, fwd)
LEG_FEATURES = 7   # knee angle, hip angle, ankle - hip (out, up, fwd), knee - hip (up, fwd)
SIDE_FEATURES = ARM_FEATURES + LEG_FEATURES
GLOBAL_FEATURES = 9
NUM_BODY_FEATURES = 2 * SIDE_FEATURES + GLOBAL_FEATURES + 1   # + 1: "world landmarks present" flag

MID_HIP, MID_SH = 33, 34   # appended to the 33 landmarks
_L = (LM.LEFT_SHOULDER, LM.LEFT_ELBOW, LM.LEFT_WRIST, LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE)
_R = (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW, LM.RIGHT_WRIST, LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE)


def _side_vectors(sh: int, el: int, wr: int, hip: int, kn: int, an: int) -> list[tuple[int, int]]:
    """(head, tail) landmark pairs of one side: wrist-shoulder, elbow-shoulder, ankle-hip, knee-hip."""
    return [(wr, sh), (el, sh), (an, hip), (kn, hip)]


# Vectors expressed in the body frame: 4 per side, then torso, ankle gap, wrist gap, head.
_VEC = np.array(_side_vectors(*_L) + _side_vectors(*_R)
                + [(MID_SH, MID_HIP), (LM.LEFT_ANKLE, LM.RIGHT_ANKLE), (LM.LEFT_WRIST, LM.RIGHT_WRIST),
                   (LM.NOSE, MID_SH)])
# Angles between two vectors (a - b, c - d): elbow, shoulder (vs torso down), knee, hip (vs torso).
_ANG = np.array([[(s, e, w, e), (e, s, MID_HIP, MID_SH), (h, k, a, k), (MID_SH, MID_HIP, k, h)]
                 for s, e, w, h, k, a in (_L, _R)]).reshape(-1, 4)


def body_features(world: np.ndarray) -> np.ndarray:
    """(..., 33, 3) world landmarks -> (..., NUM_BODY_FEATURES) float32.

    Frames without world landmarks (all zeros) give zeros and a 0 flag.
    """
    w = np.asarray(world, dtype=np.float64)
    lead = w.shape[:-2]
    w = w.reshape(-1, 33, 3)
    n = len(w)
    present = np.abs(w).reshape(n, -1).sum(axis=1) > 1e-6
    mids = np.stack([(w[:, LM.LEFT_HIP] + w[:, LM.RIGHT_HIP]) / 2,
                     (w[:, LM.LEFT_SHOULDER] + w[:, LM.RIGHT_SHOULDER]) / 2], axis=1)
    p = np.concatenate([w, mids], axis=1)                                   # (n, 35, 3)
    v = p[:, _VEC[:, 0]] - p[:, _VEC[:, 1]]                                 # (n, 12, 3)
    lt = np.maximum(np.linalg.norm(v[:, 8], axis=-1), 0.05)                 # torso length
    # body frame: up = camera up (MediaPipe's y points down), out = hip axis made horizontal
    axis = np.stack([p[:, LM.LEFT_HIP] - p[:, LM.RIGHT_HIP], p[:, LM.LEFT_SHOULDER] - p[:, LM.RIGHT_SHOULDER]], 1)
    axis[..., 1] = 0.0
    norms = np.linalg.norm(axis, axis=-1)
    use_sh = norms[:, 0] < 1e-3                                             # hips stacked: use the shoulders
    out_ax = np.where(use_sh[:, None], axis[:, 1], axis[:, 0]) / np.maximum(
        np.where(use_sh, norms[:, 1], norms[:, 0]), 1e-9)[:, None]
    fwd_ax = np.stack([out_ax[:, 2], np.zeros(n), -out_ax[:, 0]], axis=1)   # out x up, up = (0, -1, 0)
    loc = np.stack([np.einsum("nkj,nj->nk", v, out_ax), -v[..., 1], np.einsum("nkj,nj->nk", v, fwd_ax)],
                   axis=-1) / lt[:, None, None]                             # (n, 12, 3): out, up, fwd
    loc[:, 4:8, 0] *= -1                                                    # right side: outwards is -out
    a = p[:, _ANG[:, 0]] - p[:, _ANG[:, 1]]
    b = p[:, _ANG[:, 2]] - p[:, _ANG[:, 3]]
    cos = np.sum(a * b, -1) / np.maximum(np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1), 1e-18)
    ang = np.arccos(np.clip(cos, -1.0, 1.0)) / np.pi                        # (n, 8)
    low = np.min(-p[:, [LM.LEFT_ANKLE, LM.RIGHT_ANKLE], 1], axis=1)
    sides = []
    for k in (0, 1):
        o = 4 * k
        sides.append(np.concatenate([ang[:, 4 * k:4 * k + 2], loc[:, o], loc[:, o + 1],
                                     ang[:, 4 * k + 2:4 * k + 4], loc[:, o + 2], loc[:, o + 3, 1:]], axis=1))
    glob = np.stack([loc[:, 8, 1], loc[:, 8, 2], np.abs(loc[:, 8, 0]), np.abs(loc[:, 9, 0]),
                     np.linalg.norm(v[:, 10], axis=-1) / lt, (-mids[:, 0, 1] - low) / lt,
                     loc[:, 11, 1], loc[:, 11, 2], np.abs(loc[:, 11, 0])], axis=1)
    out = np.concatenate(sides + [glob], axis=1)
    out = np.where(present[:, None], out, 0.0)
    out = np.concatenate([out, present[:, None].astype(np.float64)], axis=-1)
    return out.reshape(*lead, NUM_BODY_FEATURES).astype(np.float32)


def window_body_features(stats: dict[str, np.ndarray], recent_std: np.ndarray) -> np.ndarray:
    """Window statistics of body features -> side-symmetric window inputs.

    ``stats`` has "mean", "std", "range" of shape (N, NUM_BODY_FEATURES); ``recent_std``
    the standard deviation over the recent part. Per-side blocks become max and min over
    the two sides; global features are kept; the flag's mean says how much of the window
    had world landmarks.
    """
    parts = []
    n = SIDE_FEATURES
    for x in (stats["mean"], stats["std"], stats["range"], recent_std):
        left, right = x[:, :n], x[:, n:2 * n]
        parts += [np.maximum(left, right), np.minimum(left, right), x[:, 2 * n:2 * n + GLOBAL_FEATURES]]
    parts.append(stats["mean"][:, -1:])
    return np.concatenate(parts, axis=1)


NUM_WINDOW_BODY_FEATURES = 4 * (2 * SIDE_FEATURES + GLOBAL_FEATURES) + 1
