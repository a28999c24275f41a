"""The look of a clip: room, floor, clutter, lighting and image degradations.

Everything here is drawn once per clip (the camera does not move), so per-frame cost
is a copy of the background plus the mannequin.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from deepfit_coach.synth.camera import Camera


@dataclass
class Look:
    """Scene appearance; colours BGR. ``light`` scales brightness, ``tint`` colours the light."""

    wall: tuple[int, int, int] = (200, 205, 210)
    floor: tuple[int, int, int] = (120, 140, 160)
    floor_lines: bool = True
    clutter: int = 3
    light: float = 1.0
    tint: tuple[float, float, float] = (1.0, 1.0, 1.0)
    noise: float = 0.0          # std of pixel noise (0 = none)
    blur: int = 0               # horizontal blur kernel length in pixels, defocus/shake (0 = none)
    seed: int = 0

    def to_dict(self) -> dict:
        return {"wall": list(self.wall), "floor": list(self.floor), "clutter": self.clutter,
                "light": round(self.light, 3), "tint": [round(t, 3) for t in self.tint],
                "noise": self.noise, "blur": self.blur}


def sample_look(rng: np.random.Generator, variation: float = 1.0) -> Look:
    """Random room: walls and floors from plausible palettes, 0-6 pieces of clutter."""
    # rooms are mostly muted: a grey level plus a small colour cast (some strong walls)
    cast = 45 if rng.random() < 0.2 else 15
    wall = tuple(int(v) for v in np.clip(rng.uniform(110, 235) + rng.normal(0, cast * variation, 3), 40, 250))
    floor = tuple(int(v) for v in np.clip(rng.uniform(50, 190) + rng.normal(0, 20 * variation, 3) +
                                          np.array([-15, 0, 15]) * rng.random(), 30, 230))
    return Look(wall=wall, floor=floor, floor_lines=bool(rng.random() < 0.7),
                clutter=int(rng.integers(0, 7)) if variation > 0 else 2,
                light=float(np.clip(rng.normal(1.0, 0.15 * variation), 0.6, 1.3)),
                tint=tuple(float(np.clip(rng.normal(1.0, 0.06 * variation), 0.85, 1.15)) for _ in range(3)),
                seed=int(rng.integers(0, 2**31)))


def draw_background(cam: Camera, look: Look, person_box: tuple[float, float, float, float]) -> np.ndarray:
    """Wall, floor (with tiles), and clutter kept clear of the person's box (x0, y0, x1, y1)."""
    w, h = cam.width, cam.height
    img = np.empty((h, w, 3), np.uint8)
    img[:] = look.wall
    # vertical gradient on the wall: light from above
    grad = np.linspace(1.08, 0.9, h)[:, None, None]
    img = np.clip(img.astype(np.float32) * grad, 0, 255).astype(np.uint8)
    # floor: project a big square of the y=0 plane, cut at the horizon
    big = 12.0
    centre = cam.position.copy()
    centre[1] = 0
    corners = np.array([[-big, 0, -big], [big, 0, -big], [big, 0, big], [-big, 0, big]]) + centre * [1, 0, 1]
    fine = _sample_polygon(corners, 40)
    cam_pts = cam.to_cam(fine)
    keep = cam_pts[:, 2] > 0.05
    if keep.sum() >= 3:
        uv, _ = cam.project(fine[keep])
        hull = cv2.convexHull(np.round(uv * 16).astype(np.int32))
        cv2.fillConvexPoly(img, hull, look.floor, cv2.LINE_AA, shift=4)
        if look.floor_lines:
            line = tuple(int(c * 0.85) for c in look.floor)
            for x in np.arange(-6, 6.01, 0.6):
                _floor_line(img, cam, np.array([x, 0, -6.0]) + centre * [1, 0, 1],
                            np.array([x, 0, 6.0]) + centre * [1, 0, 1], line)
                _floor_line(img, cam, np.array([-6.0, 0, x]) + centre * [1, 0, 1],
                            np.array([6.0, 0, x]) + centre * [1, 0, 1], line)
    rng = np.random.default_rng(look.seed)
    x0, y0, x1, y1 = person_box
    for _ in range(look.clutter):
        for _try in range(10):
            bw, bh = rng.uniform(0.05, 0.25) * w, rng.uniform(0.08, 0.4) * h
            bx, by = rng.uniform(0, w - bw), rng.uniform(0, h * 0.9 - bh)
            if bx + bw < x0 - 8 or bx > x1 + 8 or by + bh < y0 - 8 or by > y1 + 8:
                colour = tuple(int(c) for c in rng.integers(20, 235, 3))
                kind = rng.integers(0, 3)
                if kind == 0:
                    cv2.rectangle(img, (int(bx), int(by)), (int(bx + bw), int(by + bh)), colour, -1)
                    cv2.rectangle(img, (int(bx), int(by)), (int(bx + bw), int(by + bh)),
                                  tuple(int(c * 0.6) for c in colour), 2)
                elif kind == 1:
                    cv2.ellipse(img, (int(bx + bw / 2), int(by + bh / 2)), (int(bw / 2), int(bh / 3)), 0, 0, 360,
                                colour, -1)
                else:   # a picture frame / shelf
                    cv2.rectangle(img, (int(bx), int(by)), (int(bx + bw), int(by + bh * 0.3)), colour, 3)
                break
    return apply_light(img, look)


def apply_light(img: np.ndarray, look: Look) -> np.ndarray:
    if look.light == 1.0 and look.tint == (1.0, 1.0, 1.0):
        return img
    lut = np.stack([np.clip(np.arange(256) * look.light * t, 0, 255) for t in look.tint], axis=1).astype(np.uint8)
    return cv2.LUT(img, lut.reshape(256, 1, 3))


def _sample_polygon(corners: np.ndarray, n: int) -> np.ndarray:
    pts = []
    for a, b in zip(corners, np.roll(corners, -1, axis=0)):
        for u in np.linspace(0, 1, n, endpoint=False):
            pts.append(a + u * (b - a))
    return np.array(pts)


def _floor_line(img: np.ndarray, cam: Camera, a: np.ndarray, b: np.ndarray, colour: tuple[int, int, int]) -> None:
    za, zb = cam.to_cam(a)[2], cam.to_cam(b)[2]
    if za < 0.1 and zb < 0.1:
        return
    if za < 0.1 or zb < 0.1:  # clip against the near plane
        u = (0.1 - za) / (zb - za)
        p = a + u * (b - a)
        a, b = (p, b) if za < 0.1 else (a, p)
    (ua, ub), _ = cam.project(np.stack([a, b]))
    cv2.line(img, tuple(np.round(ua * 16).astype(int)), tuple(np.round(ub * 16).astype(int)), colour, 1,
             cv2.LINE_AA, shift=4)


def degrade(img: np.ndarray, look: Look, rng: np.random.Generator) -> np.ndarray:
    """Optional horizontal blur (defocus / camera shake) and pixel noise."""
    if look.blur > 1:
        k = np.zeros((look.blur, look.blur), np.float32)
        k[look.blur // 2, :] = 1.0 / look.blur
        img = cv2.filter2D(img, -1, k)
    if look.noise > 0:
        noise = rng.normal(0, look.noise, img.shape[:2] + (1,)).astype(np.float32)
        img = np.clip(img.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return img
