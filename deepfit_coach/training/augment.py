"""Noise that makes exact projected joints look like MediaPipe's output on a video.

Exact synth joints are too clean: a model trained on them trusts every wrist. MediaPipe
jitters (more at the extremities, correlated over time), drops or guesses occluded
joints, sometimes swaps left and right limbs, and loses keypoints at the frame border.
All functions take (T, 33, 5) normalised landmarks of one clip and return a new array.
"""

from __future__ import annotations

import numpy as np

from deepfit_coach.skeleton import LM, LR_SWAP

_EXTREMITY = [LM.LEFT_WRIST, LM.RIGHT_WRIST, LM.LEFT_ANKLE, LM.RIGHT_ANKLE, LM.LEFT_ELBOW, LM.RIGHT_ELBOW,
              LM.LEFT_PINKY, LM.RIGHT_PINKY, LM.LEFT_INDEX, LM.RIGHT_INDEX, LM.LEFT_THUMB, LM.RIGHT_THUMB,
              LM.LEFT_HEEL, LM.RIGHT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX]
_ARMS = [(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER), (LM.LEFT_ELBOW, LM.RIGHT_ELBOW), (LM.LEFT_WRIST, LM.RIGHT_WRIST),
         (LM.LEFT_PINKY, LM.RIGHT_PINKY), (LM.LEFT_INDEX, LM.RIGHT_INDEX), (LM.LEFT_THUMB, LM.RIGHT_THUMB)]
_LEGS = [(LM.LEFT_HIP, LM.RIGHT_HIP), (LM.LEFT_KNEE, LM.RIGHT_KNEE), (LM.LEFT_ANKLE, LM.RIGHT_ANKLE),
         (LM.LEFT_HEEL, LM.RIGHT_HEEL), (LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX)]


def mirror(lm: np.ndarray) -> np.ndarray:
    """Flip the image horizontally: x -> 1 - x and left/right landmarks exchanged."""
    out = np.array(lm, dtype=np.float32)[..., LR_SWAP, :]
    out[..., 0] = 1.0 - out[..., 0]
    return out


_FAR_CHAINS = [((LM.LEFT_ELBOW, LM.RIGHT_ELBOW), (LM.LEFT_WRIST, LM.RIGHT_WRIST), (LM.LEFT_PINKY, LM.RIGHT_PINKY),
                (LM.LEFT_INDEX, LM.RIGHT_INDEX), (LM.LEFT_THUMB, LM.RIGHT_THUMB)),
               ((LM.LEFT_KNEE, LM.RIGHT_KNEE), (LM.LEFT_ANKLE, LM.RIGHT_ANKLE), (LM.LEFT_HEEL, LM.RIGHT_HEEL),
                (LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX))]


