"""A labelled clip of landmarks and how it becomes training / evaluation arrays.

A ``Clip`` is what both data paths produce: synth projected joints (training) and
MediaPipe run on rendered frames (validation, test). Cached as one .npz per split.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from deepfit_coach.classifier.labels import NUM_CLASSES
from deepfit_coach.classifier.temporal import MIN_KEYPOINTS
from deepfit_coach.classifier.window import frame_features, sliding_window_features
from deepfit_coach.features import keypoints18


@dataclass
class Clip:
    """(T, 33, 5) normalised landmarks of a width x height video, per-frame truth."""

    landmarks: np.ndarray
    valid: np.ndarray          # (T,) bool: a skeleton was found
    times: np.ndarray          # (T,) seconds
    labels: np.ndarray         # (T,) int class index
    width: int
    height: int
    meta: dict = field(default_factory=dict)  # exercise, view, seed ...
    world: np.ndarray | None = None  # (T, 33, 3) world landmarks, metres (camera axes, hip origin)

    def world_or_zeros(self) -> np.ndarray:
        """(T, 33, 3) world landmarks; zeros (= "none", as the runtime reads them) when absent."""
        return self.world if self.world is not None else np.zeros(self.landmarks.shape[:-1] + (3,), np.float32)


def frame_arrays(clip: Clip) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(T, 36) inputs, (T, NUM_EXTRAS) extras and (T,) usable mask (same rule as the runtime)."""
    feats, extras = frame_features(clip.landmarks, clip.width, clip.height, clip.world_or_zeros())
    _, present = keypoints18(np.asarray(clip.landmarks, dtype=np.float64))
    ok = clip.valid & (present.sum(-1) >= MIN_KEYPOINTS) & (extras[:, 2] > 1e-6)
    return feats, extras, ok


def clip_arrays(clip: Clip, window_stride: int = 1) -> dict[str, np.ndarray]:
    """Frame samples and window samples of one clip.

    A window is labelled with its last frame's truth and kept when the truth did not
    change during its most recent ``RECENT_S``: windows straddling a change teach the
    model to follow a change quickly, but never on a fraction of a second of evidence.
    """
    from deepfit_coach.classifier.window import RECENT_S

    feats, extras, ok = frame_arrays(clip)
    win, wok = sliding_window_features(feats, extras, clip.times, ok)
    pure = np.zeros(len(clip.times), dtype=bool)
    start = 0
    for i, t in enumerate(clip.times):
        while clip.times[start] < t - RECENT_S + 1e-9:
            start += 1
        pure[i] = np.all(clip.labels[start:i + 1] == clip.labels[i])
    wsel = np.flatnonzero(wok & pure)[::window_stride]
    return {"x_frame": feats[ok], "y_frame": clip.labels[ok], "x_window": win[wsel], "y_window": clip.labels[wsel]}


def stack_arrays(clips: list[Clip], window_stride: int = 1) -> dict[str, np.ndarray]:
    parts = [clip_arrays(c, window_stride) for c in clips]
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def save_clips(path: Path, clips: list[Clip]) -> None:
    """All clips of a split in one compressed .npz (meta as JSON)."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    for i, c in enumerate(clips):
        arrays[f"{i}_lm"] = c.landmarks.astype(np.float32)
        arrays[f"{i}_valid"] = c.valid
        arrays[f"{i}_t"] = c.times.astype(np.float32)
        arrays[f"{i}_y"] = c.labels.astype(np.int8)
        arrays[f"{i}_size"] = np.array([c.width, c.height])
        if c.world is not None:
            arrays[f"{i}_world"] = c.world.astype(np.float32)
    arrays["meta"] = np.array(json.dumps([c.meta for c in clips]))
    import os

    tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")  # unique: two runs may fill the same cache
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


def load_clips(path: Path) -> list[Clip]:
    import json

    with np.load(path) as z:
        metas = json.loads(str(z["meta"]))
        return [Clip(z[f"{i}_lm"], z[f"{i}_valid"].astype(bool), z[f"{i}_t"].astype(np.float64),
                     z[f"{i}_y"].astype(np.int64), int(z[f"{i}_size"][0]), int(z[f"{i}_size"][1]), m,
                     z[f"{i}_world"] if f"{i}_world" in z.files else None)
                for i, m in enumerate(metas)]


def class_weights(y: np.ndarray) -> dict[int, float]:
    """Inverse-frequency weights so rare classes count as much as common ones."""
    counts = np.bincount(y, minlength=NUM_CLASSES).astype(np.float64)
    w = counts.sum() / np.maximum(counts, 1) / NUM_CLASSES
    return {i: float(w[i]) for i in range(NUM_CLASSES)}
