"""Pinhole camera around the person: yaw/pitch/distance, auto-framing, mirroring.

``yaw`` 0 looks at the person's front, 90 at their left side, 180 at their back.
Pixel y points down. The camera is fixed for a clip and framed on all of the clip's
poses, then optionally zoomed (``fill`` > 1 crops the body) and shifted off-centre.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VIEWS: dict[str, float] = {"front": 0.0, "45": 45.0, "side": 90.0, "back": 180.0}


@dataclass
class Camera:
    """A fitted camera: world -> camera rotation and position, intrinsics and image size."""

    rotation: np.ndarray   # (3, 3) rows: image right, image down, forward
    position: np.ndarray   # (3,)
    focal: float
    cx: float
    cy: float
    width: int
    height: int
    mirror: bool = False

    def to_cam(self, pts: np.ndarray) -> np.ndarray:
        return (np.asarray(pts) - self.position) @ self.rotation.T

    def project(self, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(..., 3) world -> (..., 2) pixels and (...,) depth in metres."""
        c = self.to_cam(pts)
        z = np.maximum(c[..., 2], 1e-3)
        u = self.focal * c[..., 0] / z + self.cx
        v = self.focal * c[..., 1] / z + self.cy
        if self.mirror:
            u = self.width - 1 - u
        return np.stack([u, v], axis=-1), c[..., 2]

    def to_dict(self) -> dict:
        return {"rotation": np.round(self.rotation, 6).tolist(), "position": np.round(self.position, 4).tolist(),
                "focal_px": round(self.focal, 3), "cx": round(self.cx, 3), "cy": round(self.cy, 3),
                "width": self.width, "height": self.height, "mirror": self.mirror}


def look_at(target: np.ndarray, yaw_deg: float, pitch_deg: float, distance: float, roll_deg: float = 0.0
            ) -> tuple[np.ndarray, np.ndarray]:
    """Rotation (rows right, down, forward) and position of a camera orbiting ``target``."""
    y, p = np.radians(yaw_deg), np.radians(pitch_deg)
    pos = target + distance * np.array([np.cos(p) * np.sin(y), np.sin(p), np.cos(p) * np.cos(y)])
    fwd = target - pos
    fwd /= np.linalg.norm(fwd)
    right = np.cross(fwd, np.array([0.0, 1.0, 0.0]))
    right /= np.linalg.norm(right)
    down = np.cross(fwd, right)
    if roll_deg:
        r = np.radians(roll_deg)
        right, down = np.cos(r) * right + np.sin(r) * down, -np.sin(r) * right + np.cos(r) * down
    return np.stack([right, down, fwd]), pos


def fit_camera(points: np.ndarray, width: int, height: int, yaw: float, pitch: float = 8.0,
               distance: float = 3.5, fill: float = 0.8, offset: tuple[float, float] = (0.0, 0.0),
               roll: float = 0.0, mirror: bool = False) -> Camera:
    """Frame all ``points`` (N, 3) so they span ``fill`` of the image's limiting dimension.

    ``offset`` shifts the person by that fraction of the image (x right, y down); with
    ``fill`` > 1 or a large offset parts of the body leave the frame, on purpose.
    """
    lo, hi = points.min(axis=0), points.max(axis=0)
    target = 0.5 * (lo + hi)
    rot, pos = look_at(target, yaw, pitch, distance, roll)
    cam = Camera(rot, pos, 1.0, 0.0, 0.0, width, height, False)
    uv, _ = cam.project(points)
    umin, vmin = uv.min(axis=0)
    umax, vmax = uv.max(axis=0)
    f = fill * min(width / max(umax - umin, 1e-6), height / max(vmax - vmin, 1e-6))
    cx = width / 2 - f * (umin + umax) / 2 + offset[0] * width
    cy = height / 2 - f * (vmin + vmax) / 2 + offset[1] * height
    return Camera(rot, pos, float(f), float(cx), float(cy), width, height, mirror)
