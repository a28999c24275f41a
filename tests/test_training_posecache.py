"""Cached pose-model clips are keyed by the pose settings that made them."""

from __future__ import annotations

import hashlib
import json

from deepfit_coach import pose
from deepfit_coach.synth import ClipSpec
from deepfit_coach.synth.clip import _spec_dict
from deepfit_coach.training.dataset import CACHE_VERSION, KEY_FIELDS, _key
from deepfit_coach.training.specs import SpecItem

MODEL = "/somewhere/pose_landmarker_full.task"


def _item() -> SpecItem:
    return SpecItem(ClipSpec("squats", reps=3, view="front", seed=5, fps=10), "front")


def test_keys_at_the_old_confidence_are_the_keys_of_the_existing_caches(monkeypatch) -> None:
    """Caches written before the confidence was in the key were made at 0.5: still found."""
    monkeypatch.setattr(pose, "DEFAULT_CONFIDENCE", 0.5)
    spec = {k: v for k, v in _spec_dict(_item().spec).items() if k in KEY_FIELDS}
    old = json.dumps({"v": CACHE_VERSION, "spec": spec, "model": "pose_landmarker_full.task"},
                     sort_keys=True, default=str)
    assert _key(_item(), MODEL) == hashlib.sha1(old.encode()).hexdigest()[:16]


def test_another_confidence_never_reuses_a_cached_clip(monkeypatch) -> None:
    monkeypatch.setattr(pose, "DEFAULT_CONFIDENCE", 0.5)
    at_05, joints_05 = _key(_item(), MODEL), _key(_item(), "joints")
    monkeypatch.setattr(pose, "DEFAULT_CONFIDENCE", 0.2)
    assert _key(_item(), MODEL) != at_05
    assert _key(_item(), "joints") == joints_05  # exact joints: no pose model, nothing to redo
