"""Pose recovery: finding the person again on frames where the pose landmarker loses them.

MediaPipe's PoseLandmarker (VIDEO mode) follows a person by running BlazePose's landmark
model on a region of interest (ROI) taken from the last frame's pose; when that model's own
"a person is here" score drops below the presence confidence, it forgets the ROI and asks its
person detector on the whole frame, which aligns on the face and the hips. Push-ups filmed
head-on hide the hips behind the shoulders, so the detector finds nobody for seconds at a time.

``RoiRecovery`` keeps following instead: on a frame the landmarker misses it runs the landmark
model itself (``pose_landmarks_detector.tflite`` from the same ``.task`` bundle, no detector) on
the ROI around the last known body - the landmarker's last pose at the start of a loss, then
the ROI the model's own alignment points give, frame to frame, as MediaPipe tracks - and hands
out the pose only when the model is sure of the person (score >= ``min_flag``) and sees the
arms (mean visibility of shoulders, elbows and wrists >= ``min_visible``): on the tuning pool's
missed frames, poses passing both were as close to the drawn joints as the landmarker's own in
the same clips, the rest often far off (BENCHMARKS.md, "Pose recovery"). Like the pose
fallback it only hands poses out once a loss has lasted ``after_s``. It costs one landmark-model
run per missed frame (no detector) and nothing on frames the landmarker finds.

On by default in what users run (``pose.recover_setting``): the commands that run the pose model
(``--no-pose-recover`` turns it off; ``--pose-fallback`` takes its place), ``posestream.open_pose_stream``
and ``analysis.load_poses``; ``pose.PoseEstimator`` runs it with ``recover=True``. Its poses are marked
(``Skeleton.recovered``, ``"recovered": true`` in pose files): they are counted, but form is judged on
the landmarker's own frames only (``counting.tracker``). On the tuning pool it counts head-on push-ups
better; with form judged on the recovered frames it had added 3 false alarms (BENCHMARKS.md, "Pose recovery").
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np

from deepfit_coach.skeleton import NUM_LANDMARKS, Skeleton

LANDMARK_MODEL = "pose_landmarks_detector.tflite"  # inside pose_landmarker_*.task (a zip)
INPUT = 256            # the landmark model's square input (pixels)
NUM_OUT = 39           # 33 landmarks + 6 auxiliary points (33: body centre, 34: scale/rotation)
ROI_SCALE = 1.25       # MediaPipe's tracking ROI: 2 x |aux 33 -> aux 34|, enlarged by 1.25
MIN_FLAG = 0.9
MIN_VISIBLE = 0.9
# Poses are handed out once a loss has lasted this long (the recovery follows from its first
# frame): short losses are bridged by the counters, and filling them changed counts both ways
# on the tuning pool (as with the pose fallback, pose.FALLBACK_AFTER_S).
AFTER_S = 0.55
ARMS = slice(11, 17)   # shoulders, elbows, wrists


def _norm_angle(a: float) -> float:
    return a - 2 * math.pi * math.floor((a + math.pi) / (2 * math.pi))


def roi_from_points(centre: np.ndarray, toward: np.ndarray, size: float) -> tuple[float, float, float, float]:
    """(cx, cy, side, rotation) in pixels/radians: a square around ``centre`` turned so that
    ``centre -> toward`` points up in the crop (MediaPipe's alignment, target angle 90 deg)."""
    d = toward - centre
    rot = _norm_angle(math.pi / 2 - math.atan2(-float(d[1]), float(d[0])))
    return float(centre[0]), float(centre[1]), float(size), rot


def roi_from_aux(points_px: np.ndarray) -> tuple[float, float, float, float]:
    """The ROI MediaPipe tracks with, from the model's auxiliary points 33 and 34 (pixels)."""
    c, t = points_px[33, :2], points_px[34, :2]
    return roi_from_points(c, t, 2 * ROI_SCALE * float(np.hypot(*(t - c))))


def roi_from_pose(points_px: np.ndarray) -> tuple[float, float, float, float]:
    """An ROI from the 33 public landmarks (the landmarker does not hand out its auxiliary
    points): centred on the hips, hips -> shoulders up, big enough for the farthest landmark."""
    hips = (points_px[23, :2] + points_px[24, :2]) / 2
    shoulders = (points_px[11, :2] + points_px[12, :2]) / 2
    reach = float(np.max(np.linalg.norm(points_px[:NUM_LANDMARKS, :2] - hips, axis=1)))
    return roi_from_points(hips, shoulders, 2 * ROI_SCALE * max(reach, 1.0))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50.0, 50.0)))


