"""The pose fallback (PoseEstimator's second landmarker, asked only where the primary finds
nobody) through the real pose model on a short rendered clip, and caches made with and
without it never standing in for each other."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from deepfit_coach.posefile import PoseFile, PoseWriter
from deepfit_coach.skeleton import NUM_LANDMARKS, Skeleton


def _frames():
    from deepfit_coach.synth import ClipSpec, iter_frames

    spec = ClipSpec("squats", reps=1, view="side", seed=23, fps=8, width=320, height=240, rest_before=0.5,
                    rest_after=0.2)
    return [(img, int(round(i * 1000 / spec.fps))) for i, (img, _) in enumerate(iter_frames(spec))]


def _run(est, frames) -> list[bool]:
    return [est.process(img, ts, i) is not None for i, (img, ts) in enumerate(frames)]


@pytest.mark.slow
def test_fallback_fills_long_losses_of_the_primary(pose_model_path) -> None:
    """A primary that can hardly keep anyone (confidences 0.99) misses frames; the 0.2 fallback
    finds the person there, but only once the loss has lasted fallback_after_s."""
    from deepfit_coach.pose import PoseEstimator

    frames = _frames()
    strict = dict(min_detection_confidence=0.99, min_presence_confidence=0.99, min_tracking_confidence=0.99)
    with PoseEstimator(model_path=pose_model_path, progress=False, **strict) as est:
        alone = _run(est, frames)
    assert not all(alone), "the strict primary should miss frames of this clip"
    with PoseEstimator(model_path=pose_model_path, progress=False, fallback_confidence=0.2, fallback_after_s=0.0,
                       **strict) as est:
        assert est.fallback == (0.2, 0.0)
        filled = _run(est, frames)
    # where the primary found someone the result is the primary's; where it missed, the fallback's
    assert all(f for a, f in zip(alone, filled) if a)
    assert sum(filled) >= sum(alone) + max(2, 0.5 * (len(frames) - sum(alone)))
    after = 0.5
    with PoseEstimator(model_path=pose_model_path, progress=False, fallback_confidence=0.2, fallback_after_s=after,
                       **strict) as est:
        late = _run(est, frames)
    since = None   # no fallback pose in the first `after` seconds of a loss, the fallback's after
    for a, f, l, (_, ts) in zip(alone, filled, late, frames):
        since = None if a else (ts if since is None else since)
        if not a:
            assert l == (f and ts - since >= 1000 * after)
    assert est._landmarker is None and est._fallback is None  # both closed


def _skeleton(t_ms: int) -> Skeleton:
    img = np.zeros((NUM_LANDMARKS, 5), np.float32)
    img[:, :2], img[:, 3:] = 0.5, 1.0
    return Skeleton(timestamp_ms=t_ms, image=img, world=np.zeros((NUM_LANDMARKS, 3), np.float32), width=64,
                    height=48, frame_index=0)


def test_caches_with_and_without_the_fallback_are_not_mixed(tmp_path: Path, clip_video: Path) -> None:
    from deepfit_coach.analysis import load_poses
    from deepfit_coach.errors import UserError
    from deepfit_coach.pose import DEFAULT_CONFIDENCES, FALLBACK_AFTER_S

    cache = tmp_path / "clip.poses.jsonl"
    made_with = {"none": None, "fallback": (0.2, FALLBACK_AFTER_S), "other": (0.3, FALLBACK_AFTER_S)}
    for made, fb in made_with.items():
        with open(cache, "w") as f:
            w = PoseWriter(f, "clip.mp4", 15.0, DEFAULT_CONFIDENCES, fb)
            w.write(0, 0, _skeleton(0))
            w.write(67, 1, None)
        assert PoseFile(cache).fallback == fb
        before = cache.read_text()
        for run in (None, 0.2):   # (without a fallback, the pose recovery off: it is on by default)
            if (made == "none" and run is None) or (made == "fallback" and run == 0.2):
                assert len(load_poses(clip_video, cache=cache, fallback=run, recover=False).skeletons) == 2
            else:
                with pytest.raises(UserError, match=r"clip.poses.jsonl: poses made .*pose fallback at .*another --poses path"):
                    load_poses(clip_video, cache=cache, fallback=run, recover=False)
        assert cache.read_text() == before
    with open(cache, "w") as f:   # a cache from before confidences were recorded: made without a fallback
        PoseWriter(f, "clip.mp4", 15.0).write(0, 0, _skeleton(0))
    assert len(load_poses(clip_video, cache=cache, recover=False).skeletons) == 1
    with pytest.raises(UserError, match="use --no-pose-recover instead of --pose-fallback 0.2"):
        load_poses(clip_video, cache=cache, fallback=0.2)
