"""Where the offline timeline ends a set, on the VALIDATION split -> BENCHMARKS.md (## Exercise
classifier, ### Timeline ends at the evidence).

    python benchmarks/classifier_timeline_ends.py [--clips 240] [--no-write]

Why (issue 4): rest frames the timeline missed lay mostly after a set's end (the exercise
segment ran on). This scores the shipped models and settings (models/) with the timeline as
it was (cleaned labels only) and with ``segment.end_at_evidence`` (a stop ends after its own
last label when the tail looks like rest), on the first ``--clips`` validation clips (seeds 2,000,000+; the first 60 are the split the
settings were chosen on) and on its two halves (``classifier_confidence.split_halves``).
Validation only: the held-out split is never read. Clips are cached in .classifier_cache/val.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from deepfit_coach.classifier import TemporalClassifier
from deepfit_coach.classifier.labels import CLASSES, REST
from deepfit_coach.classifier.segment import (decide_all, segments_from_labels, timeline_labels, timeline_segments,
                                              timeline_settings)
from deepfit_coach.training import pipeline as P
from deepfit_coach.training.dataset import rendered_clips
from deepfit_coach.training.evaluate import ClipResult, clip_skeletons, clip_truth, summarize, timeline_frames
from deepfit_coach.training.report import write_benchmarks
from deepfit_coach.training.splits import Budget, split_items

sys.path.insert(0, str(Path(__file__).resolve().parent))
from classifier_confidence import split_halves  # noqa: E402

VARIANTS = ("before: cleaned labels", "end at the evidence (shipped)")


def segments(variant: int, clip, decisions, cfg: dict, min_confidence: float) -> list:
    times = clip.times
    if variant == 1:
        return timeline_segments(times, decisions, cfg, min_confidence)
    labels, conf = timeline_labels(times, decisions, cfg, min_confidence)
    return segments_from_labels(times, labels, conf, min_segment_s=float(cfg["min_segment_s"]), lag_s=float(cfg["lag_s"]),
                                lag_end_s=float(cfg["lag_end_s"]))


def result(clip, segs: list) -> ClipResult:
    """``evaluate.run_clip``'s result for a timeline (timeline fields only)."""
    timeline, video_pred = timeline_frames(clip.times, segs)
    truth = clip_truth(clip)
    ft = np.array([CLASSES[i] for i in clip.labels])
    return ClipResult(truth, video_pred, str(clip.meta.get("view", "?")), ft, ft, ft,
                      timeline.astype(str), sum(s.is_exercise for s in segs) if truth == REST else 0)


def after_end(clips: list, res: list[ClipResult]) -> int:
    """Rest frames after a set's last frame that the timeline calls an exercise."""
    n = 0
    for c, r in zip(clips, res):
        ex = np.flatnonzero(r.frame_truth != REST)
        if len(ex):
            tail = slice(ex[-1] + 1, None)
            n += int(np.isin(r.timeline_pred[tail], CLASSES[:10]).sum())
    return n


def run(n: int) -> dict:
    clips = rendered_clips(split_items("val", 0, Budget(val_clips=n)), "val", P._pose_model())
    cfg, clf = timeline_settings(), TemporalClassifier()
    decisions = [decide_all(clip_skeletons(c), list(c.times), clf) for c in clips]
    halves = split_halves(clips)
    parts = {"all": clips, "first 60 (settings chosen on)": clips[:60], "half A": halves[0], "half B": halves[1]}
    index = {id(c): i for i, c in enumerate(clips)}
    out: dict = {"clips": n, "rows": []}
    for v, name in enumerate(VARIANTS):
        res = [result(c, segments(v, c, d, cfg, clf.min_confidence)) for c, d in zip(clips, decisions)]
        for part, cs in parts.items():
            rs = [res[index[id(c)]] for c in cs]
            r = summarize(rs)
            score = P._score(r, ("timeline_frame_accuracy", "video_accuracy")) - r["rest_clips_with_exercise_segment"] / max(
                r["rest_clips"], 1)
            out["rows"].append((part, name, r["timeline_frame_accuracy"], r["timeline_rest_recall"],
                                r["rest_clips_with_exercise_segment"], r["rest_clips"], r["video_accuracy"],
                                after_end(cs, rs), score))
    return out


