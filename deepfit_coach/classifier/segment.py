"""Offline segmentation: a timeline of (exercise, start, end, confidence) for a video.

Runs the same streaming ``TemporalClassifier`` the live coach uses. Offline the future
is known, so (when validation chose it, ``offline_smooth_s`` > 0) the labels are
re-decided from the decision's probabilities averaged over a stretch centred on each
moment (``offline_shift_s`` ahead of it: a window's answer describes the past second),
with rest weighted by ``rest_weight`` (an exercise must out-vote standing around
clearly). Then the label sequence is cleaned: short "unknown" gaps between equal labels are bridged, and runs shorter
than ``min_segment_s`` are given to their longer neighbour, so a stray second of
"pushups" while lying down to start sit-ups does not become a segment. Last, an exercise
segment that stops (rest, unknown or the video's end follows) ends where its own evidence
ends: a tail that absorbed other labels (a second of "lateral raises" while lowering the
dumbbells after curls) and that looks more like rest than like the exercise is rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from deepfit_coach.classifier.labels import CLASSES, REST, UNKNOWN
from deepfit_coach.classifier.temporal import Decision, TemporalClassifier
from deepfit_coach.skeleton import Skeleton


@dataclass
class Segment:
    """One stretch of a video with one label (an exercise, "rest" or "unknown")."""

    exercise: str
    start: float
    end: float
    confidence: float

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def is_exercise(self) -> bool:
        return self.exercise in CLASSES[:10]

    def to_dict(self) -> dict:
        return {"exercise": self.exercise, "start": round(self.start, 2), "end": round(self.end, 2),
                "confidence": round(self.confidence, 3)}


def decide_all(skeletons: Iterable[Skeleton | None], times_s: Iterable[float],
               classifier: TemporalClassifier | None = None,
               progress: Callable[[int], None] | None = None) -> list[Decision]:
    """Decision at every frame (the live behaviour, replayed; in batches when the
    classifier can, see ``TemporalClassifier.decide_clip``: the same decisions)."""
    clf = classifier or TemporalClassifier()
    clf.reset()
    if hasattr(clf, "decide_clip"):
        frames = skeletons if isinstance(skeletons, Sequence) else list(skeletons)   # a PoseTrack stays one
        out = clf.decide_clip(frames, [float(t) for t in times_s])
        if progress is not None and out:
            progress(len(out))
        return out
    out = []
    for i, (skel, t) in enumerate(zip(skeletons, times_s)):
        out.append(clf.update(skel, float(t)))
        if progress is not None:
            progress(i + 1)
    return out


def offline_probs(times_s: Sequence[float], decisions: Sequence[Decision], smooth_s: float,
                  shift_s: float = 0.0, rest_weight: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(n, 11) the decisions' blended probabilities averaged over [t + shift - smooth/2,
    t + shift + smooth/2] (centre clamped to the video) for each frame time t, rest
    multiplied by ``rest_weight``, and (n,) how many decisions each average has (0: none).
    O(n log n): prefix sums over the frames, so long videos stay cheap."""
    t = np.asarray(times_s, dtype=np.float64)
    n = len(t)
    if n == 0:
        return np.zeros((0, len(CLASSES))), np.zeros(0)
    probs = np.zeros((n, len(CLASSES)))
    have = np.zeros(n)
    for i, d in enumerate(decisions):
        if d.probs is not None:
            probs[i], have[i] = d.probs, 1.0
    csum = np.vstack([np.zeros((1, len(CLASSES))), np.cumsum(probs, axis=0)])
    cnt = np.concatenate([[0.0], np.cumsum(have)])
    centre = np.clip(t + shift_s, t[0], t[-1])
    lo = np.searchsorted(t, centre - smooth_s / 2 - 1e-9, side="left")
    hi = np.searchsorted(t, centre + smooth_s / 2 + 1e-9, side="right")
    k = cnt[hi] - cnt[lo]
    mean = (csum[hi] - csum[lo]) / np.maximum(k, 1)[:, None]
    mean[:, CLASSES.index(REST)] *= rest_weight
    return mean, k


def offline_labels(times_s: Sequence[float], decisions: Sequence[Decision], smooth_s: float,
                   shift_s: float = 0.0, rest_weight: float = 1.0,
                   min_confidence: float = 0.4) -> tuple[list[str], list[float]]:
    """Labels and confidences from ``offline_probs``: the best class, "unknown" below
    ``min_confidence`` or where no decision had probabilities."""
    n = len(times_s)
    if n == 0:
        return [], []
    mean, k = offline_probs(times_s, decisions, smooth_s, shift_s, rest_weight)
    best = np.argmax(mean, axis=1)
    top = mean[np.arange(n), best]
    ok = (k > 0) & (top >= min_confidence)
    labels = [CLASSES[b] if o else UNKNOWN for b, o in zip(best, ok)]
    return labels, [float(c) if o else 0.0 for c, o in zip(np.minimum(top, 1.0), ok)]


