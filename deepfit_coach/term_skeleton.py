"""Draw a skeleton in the terminal with braille characters (2x4 dots per cell).

So the user sees what the camera sees without a video window: bones as dot lines,
aspect ratio of the frame kept, joints out of view or invisible left out.
"""

from __future__ import annotations

import numpy as np

from deepfit_coach.skeleton import CONNECTIONS, Skeleton

_BRAILLE_BASE = 0x2800
# dot bit for (column 0..1, row 0..3) inside one braille cell
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
_BITS = np.array(_DOTS, dtype=np.int32)
_CHARS = np.array([chr(_BRAILLE_BASE + i) if i else " " for i in range(256)])


class BrailleCanvas:
    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = max(1, cols), max(1, rows)
        self.w, self.h = self.cols * 2, self.rows * 4
        self.cells = np.zeros((self.rows, self.cols), dtype=np.int32)

    def dot(self, x: int, y: int) -> None:
        if 0 <= x < self.w and 0 <= y < self.h:
            self.cells[y // 4, x // 2] |= _DOTS[y % 4][x % 2]

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        n = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        for x, y in zip(np.linspace(x0, x1, n + 1), np.linspace(y0, y1, n + 1)):
            self.dot(int(round(x)), int(round(y)))

    def segments(self, segs: list[tuple[float, float, float, float]]) -> None:
        """Many lines at once, vectorised (this runs 10 times a second)."""
        if not segs:
            return
        a = np.asarray(segs, dtype=np.float64)
        n = np.maximum(np.abs(a[:, 2] - a[:, 0]), np.abs(a[:, 3] - a[:, 1])).astype(int) + 2
        n = np.minimum(n, 4 * (self.w + self.h))
        idx = np.repeat(np.arange(len(a)), n)
        u = np.concatenate([np.linspace(0.0, 1.0, k) for k in n])
        x = np.rint(a[idx, 0] + u * (a[idx, 2] - a[idx, 0])).astype(int)
        y = np.rint(a[idx, 1] + u * (a[idx, 3] - a[idx, 1])).astype(int)
        keep = (x >= 0) & (x < self.w) & (y >= 0) & (y < self.h)
        x, y = x[keep], y[keep]
        bits = _BITS[y % 4, x % 2]
        np.bitwise_or.at(self.cells, (y // 4, x // 2), bits)

    def lines(self) -> list[str]:
        return ["".join(row) for row in _CHARS[self.cells].tolist()]


def render_skeleton(skeleton: Skeleton | None, cols: int, rows: int, threshold: float = 0.5,
                    mirror: bool = False) -> list[str]:
    """``rows`` strings of ``cols`` characters; the frame is fitted keeping its aspect."""
    canvas = BrailleCanvas(cols, rows)
    if skeleton is not None:
        w, h = max(1, skeleton.width), max(1, skeleton.height)
        # terminal cells are ~2x taller than wide; a braille dot is then ~square
        scale = min(canvas.w / w, canvas.h / h)
        ox, oy = (canvas.w - w * scale) / 2, (canvas.h - h * scale) / 2
        xy = skeleton.image[:, :2].astype(np.float64)
        if mirror:
            xy[:, 0] = 1.0 - xy[:, 0]
        px = ox + xy[:, 0] * w * scale
        py = oy + xy[:, 1] * h * scale
        ok = (skeleton.image[:, 3] >= threshold) & np.isfinite(px) & np.isfinite(py)
        canvas.segments([(px[a], py[a], px[b], py[b]) for a, b in CONNECTIONS if ok[a] and ok[b]])
    return canvas.lines()
