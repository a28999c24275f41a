"""One Euro filter (Casiez et al., CHI 2012), vectorised over landmark arrays.

Jitter at rest is smoothed hard (low cutoff) while fast movement is followed with little
lag (the cutoff rises with speed) - what a rep counter needs: quiet at the top and
bottom, responsive in between.
"""

from __future__ import annotations

import math

import numpy as np


def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray | float:
    tau = 1.0 / (2.0 * math.pi * cutoff)
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """Filters arrays of any fixed shape sampled at irregular times (seconds)."""

    def __init__(self, min_cutoff: float = 1.5, beta: float = 2.0, d_cutoff: float = 1.0,
                 max_gap_s: float = 0.5) -> None:
        self.min_cutoff = min_cutoff
        self.beta = beta
        self.d_cutoff = d_cutoff
        self.max_gap_s = max_gap_s
        self.reset()

    def reset(self) -> None:
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t: float | None = None

    def __call__(self, x: np.ndarray, t_s: float) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if self._x is None or self._t is None or t_s <= self._t or t_s - self._t > self.max_gap_s \
                or self._x.shape != x.shape:
            self._x, self._dx, self._t = x.copy(), np.zeros_like(x), t_s
            return x
        dt = t_s - self._t
        dx = (x - self._x) / dt
        a_d = _alpha(self.d_cutoff, dt)
        self._dx = a_d * dx + (1 - a_d) * self._dx
        cutoff = self.min_cutoff + self.beta * np.abs(self._dx)
        a = _alpha(cutoff, dt)
        self._x = a * x + (1 - a) * self._x
        self._t = t_s
        return self._x

    @property
    def state(self) -> np.ndarray | None:
        """The filtered value so far (None before the first sample)."""
        return self._x

    def permute(self, order: np.ndarray) -> None:
        """Reorder the first axis of the filter's state (``x[order]``): the points were relabelled."""
        if self._x is not None and self._dx is not None and len(order) == len(self._x):
            self._x, self._dx = self._x[order], self._dx[order]


# left/right landmark groups (BlazePose indices), each judged on its own: face, shoulders,
# arms (elbow, wrist, hand), hips, legs (knee, ankle, foot). The right one is left + 1.
_LEFT_GROUPS = ((1, 2, 3, 7, 9), (11,), (13, 15, 17, 19, 21), (23,), (25, 27, 29, 31))
_MID_SHOULDERS, _MID_HIPS = (11, 12), (23, 24)
_LEFT = np.array([i for g in _LEFT_GROUPS for i in g])
_SIZES = np.array([len(g) for g in _LEFT_GROUPS])
_STARTS = np.concatenate([[0], np.cumsum(_SIZES)[:-1]])


SWAP_RATIO = 0.35   # the swapped labels sit this much closer to where the limbs were ...
SWAP_JUMP = 0.3     # ... and the given ones jumped by more than this (torso lengths per point)


def swapped_sides(xy: np.ndarray, ref: np.ndarray) -> np.ndarray | None:
    """Did the pose model swap left and right labels? (common facing the camera, for the whole
    body or one limb: a one-arm set's raised arm becomes "left" for a few frames.) ``xy``: this
    frame's (33, 2) image points, ``ref``: where the smoothing has each label (same units).
    Smoothing each label on its own would drag both limbs across the body for several frames,
    and a signal on "the higher wrist" dips by a whole rep's range at the top of a rep; the
    tracker reorders the filter's state instead, so each physical limb is smoothed on from
    where it was and the model's labels are kept. Each left/right group (face, shoulders, arms,
    hips, legs) is judged on its own: swapped when the swapped labels sit much closer to the
    reference than the given ones and the given ones jumped further than a limb moves in a
    frame; when both hands meet (a jumping jack overhead) both readings are about as close,
    so nothing is swapped. Returns the permutation for the filter's state (``state[order]``),
    or None."""
    xy, ref = np.asarray(xy, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    if len(xy) < 33 or xy.shape != ref.shape:
        return None
    # the torso's length, as np.linalg.norm of the mid points' difference computes it (fewer calls)
    d = (xy[_MID_SHOULDERS[0]] + xy[_MID_SHOULDERS[1]]) / 2 - (xy[_MID_HIPS[0]] + xy[_MID_HIPS[1]]) / 2
    torso = float(np.sqrt(d.dot(d)))
    if not torso > 0:
        return None
    # every group at once (this runs on every frame of every tracker): per-point distances,
    # then summed per group
    lt, rt = _LEFT, _LEFT + 1
    same = np.add.reduceat(np.hypot(*(xy[lt] - ref[lt]).T) + np.hypot(*(xy[rt] - ref[rt]).T), _STARTS)
    jumped = same > SWAP_JUMP * torso * 2 * _SIZES
    if not jumped.any():
        return None
    swap = np.add.reduceat(np.hypot(*(xy[lt] - ref[rt]).T) + np.hypot(*(xy[rt] - ref[lt]).T), _STARTS)
    hit = jumped & (swap < SWAP_RATIO * same)
    if not hit.any():
        return None
    order = np.arange(len(xy))
    for g in np.flatnonzero(hit):
        left = _LEFT[_STARTS[g]:_STARTS[g] + _SIZES[g]]
        order[left], order[left + 1] = left + 1, left
    return order
