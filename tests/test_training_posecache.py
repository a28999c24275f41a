"""Cached pose-model clips are keyed by the pose settings that made them; the training clips
stay at 0.5 (the shipped models), validation and test follow the runtime's default."""

from __future__ import annotations

import hashlib
import json

from deepfit_coach import pose
from deepfit_coach.synth import ClipSpec
from deepfit_coach.synth.clip import _spec_dict
from deepfit_coach.training.dataset import CACHE_VERSION, KEY_FIELDS, _key
from deepfit_coach.training.specs import SpecItem
from deepfit_coach.training.splits import split_items

MODEL = "/somewhere/pose_landmarker_full.task"


def _item() -> SpecItem:
    return SpecItem(ClipSpec("squats", reps=3, view="front", seed=5, fps=10), "front")


def test_keys_at_the_old_confidence_are_the_keys_of_the_existing_caches(monkeypatch) -> None:
    """Caches written before the confidence was in the key were made at 0.5: still found."""
    monkeypatch.setattr(pose, "DEFAULT_CONFIDENCE", 0.5)
    assert _key(_item(), MODEL) == _legacy_key(_item())


def test_another_confidence_never_reuses_a_cached_clip(monkeypatch) -> None:
    monkeypatch.setattr(pose, "DEFAULT_CONFIDENCE", 0.5)
    at_05, joints_05 = _key(_item(), MODEL), _key(_item(), "joints")
    monkeypatch.setattr(pose, "DEFAULT_CONFIDENCE", 0.2)
    assert _key(_item(), MODEL) != at_05
    assert _key(_item(), "joints") == joints_05  # exact joints: no pose model, nothing to redo


def _legacy_key(item: SpecItem) -> str:
    spec = {k: v for k, v in _spec_dict(item.spec).items() if k in KEY_FIELDS}
    old = json.dumps({"v": CACHE_VERSION, "spec": spec, "model": "pose_landmarker_full.task"},
                     sort_keys=True, default=str)
    return hashlib.sha1(old.encode()).hexdigest()[:16]


def test_an_explicit_confidence_of_05_keeps_the_old_key_whatever_the_default(monkeypatch) -> None:
    monkeypatch.setattr(pose, "DEFAULT_CONFIDENCE", 0.2)
    assert _key(_item(), MODEL, 0.5) == _legacy_key(_item())
    assert _key(_item(), MODEL) == _key(_item(), MODEL, 0.2) != _legacy_key(_item())


def test_training_clips_stay_at_05_and_val_test_follow_the_runtime(monkeypatch) -> None:
    """With the runtime's default at 0.2, the pipeline still asks for the mptrain clips cached
    at 0.5 (the shipped models' training data, unchanged keys) and for val/test at 0.2."""
    import numpy as np

    import deepfit_coach.training.dataset as dataset
    from deepfit_coach.training.clips import Clip
    from deepfit_coach.training.pipeline import TrainConfig, build_rendered
    from deepfit_coach.training.splits import Budget

    asked: dict[str, list[str]] = {}

    def fake(items, split, pose_model, progress=None, cache_dir=None, confidence=None, recover=False):
        asked[split] = [_key(it, pose_model, confidence, recover) for it in items]
        lm = np.zeros((2, 33, 5), np.float32)
        return [Clip(lm, np.ones(2, bool), np.arange(2) / 10.0, np.zeros(2, np.int64), 640, 480, {})]

    monkeypatch.setattr(dataset, "rendered_clips", fake)
    budget = Budget(mptrain_clips=2, mptrain_view_clips=1, val_clips=2, test_per_view=1)
    for default in (0.2, 0.5):
        monkeypatch.setattr(pose, "DEFAULT_CONFIDENCE", default)
        cfg = TrainConfig(budget=budget, pose_model=MODEL)
        for split in ("mptrain", "val", "test"):
            build_rendered(split, cfg, log=lambda m: None)
        legacy = {s: [_legacy_key(it) for it in split_items(s, 0, budget)] for s in asked}
        assert asked["mptrain"] == legacy["mptrain"]
        for split in ("val", "test"):
            assert (asked[split] == legacy[split]) == (default == 0.5)
            assert asked[split] == [_key(it, MODEL, default) for it in split_items(split, 0, budget)]
    # an experiment's explicit evaluation confidence wins over the default
    build_rendered("val", TrainConfig(budget=budget, pose_model=MODEL, eval_confidence=0.3), log=lambda m: None)
    assert asked["val"] == [_key(it, MODEL, 0.3) for it in split_items("val", 0, budget)]
    # val and test posed with the pose recovery are cached apart; the training clips never are
    monkeypatch.setattr(pose, "DEFAULT_CONFIDENCE", 0.5)
    cfg = TrainConfig(budget=budget, pose_model=MODEL, eval_recover=True)
    for split in ("mptrain", "val", "test"):
        build_rendered(split, cfg, log=lambda m: None)
    assert asked["mptrain"] == [_legacy_key(it) for it in split_items("mptrain", 0, budget)]
    for split in ("val", "test"):
        items = split_items(split, 0, budget)
        assert asked[split] == [_key(it, MODEL, 0.5, True) for it in items]
        assert not set(asked[split]) & {_legacy_key(it) for it in items}


def test_reports_say_which_confidence_each_split_was_made_at() -> None:
    from deepfit_coach.training.pipeline import pose_confidences

    # reports written before the confidences were recorded: everything was made at 0.5
    assert pose_confidences({"test": {}}) == {"mptrain": 0.5, "val": 0.5, "test": 0.5}
    assert pose_confidences({"pose_confidence": {"mptrain": 0.5, "val": 0.2}}) == {"mptrain": 0.5, "val": 0.2}
