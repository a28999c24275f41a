"""Contact sheet of every exercise (start and turning point, several views) and the rest
motions, so people can judge realism at a glance."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from deepfit_coach.synth.clip import ClipSpec, FrameDrawer, plan
from deepfit_coach.synth.exercises import EXERCISES_ORDER
from deepfit_coach.synth.motion import REST_KINDS

COLUMNS = (("front", "start"), ("front", "bottom"), ("side", "bottom"), ("45", "bottom"), ("back", "bottom"))


def _label(img: np.ndarray, text: str) -> None:
    cv2.rectangle(img, (0, 0), (img.shape[1], 16), (0, 0, 0), -1)
    cv2.putText(img, text, (3, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (255, 255, 255), 1, cv2.LINE_AA)


def gallery(out: str | Path, seed: int = 0, thumb: tuple[int, int] = (176, 132),
            on_row: Callable[[int, int], None] | None = None) -> Path:
    """Write a PNG grid: one row per exercise, columns per view; a last row of rest motions."""
    w, h = thumb
    rows: list[np.ndarray] = []
    total = len(EXERCISES_ORDER) + 1
    for r, name in enumerate(EXERCISES_ORDER):
        cells = []
        for c, (view, when) in enumerate(COLUMNS):
            p = plan(ClipSpec(name, reps=1, view=view, seed=seed + 101 * r + c, fps=8, width=w * 2, height=h * 2,
                              rest_before=0.0, rest_after=0.0))
            rep = p.truth.reps[0]
            img = FrameDrawer(p).draw(rep.start_frame if when == "start" else rep.bottom_frame)
            img = cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA)
            _label(img, f"{name} {view} {when}" if c else f"{name}")
            cells.append(img)
        rows.append(np.hstack(cells))
        if on_row:
            on_row(r + 1, total)
    cells = []
    for c, kind in enumerate(REST_KINDS[:len(COLUMNS)]):
        p = plan(ClipSpec(kind, view=("front", "45", "side", "front", "45")[c], seed=seed + 7 * c, fps=8,
                          width=w * 2, height=h * 2, duration=4.0))
        img = cv2.resize(FrameDrawer(p).draw(int(p.truth.frame_count * 0.45)), (w, h), interpolation=cv2.INTER_AREA)
        _label(img, f"rest: {kind}")
        cells.append(img)
    rows.append(np.hstack(cells))
    if on_row:
        on_row(total, total)
    sheet = np.vstack(rows)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(out), sheet, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    return out
