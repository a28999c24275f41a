"""Offline segmentation: a timeline of (exercise, start, end, confidence) for a video.

Runs the same streaming ``TemporalClassifier`` the live coach uses, then cleans the
label sequence: short "unknown" gaps between equal labels are bridged, and runs shorter
than ``min_segment_s`` are given to their longer neighbour, so a stray second of
"pushups" while lying down to start sit-ups does not become a segment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

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
    """Decision at every frame (the live behaviour, replayed)."""
    clf = classifier or TemporalClassifier()
    clf.reset()
    out = []
    for i, (skel, t) in enumerate(zip(skeletons, times_s)):
        out.append(clf.update(skel, float(t)))
        if progress is not None:
            progress(i + 1)
    return out


def segments_from_labels(times_s: Sequence[float], labels: Sequence[str], confidences: Sequence[float],
                         min_segment_s: float = 2.0, bridge_s: float = 1.5,
                         end_s: float | None = None, lag_s: float = 0.0,
                         lag_end_s: float | None = None) -> list[Segment]:
    """Clean a per-frame label sequence into segments covering [times[0], end].

    ``lag_s``: how far the (causal) decisions trail the video; boundaries move back by
    it, so an offline timeline starts a set when it started, not when it was recognised.
    ``lag_end_s`` (default ``lag_s``) is the same for the end of an exercise (followed by
    rest or unknown): a stop shows sooner than a start, which needs a rep to be seen.
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
    return [Segment(r[0], r[1], r[2], r[3] / max(r[4], 1)) for r in runs]


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


TIMELINE_LAG_S = 0.6  # replaced by the value chosen on validation (exercise_classifier.json)
MIN_SEGMENT_S = 2.0   # likewise ("min_segment_s")


def timeline_lag() -> float:
    from deepfit_coach.classifier.temporal import load_temporal_config

    return float(load_temporal_config().get("lag_s", TIMELINE_LAG_S))


def timeline_lag_end() -> float:
    """The lag at the end of an exercise (chosen on validation; default: ``timeline_lag``)."""
    from deepfit_coach.classifier.temporal import load_temporal_config

    return float(load_temporal_config().get("lag_end_s", timeline_lag()))


def timeline_min_segment() -> float:
    """Shortest exercise segment a timeline keeps (chosen on validation)."""
    from deepfit_coach.classifier.temporal import load_temporal_config

    return float(load_temporal_config().get("min_segment_s", MIN_SEGMENT_S))


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
    if min_segment_s is None:
        min_segment_s = timeline_min_segment()
    if times_s is None:
        if any(s is None for s in skeletons):
            raise ValueError("times_s is required when some skeletons are None")
        times_s = [s.timestamp_ms / 1000.0 for s in skeletons]  # type: ignore[union-attr]
    decisions = decide_all(skeletons, times_s, classifier, progress)
    segs = segments_from_labels(list(times_s), [d.label for d in decisions],
                                [d.confidence for d in decisions], min_segment_s=min_segment_s,
                                lag_s=timeline_lag(), lag_end_s=timeline_lag_end())
    keep = set(CLASSES[:10]) | ({REST} if include_rest else set()) | ({UNKNOWN} if include_unknown else set())
    return [s for s in segs if s.exercise in keep]
