"""Re-measure the shipped classifier on the held-out test split -> models/ report, model
card and BENCHMARKS.md (## Exercise classifier, ### Held-out accuracy).

    python benchmarks/classifier_heldout.py [--split val] [--no-write]

Why: the held-out table describes the shipped models, their settings (models/
exercise_classifier.json) and the offline timeline code (classifier/segment.py). When only
the timeline code changes (no retrain, no new settings), ``deepfit-coach train
--select-only`` would re-run the settings search and could change the shipped settings;
this measures what is shipped as it is (``pipeline.evaluate_test``, the numbers ``train``
writes) and rewrites the report's "test" part, the model card and the BENCHMARKS table.
``--split val`` measures the validation split the same way and writes nothing (a check of
the command that never reads the test split); ``--pose-recover`` measures the clips posed
with the pose recovery filling the frames the landmarker loses (cached apart) and writes
nothing. Test clips are rendered and posed once into .classifier_cache/test (cached).
"""

from __future__ import annotations

import argparse
import json

from deepfit_coach.training import pipeline as P


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("test", "val"), default="test")
    ap.add_argument("--no-write", action="store_true", help="print only, write no report")
    ap.add_argument("--pose-recover", action="store_true",
                    help="pose the clips with the pose recovery (PoseEstimator(recover=True); cached apart); prints only")
    args = ap.parse_args()
    cfg = P.TrainConfig(eval_recover=args.pose_recover)
    cfg.pose_model = P._pose_model()
    writes = args.split == "test" and not (args.no_write or args.pose_recover)
    res = P.evaluate_test(cfg, print, split=args.split, plots=writes)
    r = res["shipped"]
    print(json.dumps({k: r[k] for k in ("clips", "frames", "video_accuracy", "frame_accuracy", "timeline_frame_accuracy",
                                        "rest_recall", "timeline_rest_recall", "rest_clips",
                                        "rest_clips_with_exercise_segment", "unknown_share")}, indent=1))
    if not writes:
        return
    path = cfg.out_dir / "exercise_classifier_eval.json"
    report = json.loads(path.read_text())
    report["test"] = res
    report["pose_confidence"] = {**P.pose_confidences(report), "test": P.split_confidence("test", cfg)}
    P.write_reports(report, cfg.out_dir)
    path.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
