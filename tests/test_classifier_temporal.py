"""Temporal decision and segmentation logic (pure; the real models are in test_classifier.py)."""

from __future__ import annotations

import numpy as np
import pytest

from deepfit_coach.classifier import CLASSES, UNKNOWN, TemporalClassifier, segments_from_labels
from deepfit_coach.classifier.window import NUM_WINDOW_FEATURES, sliding_window_features, window_features
from deepfit_coach.skeleton import Skeleton


class _Fixed:
    """A stand-in model whose answer the test controls."""

    def __init__(self, n_in: int) -> None:
        self.n_in = n_in
        self.label = "squats"
        self.confidence = 0.9

    def predict_proba(self, x: np.ndarray, symmetric: bool = False) -> np.ndarray:
        rows = np.asarray(x).reshape(-1, self.n_in).shape[0]
        p = np.full((rows, len(CLASSES)), (1 - self.confidence) / (len(CLASSES) - 1))
        p[:, CLASSES.index(self.label)] = self.confidence
        return p


def _skeleton() -> Skeleton:
    lm = np.zeros((33, 5), dtype=np.float32)
    lm[:, 0] = np.linspace(0.4, 0.6, 33)
    lm[:, 1] = np.linspace(0.1, 0.9, 33)
    lm[:, 3:] = 1.0
    return Skeleton(0, lm, np.zeros((33, 3)), 640, 480)


def _run(clf: TemporalClassifier, frame: _Fixed, labels: list[str], fps: float = 30.0, t0: float = 0.0):
    out = []
    for i, lab in enumerate(labels):
        frame.label = lab
        out.append(clf.update(_skeleton(), t0 + i / fps))
    return out


def test_switches_after_a_short_hold_but_not_on_one_frame() -> None:
    frame = _Fixed(36)
    clf = TemporalClassifier(frame_model=frame, window_model=None, window_s=0.5, switch_s=0.2)
    first = _run(clf, frame, ["squats"] * 30)
    assert first[-1].label == "squats" and first[0].label == UNKNOWN
    # one odd frame does not move a decision that averages over the window ...
    blip = _run(clf, frame, ["pushups"] + ["squats"] * 10, t0=1.0)
    assert all(d.label == "squats" for d in blip)
    # ... and a real change is followed within a second
    change = _run(clf, frame, ["pushups"] * 30, t0=2.0)
    switched = [i for i, d in enumerate(change) if d.label == "pushups"]
    assert switched and switched[0] / 30.0 < 1.0 and switched[0] >= 2


def test_leaving_unknown_can_be_quicker_than_switching() -> None:
    """At the start there is no claim to overturn: ``first_s`` (not ``switch_s``) applies."""
    frame = _Fixed(36)
    slow = _run(TemporalClassifier(frame_model=frame, window_model=None, window_s=0.5, switch_s=0.5, first_s=0.5),
                frame, ["squats"] * 30)
    quick_clf = TemporalClassifier(frame_model=frame, window_model=None, window_s=0.5, switch_s=0.5, first_s=0.0)
    quick = _run(quick_clf, frame, ["squats"] * 30)
    first = [next(i for i, d in enumerate(ds) if d.label == "squats") for ds in (slow, quick)]
    assert first[1] == 2 and first[0] >= 15           # two frames, vs half a second at 30 fps
    # a label, once given, still needs switch_s to change
    change = _run(quick_clf, frame, ["pushups"] * 60, t0=1.0)
    switched = next(i for i, d in enumerate(change) if d.label == "pushups")
    assert switched >= 10


def test_unknown_when_unsure_or_nobody_seen() -> None:
    frame = _Fixed(36)
    frame.confidence = 0.3
    clf = TemporalClassifier(frame_model=frame, window_model=None, min_confidence=0.5)
    assert all(d.label == UNKNOWN for d in _run(clf, frame, ["lunges"] * 40))
    frame.confidence = 0.95
    assert _run(clf, frame, ["lunges"] * 40, t0=2.0)[-1].label == "lunges"
    gone = [clf.update(None, 4.0 + i / 30) for i in range(60)]
    assert gone[-1].label == UNKNOWN and gone[-1].confidence == 0.0


