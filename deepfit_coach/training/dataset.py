"""Build the splits: synth joints + MediaPipe-like noise (train), rendered frames through
the real pose model (mptrain, val, test), cached per clip so reruns are cheap/resumable."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from deepfit_coach.classifier.labels import CLASS_INDEX, REST
from deepfit_coach.skeleton import LR_SWAP
from deepfit_coach.synth import joints_only
from deepfit_coach.synth.clip import _spec_dict
from deepfit_coach.synth.truth import Truth
from deepfit_coach.training.augment import mediapipe_noise, mirror, mirror_world, world_noise
from deepfit_coach.training.clips import Clip, load_clips, save_clips
from deepfit_coach.training.posecache import CACHE_DIR, pose_key
from deepfit_coach.training.specs import SpecItem

CACHE_VERSION = "2"  # 2: world landmarks stored too


def truth_labels(truth: Truth) -> np.ndarray:
    return np.array([CLASS_INDEX.get(lab, CLASS_INDEX[REST]) for lab in truth.labels], dtype=np.int64)


def truth_landmarks(truth: Truth) -> np.ndarray:
    """Exact projected joints as (T, 33, 5) normalised landmarks (visibility = in frame)."""
    lm = np.zeros((truth.frame_count, 33, 5), np.float32)
    lm[..., 0] = truth.joints_2d[..., 0] / truth.width
    lm[..., 1] = truth.joints_2d[..., 1] / truth.height
    lm[..., 2] = truth.joints_3d[..., 2]
    lm[..., 3] = truth.in_frame
    lm[..., 4] = truth.in_frame
    return lm


def truth_world(truth: Truth, mirrored: bool) -> np.ndarray:
    """Truth joints as the pose model reports them: in a mirrored video it sees a
    mirrored person, whose left is the truth's right (the truth keeps the labels)."""
    w = truth.joints_3d.astype(np.float32)
    return w[:, LR_SWAP] if mirrored else w


def _meta(item: SpecItem, split: str) -> dict:
    s = item.spec
    return {"split": split, "exercise": s.exercise, "view": item.view, "seed": s.seed,
            "yaw": round(float(s.yaw or 0.0), 1), "size": [s.width, s.height]}


def exact_clip(item: SpecItem, split: str = "train", cache_dir: Path = CACHE_DIR) -> Clip:
    """Exact projected joints of a spec (cached: planning is the slow part)."""
    path = cache_dir / f"{split}_joints" / f"{item.spec.exercise}-{_key(item, 'joints')}.npz"
    if path.is_file():
        return load_clips(path)[0]
    truth = joints_only(item.spec)
    clip = Clip(truth_landmarks(truth), np.ones(truth.frame_count, bool), np.arange(truth.frame_count) / truth.fps,
                truth_labels(truth), truth.width, truth.height, _meta(item, split), truth_world(truth, item.spec.mirror))
    return _through_cache(path, clip)


def _through_cache(path: Path, clip: Clip) -> Clip:
    """Save ``clip`` and return it as the cache gives it back (float32 landmarks and times):
    a cold start must train on exactly what a warm retrain reads, or the two give different
    models and settings (measured: a cold retrain chose lag 0.3 s, a re-run of its settings
    search on its own cache 0.6 s)."""
    save_clips(path, [clip])
    return load_clips(path)[0]


def synth_clip(item: SpecItem, rng: np.random.Generator, copies: int = 1, split: str = "train") -> list[Clip]:
    """Joints-only clip, ``copies`` independently noised versions of it."""
    exact = exact_clip(item, split)
    lm, times, labels = exact.landmarks, exact.times, exact.labels
    out = []
    for _ in range(copies):
        strength = float(rng.uniform(0.5, 1.5))
        noisy = mediapipe_noise(lm, exact.width, exact.height, rng, strength=strength)
        world = world_noise(exact.world, rng, strength)
        if rng.random() < 0.5:
            noisy, world = mirror(noisy), mirror_world(world)
        if rng.random() < 0.03:  # a pose source without world landmarks: 2D inputs only
            world = np.zeros_like(world)
        valid = np.ones(len(times), bool)
        if rng.random() < 0.3:  # the detector loses the person for a few frames now and then
            for _ in range(int(rng.integers(1, 4))):
                a = int(rng.integers(0, len(times)))
                valid[a:a + int(rng.integers(1, 6))] = False
        out.append(Clip(noisy, valid, times, labels, exact.width, exact.height, exact.meta, world))
    return out


# Spec fields that name a cached clip. Fields the synth adds later (with defaults) must not
# invalidate hours of pose-model runs, so the key only looks at these.
KEY_FIELDS = ("view", "yaw", "pitch", "distance", "fill", "offset", "roll", "mirror", "fps", "width", "height",
              "seed", "variation", "noise", "blur", "exercise", "reps", "side", "faults", "rep_faults",
              "fault_prob", "tempo", "rest_before", "rest_after", "rest_kind", "duration", "type")


def _key(item: SpecItem, pose_model: str, confidence: float | None = None, recover: bool = False) -> str:
    """``pose_model`` "joints" for the exact joints (no pose model, so no pose settings);
    ``confidence`` None: the runtime's default (``pose.DEFAULT_CONFIDENCE``)."""
    spec = {k: v for k, v in _spec_dict(item.spec).items() if k in KEY_FIELDS}
    pose = {"model": "joints"} if pose_model == "joints" else pose_key(pose_model, confidence, recover)
    blob = json.dumps({"v": CACHE_VERSION, "spec": spec, **pose}, sort_keys=True, default=str)
    return hashlib.sha1(blob.encode()).hexdigest()[:16]


def rendered_clip(item: SpecItem, split: str, pose_model: str, cache_dir: Path = CACHE_DIR,
                  confidence: float | None = None, recover: bool = False) -> Clip:
    """Render the clip, run MediaPipe on every frame with its three confidences at
    ``confidence`` (None: the runtime's default; ``recover``: with the pose recovery), cache
    the landmarks (.npz per clip)."""
    path = cache_dir / split / f"{item.spec.exercise}-{_key(item, pose_model, confidence, recover)}.npz"
    if path.is_file():
        return load_clips(path)[0]
    from deepfit_coach.synth.clip import iter_frames, plan
    from deepfit_coach.training.posecache import pose_clip

    p = plan(item.spec)
    times = np.arange(p.truth.frame_count) / p.truth.fps
    frames = (img for img, _ in iter_frames(p))
    clip = pose_clip(frames, times, truth_labels(p.truth), _meta(item, split), pose_model, confidence, recover)
    return _through_cache(path, clip)


def rendered_clips(items: list[SpecItem], split: str, pose_model: str,
                   progress: Callable[[], None] | None = None, cache_dir: Path = CACHE_DIR,
                   confidence: float | None = None, recover: bool = False) -> list[Clip]:
    out = []
    for item in items:
        out.append(rendered_clip(item, split, pose_model, cache_dir, confidence, recover))
        if progress:
            progress()
    return out
