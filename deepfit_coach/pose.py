"""The pose stage: MediaPipe's PoseLandmarker (Tasks API) turned into ``Skeleton`` objects.

VIDEO running mode is used for every source. For files it is the documented mode; for
live cameras the frame source already drops stale frames (see ``sources.LiveSource``),
which is what LIVE_STREAM mode would buy, while VIDEO mode keeps results synchronous
and in order, so the rest of the pipeline sees exactly one result per frame.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from deepfit_coach import people
from deepfit_coach.model_store import DEFAULT_VARIANT, ModelIdentity, resolve_pose_model, run_identity
from deepfit_coach.quiet import native_stderr_silenced
from deepfit_coach.zoom import Zoom
from deepfit_coach.skeleton import NUM_LANDMARKS, Skeleton

# MediaPipe's minimum confidences for finding a person (detection), keeping them (presence)
# and following them from the last frame (tracking). Pose caches that depend on them say so
# in their key (training.posecache.pose_key) and recorded pose files in their header.
DEFAULT_CONFIDENCE = 0.5
DEFAULT_CONFIDENCES = (DEFAULT_CONFIDENCE,) * 3  # (detection, presence, tracking)
# Optional fallback (off by default): a second landmarker, all three confidences at
# ``fallback_confidence``, asked on every frame where the primary finds nobody (so it tracks the
# person through the loss); its pose is used once the loss has lasted FALLBACK_AFTER_S. Short
# losses are bridged by the trackers, and filling them with the weaker poses raised form false
# alarms on the tuning pool; long ones (head-on push-ups) lose whole reps. See BENCHMARKS.md,
# "Pose fallback", and benchmarks/pose_fallback.py.
FALLBACK_AFTER_S = 0.55
# The pose recovery (``poserecover``) fills the landmarker's losses in what users run (the commands,
# ``posestream.open_pose_stream``, ``analysis.load_poses``) unless told not to (``recover=False``,
# ``--no-pose-recover``) or the fallback is asked for instead: on the tuning pool it counts head-on
# push-ups better, and form is judged on the landmarker's own frames only (``counting.tracker``);
# BENCHMARKS.md, "Pose recovery". ``PoseEstimator`` itself runs it only when asked (``recover=True``),
# so tools that measure the landmarker (training caches, pose benchmarks) get the landmarker alone.
RECOVER_BY_DEFAULT = True


def recover_setting(recover: bool | None, fallback: object = None) -> bool:
    """Whether the pose recovery runs: ``recover`` if given, else the default - on, unless a pose
    fallback (``fallback`` not None) takes its place (the two are alternatives)."""
    return (fallback is None and RECOVER_BY_DEFAULT) if recover is None else bool(recover)


def fallback_in_use(miss_since_ms: int, t_ms: int, after_s: float = FALLBACK_AFTER_S) -> bool:
    """Whether the fallback's pose at ``t_ms`` is used, the primary having found nobody since ``miss_since_ms``."""
    return t_ms - miss_since_ms >= 1000 * after_s


# the most people followed at once after a scan found several (``people``)
MAX_PEOPLE = 3


def _landmarker(vision, BaseOptions, model_path: Path, confidences: tuple[float, float, float], num_poses: int = 1,
                video: bool = True):
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path)),
        running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
        num_poses=num_poses,
        min_pose_detection_confidence=confidences[0],
        min_pose_presence_confidence=confidences[1],
        min_tracking_confidence=confidences[2],
    )
    try:
        with native_stderr_silenced():
            return vision.PoseLandmarker.create_from_options(options)
    except (RuntimeError, ValueError) as exc:
        from deepfit_coach.errors import ModelError

        raise ModelError(f"MediaPipe cannot load pose model {model_path}: {exc}".splitlines()[0]) from None


def _detect(landmarker, image, ts: int):
    """``detect_for_video``, silenced: MediaPipe logs its set-up on a landmarker's first frame, and
    warns on later ones ("Using NORM_RECT without IMAGE_DIMENSIONS ...", a person small in the picture)."""
    with native_stderr_silenced():
        return landmarker.detect_for_video(image, ts)


def _image_landmarks(result, k: int = 0) -> np.ndarray:
    """(33, 5) x, y, z, visibility, presence of a MediaPipe result's k-th pose."""
    return np.array([(p.x, p.y, p.z, p.visibility or 0.0, p.presence or 0.0) for p in result.pose_landmarks[k]],
                    dtype=np.float32)


def _xy(landmarks) -> np.ndarray:
    """(33, 2) normalised x, y of one MediaPipe pose."""
    return np.array([(p.x, p.y) for p in landmarks], dtype=np.float64)


