"""A rep's form is judged against the usual reps of its own arm where a set alternates arms
(``form.same_side``): side-on the pose model reads the near and the far arm differently.

The clip: MediaPipe poses (pose recovery on) of a rendered set of 12 clean alternating curls, side-on,
at a brisk pace, 30 fps (benchmarks/fast_tempo.py, seed 39002). Against the set's usual of both arms,
the far arm's clean curls read the elbow rising 0.09-0.13 torso lengths more than usual (past
``elbow_drift``'s 0.09): 5 false alarms in 11 counted reps.
"""

from deepfit_coach.analysis import track_segment
from deepfit_coach.counting import form
from deepfit_coach.counting.form import FormChecker, same_side
from deepfit_coach.exercises.catalogue import get_exercise
from stored_poses import clip, load

DATA = load("alternating_curls_poses.npz")


def _issues():
    sk, ts = clip(DATA, "curls_side")
    seg = track_segment(get_exercise("bicep_curls"), sk, ts, ts[0], ts[-1])
    return seg.reps, [i for r in seg.reps for i in r.issues]


def test_alternating_clean_curls_raise_no_false_alarm(monkeypatch):
    reps, issues = _issues()
    assert len(reps) >= 10 and {r.side for r in reps} == {"left", "right"}
    assert issues == []
    monkeypatch.setattr(form, "same_side", lambda sides, side: list(range(len(sides))))   # both arms' usual
    _, old = _issues()
    assert old.count("elbow_drift") >= 4


def test_same_side_only_where_the_set_alternates_and_enough_reps_are_that_sides():
    assert same_side(["left", "right", "left", "right"], "left") == [0, 2]
    assert same_side(["left", "right", "right"], "left") == [0, 1, 2]       # one left rep: no usual of its own
    assert same_side(["left", "left", "left"], "left") == [0, 1, 2]          # one arm's set
    assert same_side(["both", "both"], "both") == [0, 1]
    assert same_side(["left", "right", "left"], "both") == [0, 1, 2]


def test_only_values_read_from_one_limb_are_judged_against_that_sides_reps():
    """Rows facing the camera read their side flipping from rep to rep (pool seed 9509): the torso's
    twist is the whole body's, so it stays judged against every rep (three of the set's four 'left'
    reps twisted: against those alone the twist looked usual, and two torso_rotation faults were lost)."""
    fc = FormChecker(get_exercise("dumbbell_rows"))
    assert fc.of_limb("elbow_rise") and fc.of_limb("wrist_drop_max") and fc.of_limb("elbow_change")
    assert not fc.of_limb("twist") and not fc.of_limb("twist_max") and not fc.of_limb("hip")   # hip: both sides' mean
    assert not fc.of_limb("torso_change") and not fc.of_limb("facing")
