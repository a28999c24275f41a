"""Draws the mannequin with OpenCV: tapered limbs, a torso volume, head with a face,
hands, feet and dumbbells, painted far-to-near so far limbs hide behind the torso."""

from __future__ import annotations

from typing import Callable

import cv2
import numpy as np

from deepfit_coach.skeleton import LM
from deepfit_coach.synth.body import Body
from deepfit_coach.synth.camera import Camera
from deepfit_coach.synth.kinematics import Pose3D

SHIFT = 4
ONE = 1 << SHIFT


def _ip(p: np.ndarray) -> tuple[int, int]:
    return int(round(p[0] * ONE)), int(round(p[1] * ONE))


def _shade(c: tuple[int, int, int], k: float) -> tuple[int, int, int]:
    return tuple(int(min(255, max(0, v * k))) for v in c)


def capsule(img: np.ndarray, a: np.ndarray, b: np.ndarray, ra: float, rb: float, colour: tuple[int, int, int],
            outline: tuple[int, int, int] | None = None) -> None:
    """A tapered limb: two discs joined by their tangent quad, optionally outlined."""
    if outline is not None:
        capsule(img, a, b, ra + 1.2, rb + 1.2, outline)
    d = b - a
    n = float(np.hypot(d[0], d[1]))
    ra, rb = max(ra, 1.0), max(rb, 1.0)
    cv2.circle(img, _ip(a), int(ra * ONE), colour, -1, cv2.LINE_AA, SHIFT)
    cv2.circle(img, _ip(b), int(rb * ONE), colour, -1, cv2.LINE_AA, SHIFT)
    if n > 1e-3:
        perp = np.array([-d[1], d[0]]) / n
        quad = np.array([a + perp * ra, b + perp * rb, b - perp * rb, a - perp * ra])
        cv2.fillConvexPoly(img, np.round(quad * ONE).astype(np.int32), colour, cv2.LINE_AA, SHIFT)


def blob(img: np.ndarray, pts: np.ndarray, radii: np.ndarray, colour: tuple[int, int, int],
         outline: tuple[int, int, int] | None = None) -> None:
    """Convex hull of discs: torso and pelvis volumes that look solid from any side."""
    ang = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    ring = np.stack([np.cos(ang), np.sin(ang)], axis=1)
    samples = (pts[:, None, :] + radii[:, None, None] * ring[None]).reshape(-1, 2)
    hull = cv2.convexHull(np.round(samples * ONE).astype(np.int32))
    if outline is not None:
        cv2.polylines(img, [hull], True, outline, 2, cv2.LINE_AA, SHIFT)
    cv2.fillConvexPoly(img, hull, colour, cv2.LINE_AA, SHIFT)