class PoseEstimator:
    """One person's 33 landmarks per frame; use as a context manager (closes MediaPipe).

    With ``scan_people`` (default) the picture is checked for other people every
    ``people.SCAN_EVERY_S``; once two checks within a few seconds find two or more, every person is followed and the
    exerciser kept (``people``), so someone standing behind or walking past is not counted.
    With one person in the picture the single-person landmarker's output is all there is."""

    def __init__(self, model_path: str | Path | None = None, variant: str = DEFAULT_VARIANT,
                 min_detection_confidence: float = DEFAULT_CONFIDENCE,
                 min_presence_confidence: float = DEFAULT_CONFIDENCE,
                 min_tracking_confidence: float = DEFAULT_CONFIDENCE, progress: bool = True,
                 fallback_confidence: float | None = None, fallback_after_s: float = FALLBACK_AFTER_S,
                 recover: bool = False, scan_people: bool = True, zoom: bool = True) -> None:
        self._landmarker = self._fallback = self._recovery = self._scanner = self._crowd = None
        if recover and fallback_confidence is not None:
            raise ValueError("pose recovery and the pose fallback are alternatives: choose one")
        self.confidences = (min_detection_confidence, min_presence_confidence, min_tracking_confidence)
        # (confidence, after_s) of the fallback landmarker, or None: recorded pose files say it
        self.fallback = None if fallback_confidence is None else (float(fallback_confidence), float(fallback_after_s))
        self.model_path = resolve_pose_model(variant, model_path, progress=progress)
        self._variant, self._explicit = variant, model_path
        with native_stderr_silenced():
            import mediapipe as mp
            from mediapipe.tasks.python import BaseOptions, vision
        import cv2

        self._mp, self._cv2 = mp, cv2
        self._landmarker = _landmarker(vision, BaseOptions, self.model_path, self.confidences)
        # (min_flag, min_visible, after_s) of the pose recovery (poserecover.RoiRecovery), or None
        self.recover = None
        if recover:
            from deepfit_coach.poserecover import RoiRecovery

            try:
                self._recovery = RoiRecovery(self.model_path)
            except BaseException:
                self.close()
                raise
            self.recover = (self._recovery.min_flag, self._recovery.min_visible, self._recovery.after_s)
        if self.fallback is not None:
            try:
                self._fallback = _landmarker(vision, BaseOptions, self.model_path, (self.fallback[0],) * 3)
            except BaseException:
                self.close()
                raise
        self._vision, self._base_options = vision, BaseOptions
        self.scan_people = scan_people
        self._follower = people.Follower()
        self._last_ts = -1
        self._miss_since: int | None = None  # timestamp of the primary's first miss of the current loss
        # a person small in the picture: the landmarker is shown a crop around them (``zoom``; recorded in pose files)
        self.zoom = zoom
        self._zoom = Zoom() if zoom else None

    @functools.cached_property
    def model(self) -> ModelIdentity:
        """Which model this is (recorded in pose files); a file the user chose is hashed once, when asked."""
        return run_identity(self._variant, self._explicit)

    def process(self, image_bgr: np.ndarray, timestamp_ms: int, frame_index: int = -1) -> Skeleton | None:
        """Landmarks of the person in a BGR frame, or None when nobody is found."""
        image, ts = self._frame(image_bgr, timestamp_ms)
        h, w = image_bgr.shape[:2]
        if self._crowd is None and self.scan_people and self._follower.scans.due(ts):
            self._scan(image, ts, w, h)
        if self._crowd is not None:
            return self._process_crowd(image, ts, image_bgr, timestamp_ms, frame_index)
        skel = self._process_single(image, ts, image_bgr, timestamp_ms, frame_index)
        if skel is None:
            return None
        if self.scan_people and not self._follower.take(skel.image[:, :2].astype(np.float64), ts, w, h,
                                                         lambda: self._scan(image, ts, w, h)):
            return None   # maybe someone else: the exerciser stays the one followed (see people)
        if self._recovery is not None and not skel.recovered:
            self._recovery.seen(skel)   # a later loss starts from the exerciser, not from a dropped jump
        return skel

    @property
    def crowd_since_ms(self) -> int | None:
        """When two scans confirmed several people (every person followed since), or None."""
        return self._follower.several_since_ms

    def _process_single(self, image, ts: int, image_bgr: np.ndarray, timestamp_ms: int,
                        frame_index: int) -> Skeleton | None:
        """The single-person landmarker (with the recovery or the fallback when asked), shown the part of
        the frame ``zoom`` chooses (a person small in the picture)."""
        h, w = image_bgr.shape[:2]
        window = self._zoom.view(w, h) if self._zoom is not None else None
        if window is not None:
            image_in = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=window.crop(image.numpy_view()))
        result = _detect(self._landmarker, image if window is None else image_in, ts)
        if result.pose_landmarks:
            self._miss_since = None
            skel = self._skeleton(result, image_bgr, timestamp_ms, frame_index)
            if window is not None:   # back in the whole frame's coordinates, for everything after the pose model
                skel.image = window.to_frame(skel.image, w, h)
            if self._zoom is not None:
                self._zoom.found(skel.image, w, h)
            return skel
        if self._zoom is not None:
            self._zoom.missed()
        if self._recovery is not None:
            return self._recovery.recover(image.numpy_view(), timestamp_ms, frame_index)
        if self._fallback is not None:
            self._miss_since = ts if self._miss_since is None else self._miss_since
            result = self._detect_fallback(image, ts)
            if result.pose_landmarks and fallback_in_use(self._miss_since, ts, self.fallback[1]):
                return self._skeleton(result, image_bgr, timestamp_ms, frame_index)
        return None

    def process_fallback(self, image_bgr: np.ndarray, timestamp_ms: int, frame_index: int = -1) -> Skeleton | None:
        """The fallback landmarker alone on a frame the primary is known to miss (building a
        fallback cache from a recorded one: benchmarks/pose_fallback.py); its own result, used or not."""
        if self._fallback is None:
            raise ValueError("no fallback landmarker (fallback_confidence is None)")
        image, ts = self._frame(image_bgr, timestamp_ms)
        result = self._detect_fallback(image, ts)
        return self._skeleton(result, image_bgr, timestamp_ms, frame_index) if result.pose_landmarks else None

    def _frame(self, image_bgr: np.ndarray, timestamp_ms: int):
        """The frame as MediaPipe takes it, and its timestamp (strictly increasing, as VIDEO mode needs)."""
        rgb = self._cv2.cvtColor(image_bgr, self._cv2.COLOR_BGR2RGB)  # 10x faster than [..., ::-1] copy
        ts = max(int(timestamp_ms), self._last_ts + 1)
        self._last_ts = ts
        return self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=rgb), ts

    def _scan(self, image, ts: int, width: int, height: int) -> list[np.ndarray]:
        """Look for other people in the picture; with several, follow everyone from here on. The
        people found (normalised landmarks (x, y))."""
        if self._scanner is None:
            with native_stderr_silenced():
                self._scanner = _landmarker(self._vision, self._base_options, self.model_path, self.confidences,
                                            num_poses=MAX_PEOPLE, video=False)
        with native_stderr_silenced():   # MediaPipe logs its set-up on a landmarker's first frames
            found = [_xy(lms) for lms in self._scanner.detect(image).pose_landmarks]
        if self._follower.scanned(found, ts, width, height):
            with native_stderr_silenced():
                self._crowd = _landmarker(self._vision, self._base_options, self.model_path, self.confidences,
                                          num_poses=MAX_PEOPLE)
        return found

    def _process_crowd(self, image, ts: int, image_bgr: np.ndarray, timestamp_ms: int,
                       frame_index: int) -> Skeleton | None:
        h, w = image_bgr.shape[:2]
        result = _detect(self._crowd, image, ts)
        k = self._follower.pick([_xy(lms) for lms in result.pose_landmarks], ts, w, h)
        if k is None:
            return self._recovery.recover(image.numpy_view(), timestamp_ms, frame_index) \
                if self._recovery is not None else None
        skel = self._skeleton(result, image_bgr, timestamp_ms, frame_index, k)
        if self._recovery is not None:
            self._recovery.seen(skel)
        return skel

    def _detect_fallback(self, image, ts: int):
        return _detect(self._fallback, image, ts)

    def _skeleton(self, result, image_bgr: np.ndarray, timestamp_ms: int, frame_index: int, k: int = 0) -> Skeleton:
        points = _image_landmarks(result, k)
        world = (np.array([(p.x, p.y, p.z) for p in result.pose_world_landmarks[k]], dtype=np.float32)
                 if result.pose_world_landmarks else np.zeros((NUM_LANDMARKS, 3), np.float32))
        h, w = image_bgr.shape[:2]
        return Skeleton(timestamp_ms=int(timestamp_ms), image=points, world=world, width=w, height=h,
                        frame_index=frame_index)

    def close(self) -> None:
        """Close explicitly (both landmarkers): MediaPipe's own __del__ at interpreter exit prints a traceback."""
        if getattr(self, "_recovery", None) is not None:
            self._recovery.close()
            self._recovery = None
        for name in ("_landmarker", "_fallback", "_scanner", "_crowd"):
            lm = getattr(self, name, None)
            if lm is not None:
                with native_stderr_silenced():
                    lm.close()
                setattr(self, name, None)

    def __enter__(self) -> "PoseEstimator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
