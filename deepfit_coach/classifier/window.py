"""Per-frame and window features shared by training and the runtime.

A static frame often cannot tell exercises apart (the top of a curl, standing rest and
the top of a press look alike), so the window model sees how each keypoint moves over
the last ~1.5 s: the mean and spread of the 36 per-frame inputs plus how much the body's
centre travels (walking, jumping jacks) relative to the body's size.
"""

from __future__ import annotations

import numpy as np

from deepfit_coach.features import body_length, keypoints18, normalize_matec

WINDOW_S = 1.5            # seconds of history the window model looks at
NUM_FRAME_FEATURES = 36
NUM_WINDOW_FEATURES = 36 * 3 + 2


def frame_features(landmarks: np.ndarray, width: int = 1, height: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(..., 33, >=2) normalised landmarks -> ((..., 36) inputs, (..., 3) extras).

    Extras are the centre of the present keypoints in pixels (x, y) and the body length
    in pixels, which the window features need to measure whole-body motion.
    """
    lm = np.asarray(landmarks, dtype=np.float64).copy()
    lm[..., 0] *= width
    lm[..., 1] *= height
    kp, present = keypoints18(lm)
    feats = normalize_matec(kp, present)
    n = present.sum(axis=-1, keepdims=True)
    centre = np.sum(np.where(present[..., None], kp, 0.0), axis=-2) / np.maximum(n, 1)
    extras = np.concatenate([centre, body_length(kp, present)[..., None]], axis=-1)
    return feats, extras.astype(np.float32)


def window_features(feats: np.ndarray, extras: np.ndarray) -> np.ndarray:
    """(T, 36) frame inputs and (T, 3) extras of one window -> (110,) window inputs.

    Mean, standard deviation and range (max - min) of each per-frame input, then the
    standard deviation of the body centre (x, y) divided by the mean body length.
    Frames whose pose had no usable body length must be dropped by the caller.
    """
    f = np.asarray(feats, dtype=np.float64)
    e = np.asarray(extras, dtype=np.float64)
    if len(f) == 0:
        return np.zeros(NUM_WINDOW_FEATURES, dtype=np.float32)
    length = float(np.mean(e[:, 2]))
    motion = np.std(e[:, :2], axis=0) / length if length > 1e-9 else np.zeros(2)
    out = np.concatenate([f.mean(axis=0), f.std(axis=0), f.max(axis=0) - f.min(axis=0), motion])
    return out.astype(np.float32)


def sliding_window_features(feats: np.ndarray, extras: np.ndarray, times: np.ndarray,
                            valid: np.ndarray, window_s: float = WINDOW_S,
                            min_frames: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Window inputs ending at every frame of one clip: ((T, 110), (T,) bool usable).

    Same numbers as ``window_features`` over the valid frames within ``window_s`` of each
    frame (vectorised over frames). A window is usable when it holds at least
    ``min_frames`` valid frames spanning at least half the window.
    """
    t = np.asarray(times, dtype=np.float64)
    n = len(t)
    valid = np.asarray(valid, dtype=bool)
    x = np.concatenate([np.asarray(feats, np.float64), np.asarray(extras, np.float64)], axis=1)  # (T, 39)
    start = np.searchsorted(t, t - window_s + 1e-9, side="left")
    span = int((np.arange(n) - start).max()) + 1 if n else 0
    d = x.shape[1]
    s1, s2 = np.zeros((n, d)), np.zeros((n, d))
    hi, lo = np.full((n, d), -np.inf), np.full((n, d), np.inf)
    cnt = np.zeros(n)
    first = np.full(n, np.inf)
    last = np.full(n, -np.inf)
    rows = np.arange(n)
    for k in range(span):
        idx = rows - k
        ok = (idx >= start) & (idx >= 0)
        idx = np.where(ok, idx, 0)
        ok &= valid[idx]
        v = x[idx]
        m = ok[:, None]
        s1 += np.where(m, v, 0.0)
        s2 += np.where(m, v * v, 0.0)
        hi = np.where(m, np.maximum(hi, v), hi)
        lo = np.where(m, np.minimum(lo, v), lo)
        cnt += ok
        first = np.where(ok, np.minimum(first, t[idx]), first)
        last = np.where(ok, np.maximum(last, t[idx]), last)
    c = np.maximum(cnt, 1)[:, None]
    mean = s1 / c
    std = np.sqrt(np.maximum(s2 / c - mean * mean, 0.0))
    length = mean[:, 38]
    with np.errstate(divide="ignore", invalid="ignore"):
        motion = np.where(length[:, None] > 1e-9, std[:, 36:38] / length[:, None], 0.0)
    out = np.concatenate([mean[:, :36], std[:, :36], hi[:, :36] - lo[:, :36], motion], axis=1)
    usable = (cnt >= min_frames) & (last - first >= 0.5 * window_s - 1e-6)
    out = np.where(usable[:, None], out, 0.0)
    return out.astype(np.float32), usable
