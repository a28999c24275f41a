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


SHADING = True


def capsule(img: np.ndarray, a: np.ndarray, b: np.ndarray, ra: float, rb: float, colour: tuple[int, int, int],
            outline: tuple[int, int, int] | None = None) -> None:
    """A tapered limb: two discs joined by their tangent quad, optionally outlined and with
    a highlight stripe on the side facing the light (up-left), so limbs read as round."""
    if outline is not None:
        capsule(img, a, b, ra + 1.2, rb + 1.2, outline)
        if SHADING and min(ra, rb) > 2.5:
            _fill_capsule(img, a, b, ra, rb, colour)
            d = b - a
            n = float(np.hypot(d[0], d[1]))
            perp = np.array([-d[1], d[0]]) / max(n, 1e-6)
            if perp @ np.array([-0.6, -0.8]) < 0:
                perp = -perp
            hi = _shade(colour, 1.18)
            hi = tuple(min(255, v + 18) for v in hi)
            _fill_capsule(img, a + perp * ra * 0.35, b + perp * rb * 0.35, ra * 0.4, rb * 0.4, hi)
            return
    _fill_capsule(img, a, b, ra, rb, colour)


def _fill_capsule(img: np.ndarray, a: np.ndarray, b: np.ndarray, ra: float, rb: float,
                  colour: tuple[int, int, int]) -> None:
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
    if SHADING and outline is not None:
        h = hull.reshape(-1, 2).astype(np.float64)
        c = h.mean(axis=0)
        size = float(np.ptp(h, axis=0).max())
        inner = c + (h - c) * 0.55 + np.array([-0.12, -0.12]) * size
        hi = tuple(min(255, v + 18) for v in _shade(colour, 1.12))
        cv2.fillConvexPoly(img, np.round(inner).astype(np.int32), hi, cv2.LINE_AA, SHIFT)


