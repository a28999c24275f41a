"""Held-out evaluation through the same TemporalClassifier the live coach runs.

Reports what issue 4 asks: video-level accuracy per exercise (the timeline's dominant
exercise), frame-level accuracy after the temporal decision ("unknown" counts as wrong),
rest recall, exercise segments inside pure rest clips, all broken down by view, plus
the raw per-frame argmax for comparison and a confusion matrix.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from deepfit_coach.classifier.labels import CLASSES, REST, UNKNOWN
from deepfit_coach.classifier.segment import decide_all, timeline_segments
from deepfit_coach.classifier.temporal import TemporalClassifier
from deepfit_coach.skeleton import Skeleton
from deepfit_coach.training.clips import Clip, frame_arrays

PRED_LABELS = CLASSES + (UNKNOWN,)
# timeline settings where none are given: the live labels, no lag correction, 2 s segments
LIVE_TIMELINE = {"lag_s": 0.0, "min_segment_s": 2.0}


def clip_skeletons(clip: Clip) -> list[Skeleton | None]:
    world = clip.world_or_zeros()
    return [Skeleton(int(round(t * 1000)), lm, w, clip.width, clip.height, i) if ok else None
            for i, (lm, w, ok, t) in enumerate(zip(clip.landmarks, world, clip.valid, clip.times))]


def clip_truth(clip: Clip) -> str:
    """The clip's exercise (its most common non-rest label), or "rest"."""
    ex = clip.labels[clip.labels != CLASSES.index(REST)]
    return CLASSES[int(np.bincount(ex).argmax())] if len(ex) else REST


@dataclass
class ClipResult:
    truth: str
    video_pred: str
    view: str
    frame_truth: np.ndarray      # (T,) class names
    frame_pred: np.ndarray       # (T,) decision labels
    raw_pred: np.ndarray         # (T,) per-frame argmax ("unknown" where no usable pose)
    timeline_pred: np.ndarray    # (T,) label of the timeline segment covering each frame
    rest_clip_exercise_segments: int = 0
    segments: list = field(default_factory=list)


def timeline_frames(times: np.ndarray, segs: list) -> tuple[np.ndarray, str]:
    """Each frame's label in the timeline ``segs`` ("unknown" outside every segment), and
    the video's prediction: the exercise with the most segment time (rest if none)."""
    timeline = np.full(len(times), UNKNOWN, dtype=object)
    for s in segs:
        timeline[(times >= s.start - 1e-9) & (times < s.end - 1e-9)] = s.exercise
    dur: dict[str, float] = defaultdict(float)
    for s in segs:
        if s.is_exercise:
            dur[s.exercise] += s.duration
    return timeline, max(dur, key=dur.get) if dur else REST


def run_clip(clip: Clip, clf: TemporalClassifier, settings: dict | None = None,
             decisions: list | None = None) -> ClipResult:
    """One clip through the decision (or its precomputed ``decisions``) and the timeline.

    ``settings``: the timeline's settings as ``segment.timeline_settings`` gives them
    (lags, minimum segment, offline re-decision; see ``segment.timeline_segments``); missing keys
    mean no lag, 2 s segments and the live labels (``LIVE_TIMELINE``).
    """
    cfg = {**LIVE_TIMELINE, **(settings or {})}
    times = clip.times
    if decisions is None:
        decisions = decide_all(clip_skeletons(clip), times, clf)
    labels = np.array([d.label for d in decisions])
    segs = timeline_segments(times, decisions, cfg, clf.min_confidence)
    timeline, video_pred = timeline_frames(times, segs)
    feats, _, ok = frame_arrays(clip)
    raw = np.full(len(times), UNKNOWN, dtype=object)
    if ok.any():
        raw[ok] = [CLASSES[i] for i in np.argmax(clf.frame_model.predict_proba(feats[ok]), axis=1)]
    truth = clip_truth(clip)
    return ClipResult(truth, video_pred, str(clip.meta.get("view", "?")),
                      np.array([CLASSES[i] for i in clip.labels]), labels, raw.astype(str), timeline.astype(str),
                      sum(1 for s in segs if s.is_exercise) if truth == REST else 0,
                      [s.to_dict() for s in segs])


