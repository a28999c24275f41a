"""Offline ``analyze`` runs the classifier over a whole clip in batches; it must give the
live, frame-by-frame decisions exactly (the shipped models were trained and tuned on
the live path's numbers). Real pose-model output (stored poses of rendered clips)."""

from __future__ import annotations

import numpy as np

from deepfit_coach.classifier import TemporalClassifier
from deepfit_coach.classifier.temporal import clip_features, skeleton_features
from deepfit_coach.classifier.window import LONG_S, history_window_features, window_features
from stored_poses import clip, load


def _gappy_press() -> tuple[list, list[float]]:
    """A press set with holes: a lone lost frame, a 0.8 s gap (longer than the decision's
    0.6 s tolerance) and a 5 s one (longer than the whole history)."""
    skeletons, times = clip(load("auto_bouts_poses.npz"), "press")
    skeletons = list(skeletons)
    for i in [40, *range(100, 112), *range(180, 255)]:
        skeletons[i] = None
    return skeletons, times


def test_batched_features_equal_the_frame_by_frame_ones() -> None:
    skeletons, times = _gappy_press()
    feats, extras, ok = clip_features(skeletons)
    for i, s in enumerate(skeletons):
        one = skeleton_features(s)
        assert ok[i] == (one is not None)
        if one is not None:
            assert np.array_equal(feats[i], one[0]) and np.array_equal(extras[i], one[1])
    t = np.asarray(times)[ok]
    f, e = feats[ok], extras[ok]
    stops = np.arange(1, len(t) + 1)
    fast = history_window_features(f, e, t, t, stops, window_s=1.5)
    for q in range(len(t)):
        h = (t >= t[q] - LONG_S + 1e-9) & (np.arange(len(t)) < stops[q])   # the history the live path keeps
        assert np.array_equal(fast[q], window_features(f[h], e[h], t[h], now=t[q], window_s=1.5)), q


def test_batched_decisions_equal_the_live_ones() -> None:
    skeletons, times = _gappy_press()
    live_clf, batch_clf = TemporalClassifier(), TemporalClassifier()
    live = [live_clf.update(s, t) for s, t in zip(skeletons, times)]
    batch = batch_clf.decide_clip(skeletons, times)
    assert len(batch) == len(live)
    assert sum(d.probs is None for d in live) > 10 and len({d.label for d in live}) > 1   # the gaps show
    for a, b in zip(live, batch):
        assert (a.label, a.confidence, a.t_s) == (b.label, b.confidence, b.t_s)
        assert (a.probs is None) == (b.probs is None)
        if a.probs is not None:
            assert a.probs.dtype == b.probs.dtype and np.array_equal(a.probs, b.probs)
    # the classifier is left as after the live frames: the next frame is decided the same
    assert [f.t for f in live_clf._frames] == [f.t for f in batch_clf._frames]
    nxt = times[-1] + 1 / 15
    a, b = live_clf.update(skeletons[-1], nxt), batch_clf.update(skeletons[-1], nxt)
    assert (a.label, a.confidence) == (b.label, b.confidence) and np.array_equal(a.probs, b.probs)
