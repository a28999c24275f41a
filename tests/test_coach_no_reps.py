"""The coach says its camera advice once when it sees the person through a set but counts
nothing (side-on, a far working arm is drawn hanging by the pose model and never counts:
tricep extensions side_1 on every tuning set counted 0 of 6 while the body was in view
12.7-14.5 s; in the 260 sets that counted, the first rep came within 6.5 s in view)."""

from __future__ import annotations

from coach_helpers import ScriptedTracker, small_catalogue, standing

from deepfit_coach.coach import Coach
from deepfit_coach.coach import events as ev
from deepfit_coach.plan import loads_plan

PLAN = """
name: Test
countdown: 3
blocks:
  - exercise: tricep_extensions
    sets: 1
    reps: 6
  - exercise: pushups
    sets: 1
    duration: 20
"""


def run(rep_times: list[float]) -> list:
    plan = loads_plan(PLAN, "t.yaml", small_catalogue())
    coach = Coach(plan, lambda ps: ScriptedTracker(ps.exercise, rep_times if ps.exercise != "pushups" else []))
    out, t = [], 0.0
    while not coach.done and t < 200:
        out += coach.update(standing(t), t, None)
        t = round(t + 0.1, 6)
    return out


def hints(events) -> list[str]:
    return [e.say.text for e in events if isinstance(e, ev.PositionHint) and e.say is not None]


def test_a_set_seen_without_any_rep_gets_the_camera_advice_once():
    events = run([])
    start = next(e.t_s for e in events if isinstance(e, ev.SetStarted))
    said = [e for e in events if isinstance(e, ev.PositionHint)]
    assert hints(events) == ["I haven't counted a rep yet. Stand side-on to the camera."]
    assert 9.9 <= said[0].t_s - start <= 10.5  # and not in the timed push-up set that follows


def test_a_set_that_counts_gets_no_advice():
    events = run([14.0 + 2.5 * i for i in range(20)])
    assert any(isinstance(e, ev.RepCounted) for e in events)
    assert hints(events) == []
