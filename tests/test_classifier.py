"""The shipped exercise models through the real LiteRT runtime, on real and rendered poses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from deepfit_coach.classifier import (CLASSES, UNKNOWN, ExerciseClassifier, TemporalClassifier, WindowClassifier,
                                      segment_exercises)
from deepfit_coach.classifier.runtime import MODELS_DIR
from deepfit_coach.classifier.window import LONG_S, NUM_WINDOW_FEATURES, sliding_window_features, window_features
from deepfit_coach.errors import ModelError


def test_shipped_models_keep_the_contract() -> None:
    frame = ExerciseClassifier()
    p = frame.predict_proba(np.zeros((4, 36), np.float32))
    assert p.shape == (4, 11) and np.allclose(p.sum(axis=1), 1, atol=1e-4)
    assert frame.predict_proba(np.zeros(36)).shape == (1, 11)
    assert WindowClassifier.available()
    w = WindowClassifier().predict_proba(np.zeros((2, NUM_WINDOW_FEATURES)))
    assert w.shape == (2, 11) and np.allclose(w.sum(axis=1), 1, atol=1e-4)
    card = (MODELS_DIR / "MODEL_CARD.md").read_text()
    assert all(c in card for c in CLASSES)


def test_missing_or_wrong_model_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        ExerciseClassifier(tmp_path / "nope.tflite")
    with pytest.raises(ModelError, match="expected 36 inputs"):
        ExerciseClassifier(MODELS_DIR / "exercise_window.tflite")


def test_sliding_window_features_match_the_live_ones() -> None:
    rng = np.random.default_rng(1)
    n = 120
    f, e = rng.normal(size=(n, 36)), np.abs(rng.normal(size=(n, 3))) + [0, 0, 50]
    t, ok = np.cumsum(rng.uniform(0.02, 0.12, n)), rng.random(n) > 0.25
    win, usable = sliding_window_features(f, e, t, ok)
    for i in np.flatnonzero(usable)[::7]:
        sel = (t >= t[i] - LONG_S + 1e-9) & (np.arange(n) <= i) & ok   # the history the live path keeps
        assert np.allclose(window_features(f[sel], e[sel], t[sel], now=t[i]), win[i], atol=1e-4)


def test_real_people_pushups_vs_squats(real_poses_csv: Path) -> None:
    """812 real single-frame poses (ML Kit samples): push-up vs squat."""
    from deepfit_coach.training.realdata import mlkit_features, pushup_vs_squat

    feats, truth = mlkit_features(real_poses_csv)
    r = pushup_vs_squat(ExerciseClassifier().predict_proba(feats), truth)
    assert r["binary"] >= 0.9, r
    assert r["binary_pushups"] >= 0.8 and r["binary_squats"] >= 0.8, r


def _truth_skeletons(spec):
    from deepfit_coach.synth import joints_only

    truth = joints_only(spec)
    return truth, [truth.skeleton(i) for i in range(truth.frame_count)]


def test_temporal_decision_on_synth_joints_is_steady() -> None:
    """Exact joints of a bicep-curl set: rest first, then curls; one frame never switches."""
    from deepfit_coach.synth import ClipSpec

    truth, skels = _truth_skeletons(ClipSpec("bicep_curls", reps=5, view="45", seed=11, fps=15, rest_before=2.0))
    clf = TemporalClassifier()
    labels = [clf.update(s, i / truth.fps).label for i, s in enumerate(skels)]
    curl = [lab for lab, t in zip(labels, truth.labels) if t == "bicep_curls"]
    assert np.mean(np.array(curl) == "bicep_curls") >= 0.8
    changes = sum(a != b for a, b in zip(labels, labels[1:]))
    assert changes <= 4, labels
    assert labels[0] == UNKNOWN


@pytest.mark.slow
def test_rendered_clip_through_the_real_pose_model(pose_model_path: Path) -> None:
    """A short rendered squat set, real MediaPipe, the timeline says squats."""
    from deepfit_coach.pose import PoseEstimator
    from deepfit_coach.synth import ClipSpec, iter_frames

    spec = ClipSpec("squats", reps=3, view="45", seed=5, fps=10, rest_before=1.0, width=480, height=360)
    skels, times = [], []
    with PoseEstimator(pose_model_path, progress=False) as est:
        for i, (img, tf) in enumerate(iter_frames(spec)):
            skels.append(est.process(img, tf.timestamp_ms, i))
            times.append(tf.timestamp_ms / 1000)
    segs = segment_exercises(skels, times)
    assert [s.exercise for s in segs] == ["squats"], segs
    assert segs[0].duration >= 0.5 * (times[-1] - times[0])


def test_classify_cli_on_a_pose_recording(tmp_path: Path) -> None:
    """`classify replay:poses.jsonl --json` prints the timeline (no pose model needed)."""
    from deepfit_coach.posefile import PoseWriter
    from deepfit_coach.synth import ClipSpec

    truth, skels = _truth_skeletons(ClipSpec("jumping_jacks", reps=8, view="front", seed=3, fps=15))
    path = tmp_path / "poses.jsonl"
    with open(path, "w") as fh:
        w = PoseWriter(fh, "synth", truth.fps)
        for s in skels:
            w.write(s.timestamp_ms, s.frame_index, s)
    out = subprocess.run([sys.executable, "-m", "deepfit_coach", "classify", f"replay:{path}", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [s["exercise"] for s in data["segments"]] == ["jumping_jacks"]
    # the clip lasts to its last frame's end, and no segment runs past it (it ended 1 frame after duration_s)
    assert data["duration_s"] == round(truth.frame_count / truth.fps, 2)
    assert all(seg["end"] <= data["duration_s"] + 0.005 for seg in data["segments"])
