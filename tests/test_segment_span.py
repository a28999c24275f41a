"""Where `analyze` says a set is: in auto mode the classifier's span widened to the reps counted,
not the window the counters ran over (it reaches 10 s before the label and 6 s after it, so a
set of 2.5-15 s in a 17-s clip was reported as 0.0-17.2 s while `classify` said 3.5-14 s)."""

from __future__ import annotations

from deepfit_coach.analysis import SegmentResult
from deepfit_coach.events import RepInfo


def _rep(a: float, b: float, partial: bool = False) -> RepInfo:
    return RepInfo(0 if partial else 1, a, b, "both", 90.0, 0.5, 0.5, partial=partial)


def test_auto_mode_reports_the_label_widened_to_its_reps():
    seg = SegmentResult("squats", 0.0, 30.0, [_rep(2.5, 4.0), _rep(4.0, 6.0)], [_rep(14.0, 15.5, partial=True)],
                        label_span=(3.5, 14.0))
    assert seg.span == (2.5, 15.5)
    js = seg.to_json()
    assert (js["start_s"], js["end_s"]) == (2.5, 15.5)


def test_a_label_without_reps_is_reported_as_labelled_and_never_beyond_the_window():
    assert SegmentResult("squats", 0.0, 30.0, [], [], label_span=(3.5, 14.0)).span == (3.5, 14.0)
    assert SegmentResult("squats", 5.0, 12.0, [], [], label_span=(3.5, 14.0)).span == (5.0, 12.0)


def test_given_mode_reports_the_whole_clip_it_counted():
    seg = SegmentResult("squats", 0.0, 17.2, [_rep(2.5, 4.0)], [])
    assert seg.span == (0.0, 17.2) and seg.to_json()["end_s"] == 17.2
