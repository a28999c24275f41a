"""The pose stage: MediaPipe's PoseLandmarker (Tasks API) turned into ``Skeleton`` objects.

VIDEO running mode is used for every source. For files it is the documented mode; for
live cameras the frame source already drops stale frames (see ``sources.LiveSource``),
which is what LIVE_STREAM mode would buy, while VIDEO mode keeps results synchronous
and in order, so the rest of the pipeline sees exactly one result per frame.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from deepfit_coach.model_store import DEFAULT_VARIANT, resolve_pose_model
from deepfit_coach.quiet import native_stderr_silenced
from deepfit_coach.skeleton import NUM_LANDMARKS, Skeleton

# MediaPipe's minimum confidences for finding a person (detection), keeping them (presence)
# and following them from the last frame (tracking). Pose caches that depend on them say so
# in their key (training.posecache.pose_key) and recorded pose files in their header.
DEFAULT_CONFIDENCE = 0.5
DEFAULT_CONFIDENCES = (DEFAULT_CONFIDENCE,) * 3  # (detection, presence, tracking)


class PoseEstimator:
    """One person's 33 landmarks per frame; use as a context manager (closes MediaPipe)."""

    def __init__(self, model_path: str | Path | None = None, variant: str = DEFAULT_VARIANT,
                 min_detection_confidence: float = DEFAULT_CONFIDENCE,
                 min_presence_confidence: float = DEFAULT_CONFIDENCE,
                 min_tracking_confidence: float = DEFAULT_CONFIDENCE, progress: bool = True) -> None:
        self._landmarker = None
        self.confidences = (min_detection_confidence, min_presence_confidence, min_tracking_confidence)
        self.model_path = resolve_pose_model(variant, model_path, progress=progress)
        with native_stderr_silenced():
            import mediapipe as mp
            from mediapipe.tasks.python import BaseOptions, vision
        import cv2

        self._mp, self._cv2 = mp, cv2
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(self.model_path)),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=1,
            min_pose_detection_confidence=min_detection_confidence,
            min_pose_presence_confidence=min_presence_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )
        try:
            with native_stderr_silenced():
                self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as exc:
            from deepfit_coach.errors import ModelError

            raise ModelError(f"MediaPipe cannot load pose model {self.model_path}: {exc}".splitlines()[0]) from None
        self._last_ts = -1

    def process(self, image_bgr: np.ndarray, timestamp_ms: int, frame_index: int = -1) -> Skeleton | None:
        """Landmarks of the person in a BGR frame, or None when nobody is found."""
        rgb = self._cv2.cvtColor(image_bgr, self._cv2.COLOR_BGR2RGB)  # 10x faster than [..., ::-1] copy
        ts = max(int(timestamp_ms), self._last_ts + 1)
        first = self._last_ts < 0
        self._last_ts = ts
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=rgb)
        if first:  # the first inference logs its delegate set-up
            with native_stderr_silenced():
                result = self._landmarker.detect_for_video(image, ts)
        else:
            result = self._landmarker.detect_for_video(image, ts)
        if not result.pose_landmarks:
            return None
        lms = result.pose_landmarks[0]
        points = np.array([(p.x, p.y, p.z, p.visibility or 0.0, p.presence or 0.0) for p in lms],
                         dtype=np.float32)
        world = (np.array([(p.x, p.y, p.z) for p in result.pose_world_landmarks[0]], dtype=np.float32)
                 if result.pose_world_landmarks else np.zeros((NUM_LANDMARKS, 3), np.float32))
        h, w = image_bgr.shape[:2]
        return Skeleton(timestamp_ms=int(timestamp_ms), image=points, world=world, width=w, height=h,
                        frame_index=frame_index)

    def close(self) -> None:
        """Close explicitly: MediaPipe's own __del__ at interpreter exit prints a traceback."""
        if self._landmarker is not None:
            with native_stderr_silenced():
                self._landmarker.close()
            self._landmarker = None

    def __enter__(self) -> "PoseEstimator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
