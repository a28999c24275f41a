"""The exercise classifier on its VALIDATION split at two pose-model confidences -> BENCHMARKS.md
(## Exercise classifier, ### Pose confidence (validation split)).

    python benchmarks/classifier_confidence.py [--no-write]

Why: the product may run MediaPipe at confidence 0.2 instead of 0.5 (pose.DEFAULT_CONFIDENCE).
The training clips stay at 0.5 (pipeline.TRAIN_CONFIDENCE), so the models do not change; what
changes is the landmarks the temporal decision judges, and what the settings search (which runs
at the runtime's confidence) would choose. Rows: the shipped temporal settings at 0.5 and 0.2, the
settings the pipeline's search re-selects at 0.2 (what ``deepfit-coach train --select-only
--no-test --eval-confidence 0.2`` writes), and a halves check of that search (chosen on the even
clips, scored on the odd ones and vice versa, against the shipped settings on the same half).
Validation only: the held-out test split is never read here. Clips come from
.classifier_cache/val (keyed by the confidence; missing ones are rendered and posed once).
"""

from __future__ import annotations

import argparse
import json

from deepfit_coach.classifier import ExerciseClassifier, TemporalClassifier, WindowClassifier
from deepfit_coach.classifier.runtime import FRAME_MODEL, MODELS_DIR, WINDOW_MODEL
from deepfit_coach.classifier.segment import timeline_settings
from deepfit_coach.classifier.window import WINDOW_S
from deepfit_coach.training.dataset import rendered_clips
from deepfit_coach.training.evaluate import evaluate
from deepfit_coach.training.pipeline import TEMPORAL_CONFIG, _kwargs, _pose_model, _score, select_temporal
from deepfit_coach.training.report import write_benchmarks
from deepfit_coach.training.splits import split_items

CONFIDENCES = (0.5, 0.2)


def measure(clips: list, settings: dict, frame, window) -> dict:
    """The validation figures of one settings file, and the settings search's two scores."""
    t = timeline_settings(settings)
    clf = TemporalClassifier(frame, window if t["window_weight"] > 0 else None, **_kwargs(t))
    live = _score(evaluate(clips, clf, {"lag_s": 0.6}))  # as select_temporal scores the live stage
    r = evaluate(clips, clf, t)
    timeline = (_score(r, ("timeline_frame_accuracy", "video_accuracy"))
                - r["rest_clips_with_exercise_segment"] / max(r["rest_clips"], 1))
    return {**{k: r[k] for k in ("video_accuracy", "frame_accuracy", "timeline_frame_accuracy", "timeline_rest_recall",
                                 "rest_clips", "rest_clips_with_exercise_segment")},
            "live_score": live, "timeline_score": timeline}


def split_halves(clips: list) -> tuple[list, list]:
    """Two halves with every clip kind (each exercise, each rest kind) alternating between them:
    the split's order puts all rest clips at odd places, so even/odd would leave one half without."""
    seen: dict[str, int] = {}
    halves: tuple[list, list] = ([], [])
    for c in clips:
        kind = c.meta.get("exercise", "")
        halves[seen.get(kind, 0) % 2].append(c)
        seen[kind] = seen.get(kind, 0) + 1
    return halves


def table(rows: list[tuple[str, float, dict]]) -> str:
    lines = ["| temporal settings | confidence | video | live frames | timeline frames | rest, timeline | "
             "rest clips with a segment | search score live / timeline |", "|---|---|---|---|---|---|---|---|"]
    for name, conf, r in rows:
        lines.append(f"| {name} | {conf} | {r['video_accuracy']:.1%} | {r['frame_accuracy']:.1%} | "
                     f"{r['timeline_frame_accuracy']:.1%} | {r['timeline_rest_recall']:.1%} | "
                     f"{r['rest_clips_with_exercise_segment']} of {r['rest_clips']} | "
                     f"{r['live_score']:.3f} / {r['timeline_score']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-write", action="store_true", help="print only, leave BENCHMARKS.md alone")
    args = ap.parse_args()
    model, items = _pose_model(), split_items("val", 0)
    frame, window = ExerciseClassifier(MODELS_DIR / FRAME_MODEL), WindowClassifier(MODELS_DIR / WINDOW_MODEL)
    shipped = json.loads((MODELS_DIR / TEMPORAL_CONFIG).read_text())
    clips = {c: rendered_clips(items, "val", model, confidence=c) for c in CONFIDENCES}

    def search(cl: list) -> dict:
        return {"window_s": WINDOW_S, **select_temporal(cl, MODELS_DIR, lambda m: None)["selected"]}

    resel = search(clips[0.2])
    rows = [(name, c, measure(clips[c], st, frame, window))
            for c in CONFIDENCES for name, st in (("shipped", shipped), ("re-selected at 0.2", resel))]
    halves = []
    parts = split_halves(clips[0.2])
    for a in (0, 1):
        chosen = search(parts[a])
        halves.append((f"chosen on half {'AB'[a]}, scored on {'BA'[a]}", 0.2, measure(parts[1 - a], chosen, frame, window)))
        halves.append((f"shipped, scored on {'BA'[a]}", 0.2, measure(parts[1 - a], shipped, frame, window)))
    diff = ", ".join(f"{k} {shipped.get(k)} -> {v}" for k, v in resel.items() if shipped.get(k) != v) or "none"
    body = (f"Validation split only ({len(items)} clips, shipped models; the held-out split is not measured "
            "here), pose model at its confidences 0.5 (shipped) and 0.2, `python benchmarks/classifier_confidence.py`. "
            "Search scores: the settings search's view-averaged sums (live: live + timeline frames at lag 0.6 s "
            "+ video; timeline: timeline frames + video - share of rest clips with a segment).\n\n"
            + table(rows) + f"\n\nRe-selected at 0.2 vs shipped: {diff}.\n\nHalves check of the search at 0.2 "
            "(settings chosen on one half of the clips, every clip kind alternating between the halves, and scored "
            "on the other half, against the shipped settings on that half):\n\n" + table(halves))
    print(body)
    if not args.no_write:
        write_benchmarks(body, subheading="Pose confidence (validation split)")


if __name__ == "__main__":
    main()
