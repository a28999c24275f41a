"""The offline timeline ends a set where its own evidence ends (issue 4: rest after a set
read as the set). Real pose-model output (MediaPipe full on a rendered validation clip,
seed 2,000,136, float16): 10.5 s of bicep curls filmed side-on, then 1.2 s of rest in
which the classifier names lateral raises for a second; the cleaning gave that second to
the curls (too short for a segment of its own), so the curls ran to the video's end."""

import json

import numpy as np
import pytest

from deepfit_coach.classifier.labels import CLASSES, REST
from deepfit_coach.classifier.segment import Segment, end_at_evidence
from stored_poses import clip, load

DATA = load("rest_tail_poses.npz")
SET_START, SET_END = (float(x) for x in DATA["curls_set_s"])   # truth (the clip's labels)

# The temporal settings the shipped models had when this clip was stored (df97199), pinned
# so that a retrain's re-selected settings do not silently change the case under test.
STORED_SETTINGS = {"window_s": 1.5, "window_weight": 1.0, "min_confidence": 0.4, "switch_s": 0.3, "first_s": 0.0,
                   "lag_s": 0.0, "lag_end_s": 0.0, "min_segment_s": 2.0, "offline_smooth_s": 0.5,
                   "offline_shift_s": 0.3, "rest_weight": 1.0}


@pytest.fixture
def stored_settings(classifier_ready, tmp_path, monkeypatch):
    from deepfit_coach.classifier.runtime import FRAME_MODEL, WINDOW_MODEL, default_model_path

    for name in (FRAME_MODEL, WINDOW_MODEL):
        (tmp_path / name).symlink_to(default_model_path(name).resolve())
    (tmp_path / "exercise_classifier.json").write_text(json.dumps(STORED_SETTINGS))
    monkeypatch.setenv("DEEPFIT_CLASSIFIER_DIR", str(tmp_path))


def test_the_curls_end_where_the_set_ends_not_at_the_video_end(stored_settings):
    from deepfit_coach.classifier import TemporalClassifier, decide_all, segment_exercises
    from deepfit_coach.classifier.segment import segments_from_labels, timeline_labels, timeline_settings

    skeletons, times = clip(DATA, "curls")
    segs = segment_exercises(skeletons, times, include_rest=True, include_unknown=True)
    curls = [s for s in segs if s.is_exercise]
    assert [s.exercise for s in curls] == ["bicep_curls"], [s.to_dict() for s in segs]
    assert abs(curls[0].end - SET_END) <= 0.3, [s.to_dict() for s in segs]
    assert segs[-1].exercise == REST and segs[-1].end >= times[-1]
    # the case under test: cleaned labels alone run the curls on to the video's end
    cfg = timeline_settings()
    labels, conf = timeline_labels(times, decide_all(skeletons, times, TemporalClassifier()), cfg)
    old = [s for s in segments_from_labels(times, labels, conf, min_segment_s=cfg["min_segment_s"]) if s.is_exercise]
    assert old[-1].end - SET_END >= 0.8, [s.to_dict() for s in old]


def _probs(rows: list[dict[str, float]]) -> np.ndarray:
    out = np.zeros((len(rows), len(CLASSES)))
    for i, r in enumerate(rows):
        for k, v in r.items():
            out[i, CLASSES.index(k)] = v
    return out


def test_a_stop_is_cut_after_the_last_own_label_only_when_the_tail_looks_like_rest():
    t = np.arange(0, 10, 0.5)                       # 20 frames
    labels = ["squats"] * 14 + ["lunges"] * 3 + ["rest"] * 3
    segs = [Segment("squats", 0.0, 8.5, 0.9), Segment(REST, 8.5, 10.0, 0.8)]   # lunges absorbed
    resty = _probs([{"squats": 0.9}] * 14 + [{"lunges": 0.5, "squats": 0.1, "rest": 0.4}] * 3 + [{"rest": 0.9}] * 3)
    cut = end_at_evidence(segs, t, labels, resty)
    assert [(s.exercise, s.start, s.end) for s in cut] == [("squats", 0.0, 7.0), (REST, 7.0, 10.0)]
    assert cut[1].confidence == pytest.approx((0.0 * 1.5 + 0.8 * 1.5) / 3.0)
    # the same tail more squat-like than rest: the set may still be going on, kept
    squatty = _probs([{"squats": 0.9}] * 14 + [{"lunges": 0.5, "squats": 0.4, "rest": 0.1}] * 3 + [{"rest": 0.9}] * 3)
    assert end_at_evidence(segs, t, labels, squatty) == segs
    # a change of exercise is the labels' to place, not cut to rest
    change = [Segment("squats", 0.0, 8.5, 0.9), Segment("lunges", 8.5, 10.0, 0.8)]
    assert end_at_evidence(change, t, labels, resty) == change