class Painter:
    """Renders one pose with a fixed camera and body; one instance per clip."""

    def __init__(self, body: Body, cam: Camera, tone: Callable[[tuple[int, int, int]], tuple[int, int, int]] | None = None
                 ) -> None:
        """``tone`` maps a colour to its lit colour (room light and tint); body colours are
        toned once here, fixed colours (eyes, weights) when drawn."""
        from dataclasses import replace

        self.tone = tone or (lambda c: c)
        t = self.tone
        self.body = replace(body, skin=t(body.skin), shirt=t(body.shirt), pants=t(body.pants), hair=t(body.hair),
                            shoes=t(body.shoes))
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
        # torso and pelvis volumes: hulls of discs around front/back points, so the body has
        # width from the front and chest/hip depth from the side
        tz = float(np.mean(z[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP]]))
        fz, rz = ex["torso_z"], ex["root_z"]
        td = b.torso_depth
        sh_l, sh_r, hp_l, hp_r = (lm[i] for i in (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP))
        down_t = -ex["sh_mid"] + ex["pelvis"]
        down_t = down_t / max(float(np.linalg.norm(down_t)), 1e-9)
        chest = [p + fz * td * 0.55 + down_t * 0.09 for p in (sh_l, sh_r)] + \
                [p - fz * td * 0.45 + down_t * 0.07 for p in (sh_l, sh_r)]
        waist = [p + rz * td * 0.35 - down_t * 0.12 for p in (hp_l, hp_r)] + \
                [p - rz * td * 0.45 - down_t * 0.12 for p in (hp_l, hp_r)]
        # trapezius: the shoulders slope up into the neck instead of ending in a flat line
        x_t = ex["torso_x"]
        nw = b.shoulder_width * 0.15
        trap = [ex["sh_mid"] - down_t * 0.08 + x_t * nw, ex["sh_mid"] - down_t * 0.08 - x_t * nw]
        t3 = np.stack(chest + waist + [sh_l, sh_r] + trap)
        t_uv, t_z = cam.project(t3)
        t_r = np.array([self.px(td * 0.55, d) for d in t_z])
        t_r[-4:-2] = [self.px(td * 0.5, t_z[-4]), self.px(td * 0.5, t_z[-3])]
        t_r[-2:] = [self.px(td * 0.3, t_z[-2]), self.px(td * 0.3, t_z[-1])]
        items.append((tz, lambda: blob(img, t_uv, t_r, b.shirt, line(b.shirt))))
        p3 = np.stack([hp_l + rz * td * 0.35, hp_r + rz * td * 0.35, hp_l - rz * td * 0.5, hp_r - rz * td * 0.5,
                       hp_l - down_t * 0.1, hp_r - down_t * 0.1])
        p_uv, p_z = cam.project(p3)
        p_r = np.array([self.px(td * 0.6, d) for d in p_z])
        # the pelvis goes over the waist of the shirt (a tucked-in look; prone, as in a plank, the
        # buttocks are the top of the body and stay in view), but when the hips are clearly
        # farther than the shoulders of a body that is not prone (lying on the back or sitting
        # up, seen from the head end) the chest and belly hide it
        hip_z = float(np.mean(z[[LM.LEFT_HIP, LM.RIGHT_HIP]]))
        prone = float(fz[1]) < -0.5
        p_key = tz - 0.005 if prone else max(tz - 0.005, hip_z - 0.05)
        items.append((p_key, lambda: blob(img, p_uv, p_r, b.pants, line(b.pants))))
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
            dark = self.tone((45, 45, 50))
            capsule(img, e_uv[0], e_uv[1], self.px(0.015, hz), self.px(0.015, hz), self.tone((90, 90, 95)))
            for p, dz in zip(e_uv, e_z):
                cv2.circle(img, _ip(p), int(self.px(0.055, dz) * ONE), dark, -1, cv2.LINE_AA, SHIFT)

    def _foot(self, img, ankle, heel, toe, z_ankle, colour, outline) -> None:
        r = self.px(self.body.leg_radius * 0.55, z_ankle)
        capsule(img, heel, toe, r, r * 0.7, colour, outline)
        capsule(img, ankle, heel, r * 0.9, r, colour)

    def _head(self, img, pose: Pose3D, uv, z, E, cam_fwd) -> None:
        """Skull, jaw and nose as discs so the profile reads as a face; hair behind/over it."""
        b = self.body
        hr = b.head_radius
        ex = pose.extra
        hy, hzv = ex["head_y"], ex["head_z"]
        c3 = ex["head_c"]
        facing = float(np.dot(hzv, -cam_fwd))  # > 0: face towards the camera
        parts3 = np.stack([c3 + hy * hr * 0.1,                       # skull
                           c3 - hy * hr * 0.38 + hzv * hr * 0.22,     # jaw
                           c3 - hzv * hr * 0.25 + hy * hr * 0.25,     # hair
                           c3 + hzv * hr * 0.98 - hy * hr * 0.2])     # nose
        p_uv, p_z = self.cam.project(parts3)
        r_skull = self.px(hr, p_z[0])
        r_jaw = self.px(hr * 0.72, p_z[1])
        r_hair = self.px(hr * 0.9, p_z[2])
        r_nose = self.px(hr * 0.24, p_z[3])
        outline = _shade(b.skin, 0.55)
        skin = b.skin
        for p, r in ((p_uv[0], r_skull), (p_uv[1], r_jaw)):
            cv2.circle(img, _ip(p), int((r + 1.2) * ONE), outline, -1, cv2.LINE_AA, SHIFT)
        if p_z[3] < p_z[0] + hr * 0.5:
            cv2.circle(img, _ip(p_uv[3]), int((r_nose + 1) * ONE), outline, -1, cv2.LINE_AA, SHIFT)
        for p, r in ((p_uv[0], r_skull), (p_uv[1], r_jaw)):
            cv2.circle(img, _ip(p), int(r * ONE), skin, -1, cv2.LINE_AA, SHIFT)
        if p_z[3] < p_z[0] + hr * 0.5:
            cv2.circle(img, _ip(p_uv[3]), int(r_nose * ONE), _shade(skin, 0.92), -1, cv2.LINE_AA, SHIFT)
        # hair: a cap over the back/top of the skull; drawn over the skull when seen from behind
        if facing < -0.1:
            cv2.circle(img, _ip(p_uv[2]), int(r_hair * ONE), b.hair, -1, cv2.LINE_AA, SHIFT)
        else:
            top = c3 + hy * hr * 0.55 - hzv * hr * 0.1
            (t_uv,), (t_z,) = self.cam.project(top[None])
            cv2.ellipse(img, _ip(t_uv), (int(self.px(hr * 0.95, t_z) * ONE), int(self.px(hr * 0.5, t_z) * ONE)),
                        0, 0, 360, b.hair, -1, cv2.LINE_AA, SHIFT)
        for ear in (LM.LEFT_EAR, LM.RIGHT_EAR):
            if z[ear] < p_z[0]:
                cv2.circle(img, _ip(uv[ear]), int(max(r_skull * 0.2, 1) * ONE), _shade(skin, 0.8), -1,
                           cv2.LINE_AA, SHIFT)
        if facing <= -0.1:
            return
        er = max(r_skull * 0.13, 1.0)
        for eye in (LM.LEFT_EYE, LM.RIGHT_EYE):
            if z[eye] < p_z[0] - hr * 0.1:
                cv2.circle(img, _ip(uv[eye]), int(er * 1.4 * ONE), self.tone((245, 245, 245)), -1, cv2.LINE_AA, SHIFT)
                cv2.circle(img, _ip(uv[eye]), int(er * ONE), self.tone((40, 30, 25)), -1, cv2.LINE_AA, SHIFT)
                brow = uv[eye] + (p_uv[0] - p_uv[1]) / max(np.linalg.norm(p_uv[0] - p_uv[1]), 1e-6) * er * 2.2
                cv2.circle(img, _ip(brow), int(er * 0.7 * ONE), b.hair, -1, cv2.LINE_AA, SHIFT)
        if min(z[LM.MOUTH_LEFT], z[LM.MOUTH_RIGHT]) < p_z[0] - hr * 0.1:
            cv2.line(img, _ip(uv[LM.MOUTH_LEFT]), _ip(uv[LM.MOUTH_RIGHT]), self.tone((60, 60, 150)),
                     max(1, int(r_skull * 0.1)), cv2.LINE_AA, SHIFT)