def test_window_model_outweighs_frames_when_weighted() -> None:
    frame, window = _Fixed(36), _Fixed(NUM_WINDOW_FEATURES)
    window.label = "bicep_curls"
    clf = TemporalClassifier(frame_model=frame, window_model=window, window_s=1.0, window_weight=0.8)
    decisions = _run(clf, frame, ["rest"] * 60)
    assert decisions[-1].label == "bicep_curls"
    clf0 = TemporalClassifier(frame_model=frame, window_model=window, window_s=1.0, window_weight=0.0)
    assert _run(clf0, frame, ["rest"] * 60)[-1].label == "rest"


def test_segments_bridge_gaps_and_absorb_blips() -> None:
    t = np.arange(0, 20, 0.1)
    labels = ["rest"] * 30 + ["squats"] * 70 + ["unknown"] * 5 + ["squats"] * 40 + ["lunges"] * 5 + ["squats"] * 50
    segs = segments_from_labels(t, labels, [0.8] * len(labels), min_segment_s=2.0)
    assert [s.exercise for s in segs] == ["rest", "squats"]
    assert segs[1].start == pytest.approx(3.0) and segs[1].end == pytest.approx(20.0)
    assert segs[0].end == segs[1].start


def test_segments_keep_real_changes() -> None:
    t = np.arange(0, 30, 0.5)
    labels = ["squats"] * 20 + ["rest"] * 10 + ["pushups"] * 30
    segs = segments_from_labels(t, labels, [0.9] * len(labels))
    assert [(s.exercise, s.start) for s in segs] == [("squats", 0.0), ("rest", 10.0), ("pushups", 15.0)]


def test_segment_ends_can_move_back_less_than_starts() -> None:
    t = np.arange(0, 30, 0.5)
    labels = ["rest"] * 10 + ["squats"] * 20 + ["rest"] * 30
    same = segments_from_labels(t, labels, [0.9] * len(labels), lag_s=1.0)
    assert [(s.exercise, s.start) for s in same] == [("rest", 0.0), ("squats", 4.0), ("rest", 14.0)]
    early_stop = segments_from_labels(t, labels, [0.9] * len(labels), lag_s=1.0, lag_end_s=0.0)
    assert [(s.exercise, s.start) for s in early_stop] == [("rest", 0.0), ("squats", 4.0), ("rest", 15.0)]
    # boundaries never cross: a long lag squeezes a run, it does not reorder them
    squeezed = segments_from_labels(t, labels, [0.9] * len(labels), lag_s=3.0, lag_end_s=0.0, min_segment_s=0.5)
    assert all(a.end == b.start and a.start <= a.end for a, b in zip(squeezed, squeezed[1:]))


def test_window_features_see_motion_that_a_frame_cannot() -> None:
    still = np.tile(np.linspace(-0.5, 0.5, 36), (20, 1))
    moving = still + np.sin(np.linspace(0, 6, 20))[:, None] * 0.2
    extras = np.tile([100.0, 100.0, 200.0], (20, 1))
    t = np.arange(20) / 10.0
    a, b = window_features(still, extras, t), window_features(moving, extras, t)
    assert a.shape == (NUM_WINDOW_FEATURES,)
    assert np.allclose(a[36:108], 0) and b[36:72].min() > 0.05
    win, ok = sliding_window_features(moving, extras, t, np.ones(20, bool), window_s=1.0)
    assert not ok[:3].any() and ok[3:].all()
    # the window statistics use the last 1.0 s, the repetition features all the history
    assert np.allclose(win[12], window_features(moving[:13], extras[:13], t[:13], window_s=1.0), atol=1e-5)


def test_recent_part_tells_a_stop_from_ongoing_motion() -> None:
    t = np.arange(15) / 10.0
    extras = np.tile([100.0, 100.0, 200.0], (15, 1))
    moving = np.tile(np.linspace(-0.5, 0.5, 36), (15, 1)) + np.sin(t * 6)[:, None] * 0.2
    stopped = moving.copy()
    stopped[9:] = stopped[9]
    a, b = window_features(moving, extras, t), window_features(stopped, extras, t)
    assert np.allclose(a[36:72], b[36:72], atol=0.05)      # whole-window spread about the same
    assert b[110:146].max() < 1e-6 < a[110:146].min()       # the recent part says "stopped"


