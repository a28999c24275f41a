"""Which landmarks are hidden behind the body, from geometry alone (no drawing), so the
joints-only path can mimic what a camera sees (e.g. lower confidence for the far arm).

Approximation: limbs are capsules around their bones, the torso a few capsules between
shoulders and hips, the head a sphere. A landmark is hidden when its pixel falls inside a
part it does not belong to and that part's bone is nearer to the camera than the
landmark; face points are hidden on the far side of the head.
"""

from __future__ import annotations

import numpy as np

from deepfit_coach.skeleton import LM, NUM_LANDMARKS
from deepfit_coach.synth.body import Body
from deepfit_coach.synth.camera import Camera

# landmark -> the joint it hangs on (hand points on the wrist, foot points on the ankle)
_ANCHOR = np.arange(NUM_LANDMARKS)
for _pts, _a in (((LM.LEFT_PINKY, LM.LEFT_INDEX, LM.LEFT_THUMB), LM.LEFT_WRIST),
                 ((LM.RIGHT_PINKY, LM.RIGHT_INDEX, LM.RIGHT_THUMB), LM.RIGHT_WRIST),
                 ((LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX), LM.LEFT_ANKLE),
                 ((LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX), LM.RIGHT_ANKLE)):
    for _p in _pts:
        _ANCHOR[_p] = _a
FACE = tuple(range(0, 11))


def _parts(body: Body) -> list[tuple[int, int, float]]:
    """(landmark a, landmark b, radius m); -1/-2 stand for mid-shoulder / mid-hip."""
    ra, rl, td = body.arm_radius, body.leg_radius, body.torso_depth
    parts = [(LM.LEFT_SHOULDER, LM.LEFT_ELBOW, ra * 1.1), (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW, ra * 1.1),
             (LM.LEFT_ELBOW, LM.LEFT_WRIST, ra * 0.8), (LM.RIGHT_ELBOW, LM.RIGHT_WRIST, ra * 0.8),
             (LM.LEFT_HIP, LM.LEFT_KNEE, rl * 1.05), (LM.RIGHT_HIP, LM.RIGHT_KNEE, rl * 1.05),
             (LM.LEFT_KNEE, LM.LEFT_ANKLE, rl * 0.75), (LM.RIGHT_KNEE, LM.RIGHT_ANKLE, rl * 0.75),
             (LM.LEFT_SHOULDER, LM.LEFT_HIP, td), (LM.RIGHT_SHOULDER, LM.RIGHT_HIP, td),
             (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, td * 0.8), (LM.LEFT_HIP, LM.RIGHT_HIP, td * 0.8),
             (-1, -2, td)]
    return parts


def occluded(lm: np.ndarray, head_c: np.ndarray, body: Body, cam: Camera) -> np.ndarray:
    """(T, 33) bool from (T, 33, 3) scene landmarks and (T, 3) head centres."""
    T = lm.shape[0]
    mids = np.stack([0.5 * (lm[:, LM.LEFT_SHOULDER] + lm[:, LM.RIGHT_SHOULDER]),
                     0.5 * (lm[:, LM.LEFT_HIP] + lm[:, LM.RIGHT_HIP])], axis=1)
    pts = np.concatenate([lm, mids], axis=1)                      # index 33 = mid-shoulder, 34 = mid-hip
    uv, z = cam.project(pts)
    out = np.zeros((T, NUM_LANDMARKS), bool)
    L_uv, L_z = uv[:, :NUM_LANDMARKS], z[:, :NUM_LANDMARKS]
    for a, b, r in _parts(body):
        ia = a if a >= 0 else NUM_LANDMARKS + (-a - 1)
        ib = b if b >= 0 else NUM_LANDMARKS + (-b - 1)
        pa, pb = uv[:, ia, None, :], uv[:, ib, None, :]
        za, zb = z[:, ia, None], z[:, ib, None]
        d = pb - pa
        dd = np.maximum(np.sum(d * d, axis=-1), 1e-9)
        t = np.clip(np.sum((L_uv - pa) * d, axis=-1) / dd, 0.0, 1.0)
        closest = pa + t[..., None] * d
        dist = np.linalg.norm(L_uv - closest, axis=-1)
        z_bone = za + t * (zb - za)
        r_px = r * cam.focal / np.maximum(z_bone, 0.05)
        hit = (dist < 0.9 * r_px) & (z_bone < L_z - 0.02)
        own = np.isin(_ANCHOR, [ia, ib])                           # a part never hides its own joints
        if a < 0:   # the spine capsule: shoulders and hips belong to it
            own |= np.isin(_ANCHOR, [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP])
        hit[:, own] = False
        out |= hit
    # the head sphere hides the far side of the face and whatever lies behind it
    to_cam = cam.position[None, :] - head_c
    to_cam /= np.linalg.norm(to_cam, axis=-1, keepdims=True)
    face = list(FACE)
    back_of_head = np.einsum("tkc,tc->tk", lm[:, face] - head_c[:, None, :], to_cam) < -0.01
    out[:, face] |= back_of_head
    h_uv, h_z = cam.project(head_c)
    r_px = body.head_radius * cam.focal / np.maximum(h_z, 0.05)
    dist = np.linalg.norm(L_uv - h_uv[:, None, :], axis=-1)
    behind = (dist < 0.9 * r_px[:, None]) & (L_z > h_z[:, None] + 0.02)
    behind[:, face] = False
    out |= behind
    return out
