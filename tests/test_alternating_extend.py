"""A rep rising back to the start is not stretched over the other arm's rep (tracker.EXTEND_STOP_OTHER).

The clip: alternating curls side-on at a brisk pace (benchmarks/fast_tempo.py seed 39002; see
tests/test_form_same_side.py). A far-arm curl read at 45 deg (the near arm's read 82-105) began while
the near arm's rep before it was still rising back: that rep was stretched over it (4.8-7.0 s), so the
set's review could not count it as the other arm's rep (11 of 12 counted).
"""

from deepfit_coach.analysis import track_segment
from deepfit_coach.counting import tracker
from deepfit_coach.exercises.catalogue import get_exercise
from stored_poses import clip, load

DATA = load("alternating_curls_poses.npz")


def _reps():
    sk, ts = clip(DATA, "curls_side")
    return track_segment(get_exercise("bicep_curls"), sk, ts, ts[0], ts[-1]).reps


def test_the_other_arms_rep_ends_the_rep_before(monkeypatch):
    reps = _reps()
    assert len(reps) == 12
    far = [r for r in reps if 6.0 <= r.start_s and r.end_s <= 7.0]
    assert len(far) == 1 and far[0].side == "right"
    assert all(r.end_s <= far[0].start_s or r.start_s >= far[0].end_s for r in reps if r is not far[0])
    monkeypatch.setattr(tracker, "EXTEND_STOP_OTHER", float("inf"))   # any side: only a rep-sized partial stops it
    assert len(_reps()) == 11