class RoiRecovery:
    """Follows the person through the landmarker's losses; see the module doc."""

    def __init__(self, task_path: str | Path, min_flag: float = MIN_FLAG, min_visible: float = MIN_VISIBLE,
                 after_s: float = AFTER_S, threads: int = 1) -> None:
        import cv2

        from deepfit_coach.errors import ModelError
        from deepfit_coach.quiet import native_stderr_silenced

        self._cv2 = cv2
        self.min_flag, self.min_visible, self.after_s = float(min_flag), float(min_visible), float(after_s)
        try:
            with zipfile.ZipFile(task_path) as z:
                content = z.read(LANDMARK_MODEL)
        except (OSError, KeyError, zipfile.BadZipFile) as exc:
            raise ModelError(f"pose recovery: no {LANDMARK_MODEL} in {task_path}: {exc}".splitlines()[0]) from None
        from deepfit_coach.classifier.runtime import interpreter_class

        with native_stderr_silenced():
            self._it = interpreter_class()(model_content=content, num_threads=threads)
            self._it.allocate_tensors()
        self._in = self._it.get_input_details()[0]["index"]
        out = {d["name"]: d for d in self._it.get_output_details()}
        shapes = {name: int(np.prod(d["shape"])) for name, d in out.items()}
        try:   # by size: landmarks 39 x 5, world 39 x 3, the person score 1
            self._o_lm = next(out[n]["index"] for n, s in shapes.items() if s == NUM_OUT * 5)
            self._o_world = next(out[n]["index"] for n, s in shapes.items() if s == NUM_OUT * 3)
            self._o_flag = next(out[n]["index"] for n, s in shapes.items() if s == 1)
        except StopIteration:
            raise ModelError(f"pose recovery: {LANDMARK_MODEL} in {task_path} has unexpected outputs") from None
        self._last: Skeleton | None = None   # the landmarker's last pose
        self._roi: tuple[float, float, float, float] | None = None
        self._loss_ms: int | None = None   # when the current loss began
        self.last_score: tuple[float, float] | None = None   # (person score, arms' visibility) of the last run

    def reset(self) -> None:
        """Forget the last pose (a new clip)."""
        self._last = self._roi = self.last_score = self._loss_ms = None

    def seen(self, skeleton: Skeleton) -> None:
        """The landmarker found ``skeleton``: a later loss starts from it (no model run)."""
        self._last, self._roi, self._loss_ms = skeleton, None, None

    def recover(self, image_rgb: np.ndarray, timestamp_ms: int, frame_index: int = -1) -> Skeleton | None:
        """The person on a frame the landmarker missed, or None (none seen yet, or not sure)."""
        h, w = image_rgb.shape[:2]
        if self._roi is None:
            if self._last is None:
                return None
            self._loss_ms = int(timestamp_ms)
            pts = self._last.image[:, :2] * np.array([self._last.width, self._last.height], np.float32)
            self._roi = roi_from_pose(pts)
        points, world, flag = self.run(image_rgb, self._roi)
        self._roi = roi_from_aux(points)   # follow, sure or not, as the landmarker's tracking does
        self.last_score = (flag, float(points[ARMS, 3].mean()))
        if flag < self.min_flag or self.last_score[1] < self.min_visible:
            return None
        if timestamp_ms - self._loss_ms < 1000 * self.after_s:
            return None
        image = points[:NUM_LANDMARKS].copy()
        image[:, 0] /= w
        image[:, 1] /= h
        image[:, 2] /= w
        return Skeleton(timestamp_ms=int(timestamp_ms), image=image, world=world[:NUM_LANDMARKS].copy(),
                        width=w, height=h, frame_index=frame_index, extra={"recovered": True})

    def run(self, image_rgb: np.ndarray, roi: tuple[float, float, float, float]
            ) -> tuple[np.ndarray, np.ndarray, float]:
        """The landmark model on ``roi`` of an RGB frame: (39 x 5 points: x, y in frame pixels, z
        in pixels, visibility, presence; 39 x 3 world metres, camera-aligned; the person score)."""
        cv2 = self._cv2
        cx, cy, side, rot = roi
        c, s = math.cos(rot), math.sin(rot)
        k = side / INPUT
        # crop pixel (u, v) -> frame: R @ ((u + 0.5) / INPUT - 0.5, (v + 0.5) / INPUT - 0.5) * side + centre
        m = np.array([[c * k, -s * k, 0.0], [s * k, c * k, 0.0]])
        off = (0.5 / INPUT - 0.5) * side
        m[:, 2] = [c * off - s * off + cx, s * off + c * off + cy]
        crop = cv2.warpAffine(image_rgb, m, (INPUT, INPUT), flags=cv2.WARP_INVERSE_MAP | cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
        self._it.set_tensor(self._in, (crop.astype(np.float32) / 255.0)[None])
        self._it.invoke()
        raw = self._it.get_tensor(self._o_lm).reshape(NUM_OUT, 5)
        world = self._it.get_tensor(self._o_world).reshape(NUM_OUT, 3).astype(np.float32)
        flag = float(self._it.get_tensor(self._o_flag).reshape(-1)[0])
        u, v = raw[:, 0] / INPUT - 0.5, raw[:, 1] / INPUT - 0.5
        points = np.empty((NUM_OUT, 5), np.float32)
        points[:, 0] = (c * u - s * v) * side + cx
        points[:, 1] = (s * u + c * v) * side + cy
        points[:, 2] = raw[:, 2] / INPUT * side
        points[:, 3] = _sigmoid(raw[:, 3])
        points[:, 4] = _sigmoid(raw[:, 4])
        wx, wy = world[:, 0].copy(), world[:, 1].copy()
        world[:, 0], world[:, 1] = c * wx - s * wy, s * wx + c * wy
        return points, world, flag

    def close(self) -> None:
        self._it = None
