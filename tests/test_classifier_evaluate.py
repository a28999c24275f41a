"""The evaluation's timeline is the one `classify` prints: one settings object, as
``segment.timeline_settings`` gives it, drives both."""

from __future__ import annotations

import numpy as np

from deepfit_coach.classifier import TemporalClassifier, segment_exercises
from deepfit_coach.classifier.segment import timeline_settings
from deepfit_coach.synth import ClipSpec, joints_only
from deepfit_coach.training.clips import Clip
from deepfit_coach.training.dataset import truth_labels, truth_landmarks
from deepfit_coach.training.evaluate import clip_skeletons, run_clip


def _clip() -> Clip:
    spec = ClipSpec("lateral_shoulder_raises", reps=3, side="both", view="front", yaw=30.0, pitch=8.0, seed=11,
                    fps=10, rest_before=1.5, rest_after=1.5)
    truth = joints_only(spec)
    lm = truth_landmarks(truth)
    return Clip(lm, np.ones(len(lm), bool), np.arange(len(lm)) / truth.fps, truth_labels(truth), truth.width,
                truth.height, {"exercise": spec.exercise, "view": "45"}, truth.joints_3d.astype(np.float32))


def test_evaluation_timeline_is_the_classify_timeline() -> None:
    clip, clf = _clip(), TemporalClassifier()
    got = run_clip(clip, clf, timeline_settings())
    want = segment_exercises(clip_skeletons(clip), list(clip.times), classifier=clf, include_rest=True,
                             include_unknown=True)
    assert got.segments == [s.to_dict() for s in want]
    assert got.truth == "lateral_shoulder_raises" and len(got.frame_pred) == len(clip.times)
    # no settings: the live labels with no lag correction, which differ from the lag-corrected timeline
    shifted = run_clip(clip, clf, {**timeline_settings(), "offline_smooth_s": 0.0, "lag_s": 1.0, "lag_end_s": 1.0})
    assert run_clip(clip, clf).segments == run_clip(clip, clf, {"lag_s": 0.0, "min_segment_s": 2.0}).segments
    assert shifted.segments != run_clip(clip, clf).segments
