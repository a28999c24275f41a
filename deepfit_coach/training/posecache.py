"""Run the real MediaPipe pose model over rendered frames, once, and cache the result.

Pose inference (~20-40 ms a frame on 2 shared cores) is the expensive part of building
validation and test sets, so each split is stored as one .npz under ``.classifier_cache``
keyed by everything that determines it; retraining reuses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from deepfit_coach.training.clips import Clip

CACHE_DIR = Path(__file__).resolve().parents[2] / ".classifier_cache"


def pose_clip(frames: Iterable[np.ndarray], times: np.ndarray, labels: np.ndarray, meta: dict,
              pose_model: str | Path | None = None) -> Clip:
    """One rendered clip (BGR frames) -> a Clip of MediaPipe landmarks (fresh tracker per clip)."""
    from deepfit_coach.pose import PoseEstimator

    lms, worlds, valid = [], [], []
    width = height = 0
    with PoseEstimator(pose_model, progress=False) as est:
        for i, (img, t) in enumerate(zip(frames, times)):
            height, width = img.shape[:2]
            skel = est.process(img, int(round(t * 1000)), i)
            valid.append(skel is not None)
            lms.append(skel.image if skel is not None else np.zeros((33, 5), np.float32))
            worlds.append(skel.world if skel is not None else np.zeros((33, 3), np.float32))
    return Clip(np.stack(lms).astype(np.float32), np.array(valid), np.asarray(times, dtype=np.float64),
                np.asarray(labels, dtype=np.int64), width, height, meta, np.stack(worlds).astype(np.float32))