def _collapse_far_limbs(out: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pull the far (deeper, z larger) arm or leg towards the near one, per frame."""
    out = out.copy()
    for chain in _FAR_CHAINS:
        if rng.random() < 0.5:
            continue
        (l0, r0) = chain[0]
        far_left = out[:, l0, 2] > out[:, r0, 2]          # (T,)
        k = rng.uniform(0.3, 0.9)
        for left, right in chain:
            near = np.where(far_left[:, None], out[:, right, :2], out[:, left, :2])
            far = np.where(far_left[:, None], out[:, left, :2], out[:, right, :2])
            moved = far + k * (near - far)
            out[:, left, :2] = np.where(far_left[:, None], moved, out[:, left, :2])
            out[:, right, :2] = np.where(far_left[:, None], out[:, right, :2], moved)
    return out


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, ...], rho: float) -> np.ndarray:
    """AR(1) noise along axis 0 with unit variance: jitter correlated between frames."""
    e = rng.standard_normal(shape)
    out = np.empty(shape)
    out[0] = e[0]
    k = np.sqrt(1 - rho * rho)
    for t in range(1, shape[0]):
        out[t] = rho * out[t - 1] + k * e[t]
    return out


def _body_scale(lm_px: np.ndarray) -> float:
    ys = lm_px[..., 1]
    xs = lm_px[..., 0]
    return float(max(np.median(ys.max(-1) - ys.min(-1)), np.median(xs.max(-1) - xs.min(-1)), 1e-6))


def mediapipe_noise(lm: np.ndarray, width: int, height: int, rng: np.random.Generator,
                    strength: float = 1.0) -> np.ndarray:
    """Jitter, camera roll/skew, occasional limb swaps, dropouts and frame-border loss."""
    out = np.array(lm, dtype=np.float64)
    T = out.shape[0]
    px = out[..., :2] * [width, height]
    scale = _body_scale(px)
    # small camera roll and anisotropic scale (lens, aspect, perspective not modelled by synth)
    ang = np.radians(rng.normal(0, 4) * strength)
    c, s = np.cos(ang), np.sin(ang)
    centre = px.reshape(-1, 2).mean(0)
    m = np.array([[c, -s], [s, c]]) @ np.diag([1 + rng.normal(0, 0.05) * strength, 1.0])
    px = (px - centre) @ m.T + centre
    # jitter: correlated + white, larger at the extremities
    sigma = scale * rng.uniform(0.004, 0.02) * strength
    w = np.ones(33)
    w[_EXTREMITY] = rng.uniform(1.3, 2.5)
    jitter = _smooth_noise(rng, (T, 33, 2), rho=rng.uniform(0.5, 0.9)) * 0.7 + rng.standard_normal((T, 33, 2)) * 0.5
    px += jitter * sigma * w[None, :, None]
    # whole-skeleton wobble (detector box jitter)
    px += _smooth_noise(rng, (T, 1, 2), 0.8) * scale * 0.004 * strength
    out[..., :2] = px / [width, height]
    # the far arm/leg, hidden behind the body, is often drawn near the visible one
    if out.shape[-1] > 2 and rng.random() < 0.35 * strength:
        out = _collapse_far_limbs(out, rng)
    # left/right confusions: of arms or legs over a stretch, or of the whole body
    # (MediaPipe takes a back view for a front view), geometry unchanged
    for _ in range(int(rng.integers(0, 3))):
        if rng.random() < 0.25 * strength and T > 4:
            a = int(rng.integers(0, T - 2))
            b = int(min(T, a + rng.integers(2, max(3, T // 2))))
            pairs = _ARMS if rng.random() < 0.5 else _LEGS
            for i, j in pairs:
                out[a:b, [i, j]] = out[a:b, [j, i]]
    if rng.random() < 0.2 * strength:
        out = out[:, LR_SWAP]
    # visibility: out-of-frame joints become invisible, random short dropouts elsewhere
    vis = out[..., 3] if out.shape[-1] > 3 else np.ones(out.shape[:2])
    inside = (out[..., 0] > -0.02) & (out[..., 0] < 1.02) & (out[..., 1] > -0.02) & (out[..., 1] < 1.02)
    drop = rng.random((T, 33)) < 0.02 * strength
    vis = np.where(inside & ~drop, np.maximum(vis, rng.uniform(0.6, 1.0, (T, 33))), rng.uniform(0.0, 0.45, (T, 33)))
    if out.shape[-1] > 3:
        out[..., 3] = vis
    return out.astype(np.float32)


def mirror_world(world: np.ndarray) -> np.ndarray:
    """World landmarks of the mirrored video: x -> -x and left/right exchanged."""
    out = np.array(world, dtype=np.float32)[..., LR_SWAP, :]
    out[..., 0] *= -1
    return out


def _rotation(rx: float, ry: float) -> np.ndarray:
    cx, sx, cy, sy = np.cos(rx), np.sin(rx), np.cos(ry), np.sin(ry)
    return np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]]) @ np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])


def world_noise(world: np.ndarray, rng: np.random.Generator, strength: float = 1.0) -> np.ndarray:
    """Exact (T, 33, 3) world joints -> something like MediaPipe's world landmarks.

    Measured on rendered clips (pose model vs synth truth, labels matched): errors of
    ~3-7 cm across and up, ~10-15 cm in depth (up to 30 cm at the wrists), depth often
    compressed, a tilt of the whole skeleton, and left/right confusions (back views).
    """
    w = np.array(world, dtype=np.float64)
    T = w.shape[0]
    w = w @ _rotation(np.radians(rng.normal(0, 6) * strength), np.radians(rng.normal(0, 8) * strength)).T
    w[..., 2] *= rng.uniform(0.6, 1.1)
    sig = np.array([rng.uniform(0.015, 0.035), rng.uniform(0.015, 0.035), rng.uniform(0.04, 0.09)]) * strength
    k = np.ones(33)
    k[_EXTREMITY] = rng.uniform(1.3, 2.2)
    bias = rng.normal(0, 1, (1, 33, 3)) * sig * 0.7
    jitter = _smooth_noise(rng, (T, 33, 3), rho=rng.uniform(0.5, 0.9)) * 0.8 + rng.standard_normal((T, 33, 3)) * 0.4
    w += (bias + jitter * sig) * k[None, :, None]
    if rng.random() < 0.15 * strength:
        w = w[:, LR_SWAP]                           # front/back confusion: labels swapped
    if rng.random() < 0.2 * strength and T > 4:     # arms or legs swapped over a stretch
        a = int(rng.integers(0, T - 2))
        b = int(min(T, a + rng.integers(2, max(3, T // 2))))
        for i, j in (_ARMS if rng.random() < 0.5 else _LEGS):
            w[a:b, [i, j]] = w[a:b, [j, i]]
    return (w - (w[:, [LM.LEFT_HIP], :] + w[:, [LM.RIGHT_HIP], :]) / 2).astype(np.float32)