def timeline_labels(times_s: Sequence[float], decisions: Sequence[Decision], settings: dict | None = None,
                    min_confidence: float = 0.4) -> tuple[list[str], list[float]]:
    """The labels a timeline is cut from: the live decisions' own, or (``offline_smooth_s``
    > 0 in ``settings``, default: the validated config) the centred offline re-decision."""
    cfg = timeline_settings() if settings is None else settings
    smooth = float(cfg.get("offline_smooth_s", 0.0))
    if smooth <= 0:
        return [d.label for d in decisions], [d.confidence for d in decisions]
    return offline_labels(times_s, decisions, smooth, float(cfg.get("offline_shift_s", 0.0)),
                          float(cfg.get("rest_weight", 1.0)), min_confidence)


def timeline_probs(times_s: Sequence[float], decisions: Sequence[Decision], settings: dict) -> np.ndarray:
    """(n, 11) the probabilities ``timeline_labels`` decided from (the decisions' own when
    the timeline uses the live labels; zeros where a decision had none)."""
    smooth = float(settings.get("offline_smooth_s", 0.0))
    if smooth <= 0:
        return offline_probs(times_s, decisions, 0.0)[0]
    return offline_probs(times_s, decisions, smooth, float(settings.get("offline_shift_s", 0.0)),
                         float(settings.get("rest_weight", 1.0)))[0]


def timeline_segments(times_s: Sequence[float], decisions: Sequence[Decision], settings: dict,
                      min_confidence: float = 0.4) -> list[Segment]:
    """The whole offline timeline of a video's decisions (rest and unknown included) for
    timeline ``settings`` (``timeline_settings``): labels, cleaning, ends at the evidence.
    The one path the product (analyze, classify) and the validation search both take."""
    labels, confidences = timeline_labels(times_s, decisions, settings, min_confidence=min_confidence)
    lag_end = settings.get("lag_end_s")
    return segments_from_labels(times_s, labels, confidences, min_segment_s=float(settings["min_segment_s"]),
                                lag_s=float(settings["lag_s"]), lag_end_s=None if lag_end is None else float(lag_end),
                                probs=timeline_probs(times_s, decisions, settings))


def segments_from_labels(times_s: Sequence[float], labels: Sequence[str], confidences: Sequence[float],
                         min_segment_s: float = 2.0, bridge_s: float = 1.5,
                         end_s: float | None = None, lag_s: float = 0.0,
                         lag_end_s: float | None = None, probs: np.ndarray | None = None) -> list[Segment]:
    """Clean a per-frame label sequence into segments covering [times[0], end].

    ``lag_s``: how far the (causal) decisions trail the video; boundaries move back by
    it, so an offline timeline starts a set when it started, not when it was recognised.
    ``lag_end_s`` (default ``lag_s``) is the same for the end of an exercise (followed by
    rest or unknown): a stop shows sooner than a start, which needs a rep to be seen.
    ``probs`` ((n, 11), the probabilities the labels were decided from): with them an
    exercise segment that stops ends at its evidence (``end_at_evidence``).
    """
    if len(times_s) == 0:
        return []
    t0 = float(times_s[0])
    step = (float(times_s[-1]) - t0) / max(len(times_s) - 1, 1)
    end = float(end_s) if end_s is not None else float(times_s[-1]) + step
    t = [float(x) for x in times_s]
    runs: list[list] = []  # [label, start, end, conf_sum, n]
    for i, (lab, c) in enumerate(zip(labels, confidences)):
        stop = t[i + 1] if i + 1 < len(t) else end
        if runs and runs[-1][0] == lab:
            runs[-1][2] = stop
            runs[-1][3] += c
            runs[-1][4] += 1
        else:
            runs.append([lab, t[i], stop, c, 1])
    runs = _shift_boundaries(runs, t0, lag_s, lag_s if lag_end_s is None else lag_end_s)
    runs = _bridge_unknown(runs, bridge_s)
    runs = _absorb_short(runs, min_segment_s)
    segs = [Segment(r[0], r[1], r[2], r[3] / max(r[4], 1)) for r in runs]
    return segs if probs is None else end_at_evidence(segs, t, labels, probs)


# A stop's tail is rest when rest is on average at least this many times as likely as the
# segment's exercise there. 1.0 scored alike on validation, but on the tuning pool (form_tune
# lateral raises, tests/test_auto_absorb.py) it cut a misnamed bout's tail where both were
# ~0.2 and auto mode then split one set in two; a tail must lean to rest clearly.
REST_OVER_EXERCISE = 1.25


