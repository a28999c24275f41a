"""Property-based: random people, reps, absences and key presses never break the coach's rules."""

from __future__ import annotations

from coach_helpers import ScriptedTracker, small_catalogue, standing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deepfit_coach.coach import Coach, CoachTiming
from deepfit_coach.coach import events as ev
from deepfit_coach.plan import loads_plan

PLAN = """
name: P
countdown: 2
blocks:
  - exercise: squats
    sets: 2
    reps: 3
    rest: 5
  - name: C
    rounds: 2
    rest: 2
    circuit:
      - {exercise: jumping_jacks, duration: 4}
      - {exercise: lunges, reps: 2}
"""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rep_times=st.lists(st.floats(0, 80), max_size=60),
       away=st.lists(st.tuples(st.floats(0, 80), st.floats(0.1, 6)), max_size=4),
       keys=st.lists(st.tuples(st.floats(0, 80), st.sampled_from(["pause", "skip", "quit"])), max_size=4))
def test_coach_invariants(rep_times, away, keys):
    plan = loads_plan(PLAN, "p.yaml", small_catalogue())
    coach = Coach(plan, lambda s: ScriptedTracker(s.exercise, list(rep_times)), CoachTiming(intro_s=1, announce_s=1))
    keys = sorted(keys)
    events: list[ev.CoachEvent] = []
    t = 0.0
    while t < 90 and not coach.done:
        gone = any(a <= t < a + d for a, d in away)
        events += coach.update(None if gone else standing(t), t)
        while keys and keys[0][0] <= t:
            events += coach.command(keys.pop(0)[1], t)
        t = round(t + 0.1, 3)
    events += coach.finish(t)
    assert sum(isinstance(e, ev.WorkoutCompleted) for e in events) == 1
    summary = [e for e in events if isinstance(e, ev.WorkoutCompleted)][0].summary
    counted = [e for e in events if isinstance(e, ev.RepCounted)]
    partial = [e for e in events if isinstance(e, ev.PartialRep)]
    # the set's review (as analyze) may keep a rep as a partial one (a lone rep), never lose it
    assert summary.total_reps <= len(counted)
    assert summary.total_reps + sum(r.partial_reps for r in summary.results) == len(counted) + len(partial)
    # no number twice, none skipped; a set's review that counts fewer says its count, then
    # asks for the missing reps (the numbers after it go on from its count)
    last = 0
    for e in events:
        if isinstance(e, ev.RepCounted) and e.say is not None:
            n = int(e.say.text.split(",")[0])
            assert n in (1, last + 1)
            last = n
        elif isinstance(e, ev.RepsRevised) and e.say is not None:
            assert e.reason == "review" and e.count < e.planned.reps and f"{e.count} full reps" in e.say.text
            last = e.count
    for r in summary.results:
        assert r.planned.reps is None or r.reps <= r.planned.reps
    # no rep while resting, paused by the user, or out of view
    state = None
    for e in events:
        if isinstance(e, (ev.RestStarted, ev.OutOfView)) or (isinstance(e, ev.Paused) and e.reason == "user"):
            state = e
        elif isinstance(e, (ev.RestEnded, ev.BackInView, ev.Resumed, ev.SetStarted)):
            state = None
        elif isinstance(e, ev.RepCounted):
            assert state is None, f"rep counted during {state.kind}"
    # every utterance has text and a priority
    assert all(e.say.text.strip() for e in events if e.say is not None)