def evaluate(clips: list[Clip], clf: TemporalClassifier, settings: dict | None = None,
             progress: Callable[[], None] | None = None, decisions: list[list] | None = None) -> dict:
    """All held-out metrics as a JSON-friendly dict (``settings``: the timeline's, as in
    ``run_clip``; ``decisions``: precomputed per clip, so that timeline settings can be
    compared without replaying the models)."""
    results = []
    for i, c in enumerate(clips):
        results.append(run_clip(c, clf, settings, None if decisions is None else decisions[i]))
        if progress:
            progress()
    return summarize(results)


def _acc(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b)) if len(a) else float("nan")


def summarize(results: list[ClipResult]) -> dict:
    ft = np.concatenate([r.frame_truth for r in results])
    fp = np.concatenate([r.frame_pred for r in results])
    raw = np.concatenate([r.raw_pred for r in results])
    tl = np.concatenate([r.timeline_pred for r in results])
    views = np.concatenate([[r.view] * len(r.frame_truth) for r in results])
    out: dict = {
        "clips": len(results), "frames": int(len(ft)),
        "video_accuracy": _acc(np.array([r.video_pred for r in results]), np.array([r.truth for r in results])),
        "frame_accuracy": _acc(fp, ft), "frame_accuracy_raw": _acc(raw, ft),
        "timeline_frame_accuracy": _acc(tl, ft),
        "rest_recall": _acc(fp[ft == REST], ft[ft == REST]),
        "timeline_rest_recall": _acc(tl[ft == REST], ft[ft == REST]),
        "unknown_share": float(np.mean(fp == UNKNOWN)),
        "rest_clips": sum(r.truth == REST for r in results),
        "rest_clips_with_exercise_segment": sum(r.rest_clip_exercise_segments > 0 for r in results),
        "by_class": {}, "by_view": {}, "by_class_view": {},
    }
    for name in CLASSES:
        rs = [r for r in results if r.truth == name]
        sel = ft == name
        out["by_class"][name] = {
            "clips": len(rs), "video_accuracy": _acc(np.array([r.video_pred for r in rs]), np.array([name] * len(rs))),
            "frames": int(sel.sum()), "frame_accuracy": _acc(fp[sel], ft[sel]), "frame_accuracy_raw": _acc(raw[sel], ft[sel]),
            "timeline_frame_accuracy": _acc(tl[sel], ft[sel]),
        }
        for view in sorted(set(r.view for r in rs)):
            rv = [r for r in rs if r.view == view]
            s2 = sel & (views == view)
            out["by_class_view"][f"{name}/{view}"] = {
                "clips": len(rv), "video_accuracy": _acc(np.array([r.video_pred for r in rv]), np.array([name] * len(rv))),
                "frame_accuracy": _acc(fp[s2], ft[s2]), "timeline_frame_accuracy": _acc(tl[s2], ft[s2])}
    for view in sorted(set(views)):
        rv = [r for r in results if r.view == view]
        s = views == view
        out["by_view"][view] = {"clips": len(rv), "video_accuracy": _acc(np.array([r.video_pred for r in rv]),
                                                                        np.array([r.truth for r in rv])),
                                "frame_accuracy": _acc(fp[s], ft[s]), "frame_accuracy_raw": _acc(raw[s], ft[s]),
                                "timeline_frame_accuracy": _acc(tl[s], ft[s])}
    cm = np.zeros((len(CLASSES), len(PRED_LABELS)), dtype=int)
    for t, p in zip(ft, fp):
        cm[CLASSES.index(t), PRED_LABELS.index(p)] += 1
    out["confusion"] = cm.tolist()
    cm_tl = np.zeros_like(cm)
    for t, p in zip(ft, tl):
        cm_tl[CLASSES.index(t), PRED_LABELS.index(p)] += 1
    out["confusion_timeline"] = cm_tl.tolist()
    out["video_confusions"] = [f"{r.truth}->{r.video_pred} ({r.view})" for r in results if r.truth != r.video_pred]
    return out


def plot_confusion(cm: np.ndarray, path, title: str) -> None:
    """Row-normalised confusion matrix (truth x decision incl. unknown) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cm = np.asarray(cm, dtype=np.float64)
    norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(9, 7.5))
    ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(PRED_LABELS)), PRED_LABELS, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(CLASSES)), CLASSES, fontsize=8)
    for i in range(norm.shape[0]):
        for j in range(norm.shape[1]):
            if cm[i, j]:
                ax.text(j, i, f"{norm[i, j]:.2f}", ha="center", va="center", fontsize=6,
                        color="white" if norm[i, j] > 0.5 else "black")
    ax.set_xlabel("temporal decision")
    ax.set_ylabel("truth")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