def end_at_evidence(segments: list[Segment], times_s: Sequence[float], labels: Sequence[str],
                    probs: np.ndarray) -> list[Segment]:
    """Cut each exercise segment that stops (rest, unknown or the video's end follows)
    after its last frame labelled with its own exercise, when the frames after it are,
    on average, ``REST_OVER_EXERCISE`` times as likely rest as that exercise or more
    (``probs``: what the labels were decided from): the cleaning gave the segment
    a tail it has no evidence for (other labels absorbed as too short, an unknown
    bridged), and the set ended where its own label did. The cut-off tail becomes rest.
    A boundary only moves earlier, and only at a stop: starts and changes of exercise
    are left to the labels."""
    t = np.asarray(times_s, dtype=np.float64)
    lab = np.asarray(labels, dtype=object)
    rest = CLASSES.index(REST)
    out: list[Segment] = []
    for k, s in enumerate(segments):
        nxt = segments[k + 1] if k + 1 < len(segments) else None
        if s.is_exercise and (nxt is None or not nxt.is_exercise):
            inside = np.flatnonzero((t >= s.start - 1e-9) & (t < s.end - 1e-9))
            own = inside[lab[inside] == s.exercise]
            tail = inside[inside > own[-1]] if len(own) else inside[:0]
            own_p = probs[tail, CLASSES.index(s.exercise)].mean() if len(tail) else 0.0
            if len(tail) and probs[tail, rest].mean() >= REST_OVER_EXERCISE * own_p:
                cut = float(t[tail[0]])
                out += [Segment(s.exercise, s.start, cut, s.confidence), Segment(REST, cut, s.end, 0.0)]
                continue
        out.append(s)
    return _merge_segments(out)


def _merge_segments(segments: list[Segment]) -> list[Segment]:
    """Neighbours with the same label joined (confidence weighted by duration)."""
    merged: list[Segment] = []
    for s in segments:
        if merged and merged[-1].exercise == s.exercise:
            a = merged[-1]
            w = a.duration + s.duration
            merged[-1] = Segment(a.exercise, a.start, s.end,
                                 (a.confidence * a.duration + s.confidence * s.duration) / w if w > 0 else a.confidence)
        else:
            merged.append(s)
    return merged


def _shift_boundaries(runs: list[list], t0: float, lag_s: float, lag_end_s: float) -> list[list]:
    """Move each boundary back by the lag of its kind (``lag_end_s`` where an exercise
    ends, ``lag_s`` elsewhere), never before the previous one nor ``t0`` (a run left
    empty is absorbed later, as a too-short one)."""
    prev = t0
    for i in range(1, len(runs)):
        ends = runs[i - 1][0] in CLASSES[:10] and runs[i][0] not in CLASSES[:10]
        b = max(prev, t0, runs[i][1] - (lag_end_s if ends else lag_s))
        runs[i - 1][2] = runs[i][1] = b
        prev = b
    return runs


def _merge_equal(runs: list[list]) -> list[list]:
    out: list[list] = []
    for r in runs:
        if out and out[-1][0] == r[0]:
            out[-1][2] = r[2]
            out[-1][3] += r[3]
            out[-1][4] += r[4]
        else:
            out.append(list(r))
    return out


def _bridge_unknown(runs: list[list], bridge_s: float) -> list[list]:
    for i in range(1, len(runs) - 1):
        r = runs[i]
        if r[0] == UNKNOWN and r[2] - r[1] <= bridge_s and runs[i - 1][0] == runs[i + 1][0]:
            r[0], r[3] = runs[i - 1][0], 0.0
    return _merge_equal(runs)


def _absorb_short(runs: list[list], min_s: float, min_other_s: float = 0.5) -> list[list]:
    """Repeatedly hand the shortest too-short run to its longer neighbour.

    Exercise runs need ``min_s``; rest and unknown runs only ``min_other_s``, so the
    second of standing before a set is not swallowed by it.
    """
    def too_short(r: list) -> bool:
        return r[2] - r[1] < (min_s if r[0] in CLASSES[:10] else min_other_s)

    while len(runs) > 1:
        short = [i for i, r in enumerate(runs) if too_short(r)]
        if not short:
            break
        i = min(short, key=lambda k: runs[k][2] - runs[k][1])
        left = runs[i - 1] if i > 0 else None
        right = runs[i + 1] if i + 1 < len(runs) else None
        into = max((n for n in (left, right) if n is not None), key=lambda n: n[2] - n[1])
        runs[i][0] = into[0]
        runs[i][3] = runs[i][4] * (into[3] / max(into[4], 1))
        runs = _merge_equal(runs)
    return runs


TIMELINE_DEFAULTS = {"lag_s": 0.6, "min_segment_s": 2.0}  # replaced by the values chosen on validation


