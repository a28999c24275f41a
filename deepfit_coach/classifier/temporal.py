"""The live temporal decision: which exercise over the last ~1.5 s, or "unknown".

Per-frame probabilities flicker (a standing frame looks like the top of a curl), so the
decision blends the window model (motion over the window) with the mean of the per-frame
probabilities, says "unknown" below a confidence threshold or when the body is not seen,
and only switches label once a new candidate has held for ``switch_s`` (a fraction of a
second: quick, but never on a single frame).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from deepfit_coach.classifier.labels import CLASSES, NUM_CLASSES, UNKNOWN
from deepfit_coach.classifier.runtime import ExerciseClassifier, WindowClassifier, default_model_path
from deepfit_coach.classifier.window import (LONG_S, MIN_SPAN_S, NUM_EXTRAS, NUM_FRAME_FEATURES, WINDOW_S,
                                             frame_features_present, history_window_features, window_features)
from deepfit_coach.skeleton import Skeleton

MIN_KEYPOINTS = 8  # of the 18: fewer and the frame counts as "no body seen"
DEFAULTS = {"window_s": WINDOW_S, "window_weight": 0.7, "min_confidence": 0.5, "switch_s": 0.3, "symmetric": 0.0,
            "first_s": 0.3}
TEMPORAL_CONFIG = "exercise_classifier.json"
# offline timeline settings (segment.py), chosen on validation too
TIMELINE_KEYS = ("lag_s", "lag_end_s", "min_segment_s", "offline_smooth_s", "offline_shift_s", "rest_weight")


def load_temporal_config() -> dict:
    """Settings chosen on the validation split by training (models/exercise_classifier.json)."""
    import json

    path = default_model_path(TEMPORAL_CONFIG)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {k: float(v) for k, v in data.items() if k in DEFAULTS or k in TIMELINE_KEYS}


@dataclass
class Decision:
    """The temporal decision at one instant: a class name, "rest" or "unknown"."""

    label: str
    confidence: float
    t_s: float = 0.0
    probs: np.ndarray | None = field(default=None, repr=False)  # (11,) blended, if any

    @property
    def is_exercise(self) -> bool:
        return self.label in CLASSES[:10]


@dataclass
class _Frame:
    t: float
    feats: np.ndarray
    extras: np.ndarray
    probs: np.ndarray


def skeleton_features(skel: Skeleton | None) -> tuple[np.ndarray, np.ndarray] | None:
    """(36,) inputs and (NUM_EXTRAS,) extras of one skeleton, or None when too little body is seen."""
    if skel is None:
        return None
    feats, extras, present = frame_features_present(skel.image, skel.width, skel.height, skel.world)
    if present.sum() < MIN_KEYPOINTS or extras[2] <= 1e-6:
        return None
    return feats, extras


FEATURE_CHUNK = 512   # frames whose features are computed at once: the temporaries stay small on long videos


def clip_features(skeletons: Sequence[Skeleton | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``skeleton_features`` of every frame of a clip in batches of ``FEATURE_CHUNK`` frames:
    (N, 36) inputs, (N, NUM_EXTRAS) extras and (N,) bool, False where ``skeleton_features``
    gives None (rows there are zeros). The same numbers, frame for frame (elementwise numpy
    over frames)."""
    n = len(skeletons)
    feats, extras = np.zeros((n, NUM_FRAME_FEATURES), np.float32), np.zeros((n, NUM_EXTRAS), np.float32)
    ok = np.zeros(n, dtype=bool)
    for a in range(0, n, FEATURE_CHUNK):
        part = list(skeletons[a:a + FEATURE_CHUNK])
        have = np.array([s is not None for s in part], dtype=bool)
        if not have.any():
            continue
        seen = [s for s in part if s is not None]
        image = np.stack([s.image for s in seen])
        size = np.array([(s.width, s.height) for s in seen], dtype=np.float64)
        world = np.stack([s.world for s in seen])
        f, e, present = frame_features_present(image, size[:, 0, None], size[:, 1, None], world)
        rows = a + np.flatnonzero(have)
        feats[rows], extras[rows] = f, e
        ok[rows] = (present.sum(axis=-1) >= MIN_KEYPOINTS) & ~(e[:, 2] <= 1e-6)
    return feats, extras, ok


