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