def timeline_settings(config: dict | None = None) -> dict:
    """The offline settings (lags, min segment, offline re-decision) of ``config`` (default:
    the validated exercise_classifier.json, read once per timeline) with the defaults
    filled in; ``lag_end_s`` defaults to ``lag_s``."""
    from deepfit_coach.classifier.temporal import load_temporal_config

    cfg = {**TIMELINE_DEFAULTS, **(load_temporal_config() if config is None else config)}
    cfg.setdefault("lag_end_s", cfg["lag_s"])
    return cfg


def segment_exercises(skeletons: Sequence[Skeleton | None], times_s: Sequence[float] | None = None, *,
                      classifier: TemporalClassifier | None = None, min_segment_s: float | None = None,
                      include_rest: bool = False, include_unknown: bool = False,
                      progress: Callable[[int], None] | None = None) -> list[Segment]:
    """Timeline of a video's skeletons (None = no person in that frame).

    ``times_s`` defaults to each skeleton's ``timestamp_ms / 1000`` (then no entry may be
    None). By default only exercise segments are returned; ``include_rest`` and
    ``include_unknown`` add the others, so the whole video is covered.
    ``min_segment_s`` defaults to the value chosen on validation.
    """
    if times_s is None:
        if any(s is None for s in skeletons):
            raise ValueError("times_s is required when some skeletons are None")
        times_s = [s.timestamp_ms / 1000.0 for s in skeletons]  # type: ignore[union-attr]
    clf = classifier or TemporalClassifier()
    decisions = decide_all(skeletons, times_s, clf, progress)
    segs = segments_from_decisions(times_s, decisions, min_segment_s=min_segment_s, include_rest=True,
                                   include_unknown=True, min_confidence=clf.min_confidence)
    segs = seen_labels(segs, skeletons, times_s, decisions)
    keep = set(CLASSES[:10]) | ({REST} if include_rest else set()) | ({UNKNOWN} if include_unknown else set())
    return [s for s in segs if s.exercise in keep]


SEEN_MIN_P = 0.05   # a seen exercise this likely over the segment (mean probability) takes an unseen label's place


def seen_labels(segments: list[Segment], skeletons: Sequence[Skeleton | None], times_s: Sequence[float],
                decisions: Sequence[Decision], required: dict[str, Sequence[str]] | None = None) -> list[Segment]:
    """Exercise segments whose exercise could not be done as filmed, relabelled: where the
    exercise's required body parts (the catalogue's ``required``) were out of the picture in
    ``UNSEEN_SHARE`` of the segment's frames with a person, it is the likeliest exercise whose parts were in
    view (mean probability over the segment >= ``SEEN_MIN_P``), else "unknown". The models were
    trained on whole bodies: curls filmed head to hips (a phone propped close) read as sit-ups
    (p 0.5-0.6, curls 0.3), with no legs in the picture. ``analyze`` does the same with its
    counters (``analysis.pick_seen``); this is the timeline ``classify`` prints."""
    from deepfit_coach.coach.visibility import UNSEEN_SHARE, unseen_share

    if required is None:
        from deepfit_coach.exercises.catalogue import load_catalogue
        required = {spec.name: spec.required for spec in load_catalogue() if spec.name in CLASSES[:10]}
    out = []
    for seg in segments:
        if (not seg.is_exercise
                or unseen_share(skeletons, times_s, seg.start, seg.end, required.get(seg.exercise, ())) < UNSEEN_SHARE):
            out.append(seg)
            continue
        probs = [d.probs for d, t in zip(decisions, times_s) if seg.start <= t <= seg.end and d.probs is not None]
        mean = np.mean(probs, axis=0) if probs else np.zeros(len(CLASSES))
        seen = [(float(mean[k]), name) for k, name in enumerate(CLASSES[:10])
                if unseen_share(skeletons, times_s, seg.start, seg.end, required.get(name, ())) < UNSEEN_SHARE]
        p, name = max(seen, default=(0.0, UNKNOWN))
        out.append(Segment(name, seg.start, seg.end, p) if p >= SEEN_MIN_P
                   else Segment(UNKNOWN, seg.start, seg.end, seg.confidence))
    return _merge_segments(out)


def segments_from_decisions(times_s: Sequence[float], decisions: Sequence[Decision], *,
                            min_segment_s: float | None = None, include_rest: bool = False,
                            include_unknown: bool = False, min_confidence: float = 0.4) -> list[Segment]:
    """``segment_exercises`` from decisions already made (so a caller that also wants the
    decisions' probabilities runs the classifier once)."""
    cfg = timeline_settings()
    if min_segment_s is not None:
        cfg["min_segment_s"] = min_segment_s
    segs = timeline_segments(list(times_s), decisions, cfg, min_confidence=min_confidence)
    keep = set(CLASSES[:10]) | ({REST} if include_rest else set()) | ({UNKNOWN} if include_unknown else set())
    return [s for s in segs if s.exercise in keep]
