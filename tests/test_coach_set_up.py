"""The coach's review applies the exercise's set_up conditions (engine._review passes its tracker's
spec.set_up): a set's first rep read at a turn with the knees bent for the floor (picking the weights
up, side-on) is set aside, and the coach asks for the rep it still owes (as for a setting-up tug)."""

from __future__ import annotations

from types import SimpleNamespace

from coach_helpers import ScriptedSet, coach_set, five_squats
from deepfit_coach.coach import events as cev
from deepfit_coach.events import RepInfo
from deepfit_coach.exercises import get_exercise

ROWS_SET_UP = get_exercise("dumbbell_rows").set_up


def _reps(knees: list[float]) -> list[RepInfo]:
    """2 s reps of range 0.3 (side-on), each with its knee at the turn."""
    return [RepInfo(0, 0.0, 2.0, "left", 0.3, 1.0, 1.0, turn_values={"knee": k, "facing": 0.1})
            for k in knees]


def _run(knees, set_up):
    return coach_set(five_squats(), lambda s: ScriptedSet(_reps(knees), SimpleNamespace(set_up=set_up)))


def test_the_pick_up_counted_first_is_set_aside_and_one_more_asked():
    events = _run([110.0] + [160.0] * 5, ROWS_SET_UP)
    revised = [e for e in events if isinstance(e, cev.RepsRevised) and e.reason == "review"]
    assert revised and revised[0].count == 4 and "one more" in revised[0].say.text
    done = [e for e in events if isinstance(e, cev.SetCompleted)]
    assert len(done) == 1 and done[0].result.reps == 5


def test_without_set_up_or_with_a_first_pull_from_the_hinge_nothing_is_revised():
    for knees, set_up in (([110.0] + [160.0] * 5, ()), ([150.0] + [160.0] * 5, ROWS_SET_UP)):
        events = _run(knees, set_up)
        assert not [e for e in events if isinstance(e, cev.RepsRevised)]
        assert [e.count for e in events if isinstance(e, cev.RepCounted)] == [1, 2, 3, 4, 5]