class Painter:
    """Renders one pose with a fixed camera and body; one instance per clip."""

    def __init__(self, body: Body, cam: Camera) -> None:
        self.body = body
        self.cam = cam

    def px(self, metres: float, depth: float) -> float:
        return metres * self.cam.focal / max(depth, 0.05)

    def draw(self, img: np.ndarray, pose: Pose3D) -> None:
        b, cam = self.body, self.cam
        lm = pose.landmarks
        uv, z = cam.project(lm)
        ex = pose.extra
        names = ("pelvis", "sh_mid", "neck_top", "head_c", "l_hand_c", "r_hand_c")
        euv, ez = cam.project(np.stack([ex[k] for k in names]))
        E = {k: (euv[i], ez[i]) for i, k in enumerate(names)}
        cam_fwd = cam.rotation[2]
        items: list[tuple[float, Callable[[], None]]] = []
        line = lambda c: _shade(c, 0.55)  # noqa: E731
        # which side is farther from the camera: shade it darker, like a real room light
        far_left = z[LM.LEFT_SHOULDER] + z[LM.LEFT_HIP] > z[LM.RIGHT_SHOULDER] + z[LM.RIGHT_HIP]
        for side, (S, El, W, H, K, A, HE, T) in (
                ("l", (LM.LEFT_SHOULDER, LM.LEFT_ELBOW, LM.LEFT_WRIST, LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE,
                       LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX)),
                ("r", (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW, LM.RIGHT_WRIST, LM.RIGHT_HIP, LM.RIGHT_KNEE,
                       LM.RIGHT_ANKLE, LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX))):
            k = 0.82 if (side == "l") == far_left else 1.0
            shirt, skin, pants, shoes = (_shade(c, k) for c in (b.shirt, b.skin, b.pants, b.shoes))
            ra = b.arm_radius
            rl = b.leg_radius
            items.append(((z[S] + z[El]) / 2, lambda S=S, El=El, c=shirt: capsule(
                img, uv[S], uv[El], self.px(ra * 1.15, z[S]), self.px(ra * 0.95, z[El]), c, line(c))))
            items.append(((z[El] + z[W]) / 2 - 0.01, lambda El=El, W=W, c=skin: capsule(
                img, uv[El], uv[W], self.px(ra * 0.9, z[El]), self.px(ra * 0.65, z[W]), c, line(c))))
            hc, hz = E[f"{side}_hand_c"]
            items.append((hz - 0.015, lambda W=W, hc=hc, hz=hz, c=skin, side=side: self._hand(
                img, uv[W], hc, hz, c, line(c), pose, side)))
            items.append(((z[H] + z[K]) / 2, lambda H=H, K=K, c=pants: capsule(
                img, uv[H], uv[K], self.px(rl * 1.15, z[H]), self.px(rl * 0.85, z[K]), c, line(c))))
            items.append(((z[K] + z[A]) / 2 - 0.005, lambda K=K, A=A, c=pants: capsule(
                img, uv[K], uv[A], self.px(rl * 0.85, z[K]), self.px(rl * 0.6, z[A]), c, line(c))))
            items.append(((z[HE] + z[T]) / 2 - 0.01, lambda A=A, HE=HE, T=T, c=shoes: self._foot(
                img, uv[A], uv[HE], uv[T], z[A], c, line(c))))
        # torso and pelvis volumes
        td = b.torso_depth
        tz = float(np.mean(z[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP]]))
        t_pts = uv[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.RIGHT_HIP, LM.LEFT_HIP]]
        t_r = np.array([self.px(td * 0.9, z[i]) for i in (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.RIGHT_HIP,
                                                        LM.LEFT_HIP)])
        items.append((tz, lambda: blob(img, t_pts, t_r, b.shirt, line(b.shirt))))
        p_pts = np.stack([uv[LM.LEFT_HIP], uv[LM.RIGHT_HIP], 0.75 * uv[LM.LEFT_HIP] + 0.25 * uv[LM.LEFT_SHOULDER],
                          0.75 * uv[LM.RIGHT_HIP] + 0.25 * uv[LM.RIGHT_SHOULDER]])
        p_r = np.array([self.px(td, z[LM.LEFT_HIP]), self.px(td, z[LM.RIGHT_HIP]),
                        self.px(td * 0.9, z[LM.LEFT_HIP]), self.px(td * 0.9, z[LM.RIGHT_HIP])])
        items.append((tz - 0.005, lambda: blob(img, p_pts, p_r, b.pants, line(b.pants))))
        nz = (E["sh_mid"][1] + E["neck_top"][1]) / 2
        items.append((nz - 0.004, lambda: capsule(img, E["sh_mid"][0], E["neck_top"][0],
                                                  self.px(b.arm_radius * 1.1, nz), self.px(b.arm_radius, nz),
                                                  b.skin, line(b.skin))))
        items.append((E["head_c"][1] - 0.01, lambda: self._head(img, pose, uv, z, E, cam_fwd)))
        # paint far to near
        items.sort(key=lambda it: -it[0])
        for _, fn in items:
            fn()

    def _hand(self, img, wrist, hc, hz, colour, outline, pose, side) -> None:
        r = self.px(self.body.hand * 0.45, hz)
        capsule(img, wrist, hc, r * 0.8, r, colour, outline)
        if pose.dumbbells:
            axis = pose.extra[f"{side}_hand_x"]
            c3 = pose.extra[f"{side}_hand_c"]
            ends = np.stack([c3 + axis * 0.12, c3 - axis * 0.12])
            e_uv, e_z = self.cam.project(ends)
            dark = (45, 45, 50)
            capsule(img, e_uv[0], e_uv[1], self.px(0.015, hz), self.px(0.015, hz), (90, 90, 95))
            for p, dz in zip(e_uv, e_z):
                cv2.circle(img, _ip(p), int(self.px(0.055, dz) * ONE), dark, -1, cv2.LINE_AA, SHIFT)

    def _foot(self, img, ankle, heel, toe, z_ankle, colour, outline) -> None:
        r = self.px(self.body.leg_radius * 0.55, z_ankle)
        capsule(img, heel, toe, r, r * 0.7, colour, outline)
        capsule(img, ankle, heel, r * 0.9, r, colour)

    def _head(self, img, pose: Pose3D, uv, z, E, cam_fwd) -> None:
        b = self.body
        hc, hz = E["head_c"]
        r = self.px(b.head_radius, hz)
        ex = pose.extra
        to_cam = -cam_fwd
        facing = float(np.dot(ex["head_z"], to_cam))  # > 0: face towards the camera
        hair_c3 = ex["head_c"] - ex["head_z"] * b.head_radius * 0.18 + ex["head_y"] * b.head_radius * 0.12
        (hair_uv,), _ = self.cam.project(hair_c3[None])
        hair = b.hair
        if facing > -0.2:
            cv2.circle(img, _ip(hair_uv), int(r * 1.0 * ONE), hair, -1, cv2.LINE_AA, SHIFT)
        cv2.circle(img, _ip(hc), int((r + 1.2) * ONE), _shade(b.skin, 0.55), -1, cv2.LINE_AA, SHIFT)
        cv2.circle(img, _ip(hc), int(r * ONE), b.skin, -1, cv2.LINE_AA, SHIFT)
        for ear in (LM.LEFT_EAR, LM.RIGHT_EAR):
            if z[ear] < hz:
                cv2.circle(img, _ip(uv[ear]), int(max(r * 0.18, 1) * ONE), _shade(b.skin, 0.85), -1, cv2.LINE_AA,
                           SHIFT)
        if facing <= -0.2:
            cv2.circle(img, _ip(hair_uv), int(r * 0.95 * ONE), hair, -1, cv2.LINE_AA, SHIFT)
            return
        er = max(r * 0.14, 1.0)
        for eye in (LM.LEFT_EYE, LM.RIGHT_EYE):
            if z[eye] < hz:
                cv2.circle(img, _ip(uv[eye]), int(er * 1.35 * ONE), (245, 245, 245), -1, cv2.LINE_AA, SHIFT)
                cv2.circle(img, _ip(uv[eye]), int(er * ONE), (40, 30, 25), -1, cv2.LINE_AA, SHIFT)
        if z[LM.NOSE] < hz:
            cv2.circle(img, _ip(uv[LM.NOSE]), int(max(r * 0.12, 1) * ONE), _shade(b.skin, 0.75), -1, cv2.LINE_AA,
                       SHIFT)
        ml, mr = uv[LM.MOUTH_LEFT], uv[LM.MOUTH_RIGHT]
        if z[LM.MOUTH_LEFT] < hz or z[LM.MOUTH_RIGHT] < hz:
            cv2.line(img, _ip(ml), _ip(mr), (60, 60, 150), max(1, int(r * 0.08)), cv2.LINE_AA, SHIFT)
