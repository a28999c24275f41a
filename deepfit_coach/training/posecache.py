"""Run the real MediaPipe pose model over rendered frames, once, and cache the result.

Pose inference (~20-40 ms a frame on 2 shared cores) is the expensive part of building
validation and test sets, so each split is stored as one .npz under ``.classifier_cache``
keyed by everything that determines it; retraining reuses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from deepfit_coach import pose
from deepfit_coach.training.clips import Clip

CACHE_DIR = Path(__file__).resolve().parents[2] / ".classifier_cache"
# Keys written before the confidences were part of them were all made at 0.5: a key at 0.5
# stays as it was, so those hours of pose-model runs remain valid for 0.5.
LEGACY_CONFIDENCE = 0.5


def pose_key(pose_model: str | Path, confidence: float | None = None, recover: bool = False) -> dict:
    """What besides the clip decides its cached landmarks: the pose model file, the
    confidences ``pose_clip`` runs it with and whether the pose recovery fills the frames it
    loses (a cache made at another setting is never reused).
    ``confidence`` None: the current default, as ``pose_clip`` uses it."""
    confidence = pose.DEFAULT_CONFIDENCE if confidence is None else confidence
    key: dict = {"model": Path(pose_model).name}
    if confidence != LEGACY_CONFIDENCE:
        key["confidence"] = confidence
    if recover:     # absent when off, so the caches made before recovery existed stay valid
        key["recover"] = True
    return key


def pose_clip(frames: Iterable[np.ndarray], times: np.ndarray, labels: np.ndarray, meta: dict,
              pose_model: str | Path | None = None, confidence: float | None = None, recover: bool = False) -> Clip:
    """One rendered clip (BGR frames) -> a Clip of MediaPipe landmarks (fresh tracker per clip;
    ``confidence`` None: the current default, the one ``pose_key`` names; ``recover``: the
    pose recovery fills frames the landmarker loses, as ``PoseEstimator(recover=True)``)."""
    confidence = pose.DEFAULT_CONFIDENCE if confidence is None else confidence
    lms, worlds, valid = [], [], []
    width = height = 0
    with pose.PoseEstimator(pose_model, min_detection_confidence=confidence, min_presence_confidence=confidence,
                            min_tracking_confidence=confidence, progress=False, recover=recover) as est:
        for i, (img, t) in enumerate(zip(frames, times)):
            height, width = img.shape[:2]
            skel = est.process(img, int(round(t * 1000)), i)
            valid.append(skel is not None)
            lms.append(skel.image if skel is not None else np.zeros((33, 5), np.float32))
            worlds.append(skel.world if skel is not None else np.zeros((33, 3), np.float32))
    return Clip(np.stack(lms).astype(np.float32), np.array(valid), np.asarray(times, dtype=np.float64),
                np.asarray(labels, dtype=np.int64), width, height, meta, np.stack(worlds).astype(np.float32))