def test_repetition_features_tell_repeated_motion_from_a_single_move_or_stillness() -> None:
    from deepfit_coach.classifier.window import long_features

    t = np.arange(60) / 15.0                       # 4 s at 15 fps
    base = np.tile(np.linspace(-0.5, 0.5, 36), (60, 1))
    extras = np.tile([100.0, 100.0, 200.0], (60, 1))
    reps = base + np.sin(t * 2 * np.pi / 1.8)[:, None] * 0.2            # a rep every 1.8 s
    one_move = base + np.clip(t - 1.0, 0, 2)[:, None] * 0.1             # e.g. bending down once
    still = base + np.random.default_rng(0).normal(0, 0.01, base.shape)  # detector jitter
    ok = np.ones(60, bool)
    r, m, s = (long_features(x, extras, t, ok, t[-1:])[0] for x in (reps, one_move, still))
    assert r[0] > 1.5 and abs(r[1] - 1.8) < 0.15 and r[3] > 0.5        # strong peak at the period
    assert m[0] < 0.3 and s[0] < 0.5 and s[3] < 0.1
    # any frame rate gives about the same numbers (grid resampling)
    t30 = np.arange(120) / 30.0
    r30 = long_features(base[:1].repeat(120, 0) + np.sin(t30 * 2 * np.pi / 1.8)[:, None] * 0.2,
                        np.tile([100.0, 100.0, 200.0], (120, 1)), t30, np.ones(120, bool), t30[-1:])[0]
    assert abs(r30[0] - r[0]) < 0.15 and r30[1] == pytest.approx(r[1], abs=0.11)


def test_symmetric_variants_are_the_mirrored_and_relabelled_poses() -> None:
    from deepfit_coach.classifier.window import frame_features, symmetric_variants
    from deepfit_coach.training.augment import LR_SWAP, mirror

    rng = np.random.default_rng(0)
    lm = np.zeros((20, 33, 5))
    lm[..., 0], lm[..., 1], lm[..., 3:] = rng.uniform(0.3, 0.7, (20, 33)), rng.uniform(0.1, 0.9, (20, 33)), 1.0
    t = np.arange(20) / 10
    f, e = frame_features(lm, 640, 480)
    fm, em = frame_features(mirror(lm), 640, 480)
    fs, es = frame_features(lm[:, LR_SWAP], 640, 480)
    v = symmetric_variants(window_features(f, e, t)[None], window=True)
    assert np.allclose(v[3, 0], window_features(fm, em, t), atol=1e-5)
    assert np.allclose(v[2, 0], window_features(fs, es, t), atol=1e-5)
    assert not np.allclose(v[1, 0], v[0, 0])
    assert np.allclose(symmetric_variants(f, window=False)[3], fm, atol=1e-5)


def _decisions(probs: list[np.ndarray | None], t: np.ndarray) -> list:
    from deepfit_coach.classifier.temporal import Decision

    return [Decision("unknown", 0.0, float(x), p) for p, x in zip(probs, t)]


def test_offline_labels_look_ahead_and_weigh_rest() -> None:
    from deepfit_coach.classifier.segment import offline_labels

    t = np.arange(0, 10, 0.1)
    rest, squats = np.eye(len(CLASSES))[CLASSES.index("rest")], np.eye(len(CLASSES))[CLASSES.index("squats")]
    # the causal answer turns to squats at 4.0 s; offline, 0.5 s ahead, the set starts at 3.5 s
    probs = [rest if x < 4.0 - 1e-9 else squats for x in t]
    labels, conf = offline_labels(t, _decisions(probs, t), smooth_s=0.3, shift_s=0.5)
    assert labels[34] == "rest" and labels[35] == "squats" and labels[-1] == "squats"
    assert conf[0] == pytest.approx(1.0) and conf[-1] == pytest.approx(1.0) and min(conf) > 0.5
    # a lukewarm exercise answer (0.55 vs 0.45 rest) stays rest once rest weighs double
    mixed = [0.55 * squats + 0.45 * rest] * len(t)
    assert set(offline_labels(t, _decisions(mixed, t), 0.3, rest_weight=1.0)[0]) == {"squats"}
    assert set(offline_labels(t, _decisions(mixed, t), 0.3, rest_weight=2.0)[0]) == {"rest"}
    # no probabilities (nobody seen) -> unknown, never an exercise
    gap = [None if 2.0 <= x < 5.0 else squats for x in t]
    labels = offline_labels(t, _decisions(gap, t), smooth_s=0.3)[0]
    assert labels[35] == UNKNOWN and labels[10] == "squats"