class TemporalClassifier:
    """Streaming decision: ``update(skeleton | None, t_s) -> Decision``.

    ``window_weight`` is the share of the window model in the blend (0 = per-frame voting
    only); ``min_confidence`` is the blended probability below which the answer is
    "unknown"; ``switch_s`` is how long a new label must persist before it is reported;
    ``first_s`` the same when leaving "unknown" (e.g. at the start: no claim to overturn).
    """

    def __init__(self, frame_model: ExerciseClassifier | None = None,
                 window_model: WindowClassifier | None | bool = True, *,
                 window_s: float | None = None, window_weight: float | None = None,
                 min_confidence: float | None = None, switch_s: float | None = None,
                 symmetric: bool | None = None, first_s: float | None = None, max_gap_s: float = 0.6) -> None:
        cfg = {**DEFAULTS, **{k: v for k, v in load_temporal_config().items() if k in DEFAULTS}}
        self.frame_model = frame_model or ExerciseClassifier()
        if window_model is True:
            window_model = WindowClassifier() if WindowClassifier.available() else None
        self.window_model = window_model or None
        self.window_s = float(window_s if window_s is not None else cfg["window_s"])
        weight = float(window_weight if window_weight is not None else cfg["window_weight"])
        self.window_weight = weight if self.window_model is not None else 0.0
        self.min_confidence = float(min_confidence if min_confidence is not None else cfg["min_confidence"])
        self.switch_s = float(switch_s if switch_s is not None else cfg["switch_s"])
        self.symmetric = bool(symmetric if symmetric is not None else cfg["symmetric"])
        self.first_s = float(first_s if first_s is not None else cfg["first_s"])
        self.max_gap_s = max_gap_s
        self.reset()

    def reset(self) -> None:
        self._frames: deque[_Frame] = deque()
        self._label = UNKNOWN
        self._pending: str | None = None
        self._pending_since = 0.0
        self._pending_n = 0

    @property
    def label(self) -> str:
        return self._label

    def probabilities(self, t_s: float) -> np.ndarray | None:
        """Blended (11,) probabilities over the window ending at ``t_s``, or None."""
        return self.blend(self.parts(t_s))

    def parts(self, t_s: float) -> tuple[np.ndarray, np.ndarray | None] | None:
        """(mean per-frame probabilities, window-model probabilities or None) at ``t_s``,
        or None when too little was seen recently. The window model answers when it is
        loaded and the window spans MIN_SPAN_S, whatever ``window_weight``."""
        history = list(self._frames)   # the last LONG_S: the window model's repetition features
        frames = [f for f in history if f.t >= t_s - self.window_s + 1e-9]
        if len(frames) < 2 or t_s - frames[-1].t > self.max_gap_s:
            return None
        probs = np.mean([f.probs for f in frames], axis=0)
        span = frames[-1].t - frames[0].t
        if self.window_model is None or len(frames) < 3 or span < MIN_SPAN_S - 1e-6:
            return probs, None
        feats = np.stack([f.feats for f in history])
        extras = np.stack([f.extras for f in history])
        times = np.array([f.t for f in history])
        pw = self.window_model.predict_proba(window_features(feats, extras, times, now=t_s, window_s=self.window_s),
                                             symmetric=self.symmetric)[0]
        return probs, pw

    def blend(self, parts: tuple[np.ndarray, np.ndarray | None] | None) -> np.ndarray | None:
        if parts is None:
            return None
        frame, window = parts
        if window is None or self.window_weight <= 0:
            return frame
        return self.window_weight * window + (1 - self.window_weight) * frame

    def add(self, skeleton: Skeleton | None, t_s: float) -> None:
        """Add one frame (None = no person) to the history."""
        got = skeleton_features(skeleton)
        if got is not None:
            feats, extras = got
            probs = self.frame_model.predict_proba(feats, symmetric=self.symmetric)[0]
            self._frames.append(_Frame(t_s, feats, extras, probs))
        while self._frames and self._frames[0].t < t_s - max(self.window_s, LONG_S) + 1e-9:
            self._frames.popleft()

    def clip_parts(self, skeletons: Sequence[Skeleton | None], times: Sequence[float]) -> list:
        """``parts`` after ``add`` at every frame of a whole clip (see ``iter_clip_parts``)."""
        return list(self.iter_clip_parts(skeletons, times))

    def iter_clip_parts(self, skeletons: Sequence[Skeleton | None], times: Sequence[float]) -> Iterator:
        """``parts`` after ``add`` at every frame of a whole clip, from a fresh history, in
        batches: the features of all frames at once, each model invoked on many frames,
        the window features of many moments at once (``history_window_features``). The
        same values as frame by frame, several times faster; the history is left as
        frame-by-frame adding leaves it. Times must increase."""
        t = np.asarray(times, dtype=np.float64)
        feats, extras, ok = clip_features(skeletons)
        valid = np.flatnonzero(ok)              # the frames the history keeps, in order
        tv = t[valid]
        fv, ev = feats[valid], extras[valid]
        # the frame model FEATURE_CHUNK * 8 frames at a time (rows are independent): its inputs'
        # symmetric variants stay small on a long clip
        step = FEATURE_CHUNK * 8
        pv = np.concatenate([self.frame_model.predict_proba(fv[a:a + step], symmetric=self.symmetric)
                             for a in range(0, len(valid), step)]) if len(valid) else \
            np.zeros((0, NUM_CLASSES), np.float32)
        # at frame i the history holds valid frames first[i]:stop[i] (older ones pruned),
        # the window lo[i]:stop[i]; the conditions are those of ``parts``
        stop = np.cumsum(ok)
        first = np.searchsorted(tv, t - max(self.window_s, LONG_S) + 1e-9, side="left")
        lo = np.maximum(first, np.searchsorted(tv, t - self.window_s + 1e-9, side="left"))
        n = stop - lo
        if len(tv):
            last_t = tv[np.maximum(stop - 1, 0)]
            span = last_t - tv[np.minimum(lo, len(tv) - 1)]
        else:
            last_t = span = np.zeros(len(t))
        seen = (n >= 2) & ~(t - last_t > self.max_gap_s)
        windowed = seen & (n >= 3) & ~(span < MIN_SPAN_S - 1e-6) & (self.window_model is not None)
        q = np.flatnonzero(windowed)
        row = np.full(len(t), -1)               # frame i's row of the window model's answers, -1: none
        row[q] = np.arange(len(q))
        pw: np.ndarray | None = None
        for a in range(0, len(q), 512):
            qq = q[a:a + 512]
            # the histories of these moments only (from the first one's oldest frame): the same
            # rows (the window features index frames by time), and no copies of the whole clip
            h0, h1 = first[qq[0]], stop[qq[-1]]
            x = history_window_features(fv[h0:h1], ev[h0:h1], tv[h0:h1], t[qq], stop[qq] - h0, self.window_s)
            got = self.window_model.predict_proba(x, symmetric=self.symmetric)
            if pw is None:
                pw = np.empty((len(q), got.shape[1]), got.dtype)
            pw[a:a + len(qq)] = got
        self.reset()
        if len(t):
            self._frames.extend(_Frame(float(tv[k]), feats[valid[k]], extras[valid[k]], pv[k])
                                for k in range(first[-1], stop[-1]))
        # mean per-frame probabilities over each window, by np.mean as ``parts`` takes it; made
        # as they are used, so a long clip never holds a pair of small arrays per frame
        return ((np.mean(pv[lo[i]:stop[i]], axis=0), None if row[i] < 0 else pw[row[i]]) if seen[i] else None
                for i in range(len(t)))

    def decide_clip(self, skeletons: Sequence[Skeleton | None], times: Sequence[float]) -> list[Decision]:
        """``reset``, then ``update`` at every frame of a clip: the live decisions, replayed
        in batches (``clip_parts``); frame by frame when the times do not increase."""
        t = [float(x) for x in times]
        self.reset()
        if not all(b - a > 1e-6 for a, b in zip(t, t[1:])):
            return [self.update(s, x) for s, x in zip(skeletons, t)]
        return [self.decide(self.blend(p), x) for p, x in zip(self.iter_clip_parts(skeletons, t), t)]

    def update(self, skeleton: Skeleton | None, t_s: float) -> Decision:
        """Add one frame (None = no person) and return the current decision."""
        self.add(skeleton, t_s)
        return self.decide(self.probabilities(t_s), t_s)

    def decide(self, probs: np.ndarray | None, t_s: float) -> Decision:
        """The decision for blended ``probs`` at ``t_s`` (threshold, then hysteresis)."""
        if probs is None:
            candidate = UNKNOWN
        else:
            i = int(np.argmax(probs))
            candidate = CLASSES[i] if probs[i] >= self.min_confidence else UNKNOWN
        self._advance(candidate, t_s)
        if self._label == UNKNOWN:
            confidence = 0.0 if probs is None else 1.0 - float(np.max(probs))
        else:
            confidence = float(probs[CLASSES.index(self._label)]) if probs is not None else 0.0
        return Decision(self._label, round(confidence, 4), t_s, probs)

    def _advance(self, candidate: str, t_s: float) -> None:
        """Hysteresis: switch only after ``candidate`` held for switch_s (first_s when the
        label is "unknown") and 2+ updates."""
        if candidate == self._label:
            self._pending = None
            return
        if candidate != self._pending:
            self._pending, self._pending_since, self._pending_n = candidate, t_s, 1
            return
        self._pending_n += 1
        hold = self.first_s if self._label == UNKNOWN else self.switch_s
        if self._pending_n >= 2 and t_s - self._pending_since >= hold - 1e-9:
            self._label, self._pending = candidate, None