def body(res: dict) -> str:
    lines = ["| clips | timeline | timeline frames | rest frames as rest | rest clips with a segment | video | "
             "rest frames after a set's end called exercise | search score |", "|---|---|---|---|---|---|---|---|"]
    order = sorted(res["rows"], key=lambda r: ["all", "first 60 (settings chosen on)", "half A", "half B"].index(r[0]))
    for part, name, tl, rest, rc, nrc, video, after, score in order:
        lines.append(f"| {part} | {name} | {tl:.1%} | {rest:.1%} | {rc} of {nrc} | {video:.1%} | {after} | {score:.4f} |")
    return ("Validation split only (the first " + str(res["clips"]) + " clips, seeds 2,000,000+; shipped models and "
            "settings; the held-out split is not read), `python benchmarks/classifier_timeline_ends.py`. "
            "The offline timeline (`segment.timeline_segments`, what `classify`, `analyze` auto mode and the "
            "settings search all use) as it was, and with an exercise segment that stops (rest, unknown or the "
            "video's end follows) ending after its own last label when its tail is on average at least 1.25x as "
            "likely rest as that exercise (`end_at_evidence`: the cleaning had given it other labels' short "
            "runs). Search score: `select_temporal`'s timeline score (timeline + video accuracy averaged over "
            "views, minus the share of rest clips with a segment).\n\n" + "\n".join(lines) + "\n\n" + NOTES)


# The reading of the tables and the tuning pool's figures (measured separately, commands given).
NOTES = (
    "Half B's timeline frames move by one frame (88.991 -> 88.984%), its rest frames +0.5 points; half A +0.4 and "
    "+1.3 points. The rest frames still called exercise after a set's end (193) carry the set's own label: the "
    "window model describes the past 1.5 s, and ending those needs evidence the labels do not have.\n\n"
    "Tuning pool (12 sets, both pose realisations, `python -m deepfit_coach eval /work/data/SET --cache "
    "/work/data/SET/poses[_c02] --json` against the stop-17 baselines): auto-mode counts identical on all 510 "
    "videos (MAE 0.062 / OBO 93.5% at 0.5, 0.062 / 92.5% at 0.2), rest clips 0 reps; auto-mode frames right "
    "93.85 -> 94.21% (0.5) and 94.08 -> 94.51% (0.2), rest frames as rest 91.1 -> 92.9% and 90.7 -> 92.7% "
    "(36482 -> 37198 and 36306 -> 37123 of 40040); two videos lose set frames (eval_tune10 rows).\n\n"
    "Measured and not shipped: (1) ratio 1.0 instead of 1.25 (validation alike, half B 89.05%) split a "
    "lateral-raise set of the pool in two in auto mode (tests/test_auto_absorb.py: a misnamed bout's tail "
    "where rest and its label were both ~0.2). (2) \"No movement, no segment\": an exercise segment whose "
    "fastest four parts' upper-quartile speed (MediaPipe world landmarks, torso lengths per second) stays "
    "under 0.25 becomes rest. It removed the one validation rest clip's segment (a person standing side-on "
    "read as tricep extensions for 5 s, 0.20) and scored 89.8% / 96.1% / 0 of 60 on all 240 clips, but a "
    "real side-on tricep set of the pool moves at 0.20-0.26 (eval_tune8): a still person and a set overlap, "
    "so no threshold is safe; image-plane speed overlaps the same way (0.028 standing, 0.029 rows). (3) Not "
    "absorbing a short run into an exercise less likely than rest there: rest 95.8% but timeline frames "
    "-0.3 to -1.5 points (set starts and mid-set blips became rest).\n\n"
    "The held-out table (### Held-out accuracy) was measured with the timeline before this change; "
    "`python benchmarks/classifier_heldout.py` re-measures it with the shipped models and settings and "
    "rewrites it (`--split val` checks the command on validation: 60 clips, timeline 92.1%, rest 96.5%, "
    "0 of 15 rest clips with a segment).")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clips", type=int, default=240)
    ap.add_argument("--no-write", action="store_true", help="print only, leave BENCHMARKS.md alone")
    args = ap.parse_args()
    text = body(run(args.clips))
    print(text)
    if not args.no_write:
        write_benchmarks(text, subheading="Timeline ends at the evidence")


if __name__ == "__main__":
    main()
