"""Progression rules against sessions written to a real history database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from deepfit_coach.events import RepInfo
from deepfit_coach.history import HistoryStore
from deepfit_coach.progression import (ProgressionBlock, ProgressionRule, ProgressionRuleError,
                                       apply_progression, blocks_from_plan, progress_plan)

T0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPFIT_HOME", str(tmp_path))
    with HistoryStore.open() as s:
        yield s


def squat_block(reps=10, sets=3, **rule) -> ProgressionBlock:
    r = ProgressionRule.from_dict(rule or {"add_reps": 2})
    return ProgressionBlock(0, "squats", sets, reps, None, r)


def record(store, day: int, target: int, done: list[int], issues: dict[int, str] | None = None,
           base: int | None = 10, exercise="squats", block_index=0, planned_sets=3, seconds=None):
    """One session of plan 'legs': sets with the given reps done (and a form event on some)."""
    start = T0 + timedelta(days=day)
    sid = store.start_session("legs", planned=[{"block_index": block_index, "exercise": exercise,
                                                 "sets": planned_sets, "reps": None if seconds else target,
                                                 "seconds": seconds, "base_reps": None if seconds else base,
                                                 "base_seconds": base if seconds else None}], started_at=start)
    for n, reps in enumerate(done, 1):
        t = start + timedelta(minutes=n)
        set_id = store.start_set(sid, block_index, exercise, n, target_reps=None if seconds else target,
                                 target_seconds=seconds, started_at=t)
        for i in range(reps):
            store.add_rep(set_id, RepInfo(i + 1, 2.0 * i, 2.0 * i + 1.6, "both", 95, 0.8, 0.8))
        if issues and n in issues:
            store.add_form_event(set_id, 1.0, issues[n], "cue", "safety")
        end = t + timedelta(seconds=seconds if seconds else 30)
        store.end_set(set_id, reps, 0, ended_at=end)
    store.end_session(sid, "complete", ended_at=start + timedelta(minutes=30))
    return sid


def test_clean_session_adds_reps_and_says_so(store):
    record(store, 0, 10, [10, 10, 10])
    targets, messages = apply_progression([squat_block()], store.plan_history("legs"))
    t = targets[(0, "squats")]
    assert (t.reps, t.changed, t.base_reps) == (12, True, 10)
    assert messages == ["Last time you nailed squats: 12 reps per set today."]


def test_a_form_issue_blocks_clean_but_not_complete(store):
    record(store, 0, 10, [10, 10, 10], issues={2: "knees_in"})
    clean, msgs = apply_progression([squat_block()], store.plan_history("legs"))
    assert (clean[(0, "squats")].reps, clean[(0, "squats")].changed, msgs) == (10, False, [])
    complete, msgs = apply_progression([squat_block(add_reps=2, when="all_sets_complete")],
                                       store.plan_history("legs"))
    assert complete[(0, "squats")].reps == 12
    assert msgs == ["You completed every set of squats last time: 12 reps per set today."]


@pytest.mark.parametrize("done", [[10, 9, 10], [10, 10]])
def test_a_short_or_missing_set_keeps_the_target(store, done):
    record(store, 0, 10, done)
    targets, messages = apply_progression([squat_block()], store.plan_history("legs"))
    assert (targets[(0, "squats")].reps, messages) == (10, [])


def test_progress_carries_over_and_a_failed_session_keeps_it(store):
    record(store, 0, 10, [10, 10, 10])
    record(store, 2, 12, [12, 12, 12])
    assert apply_progression([squat_block()], store.plan_history("legs"))[0][(0, "squats")].reps == 14
    record(store, 4, 14, [14, 11, 9])
    t = apply_progression([squat_block()], store.plan_history("legs"))[0][(0, "squats")]
    assert (t.reps, t.changed) == (14, False)


def test_edited_plan_value_restarts_from_the_plan(store):
    record(store, 0, 12, [12, 12, 12], base=10)   # progressed once from a base of 10
    t = apply_progression([squat_block(reps=8)], store.plan_history("legs"))[0][(0, "squats")]
    assert (t.reps, t.changed) == (8, False)      # user lowered the plan to 8: the plan wins
    t = apply_progression([squat_block(reps=10)], store.plan_history("legs"))[0][(0, "squats")]
    assert (t.reps, t.changed) == (14, True)      # unchanged base: 12 + 2


def test_cap_and_sessions_in_a_row(store):
    record(store, 0, 19, [19, 19, 19])
    t = apply_progression([squat_block(add_reps=2, max_reps=20)], store.plan_history("legs"))[0][(0, "squats")]
    assert t.reps == 20
    record(store, 1, 20, [20, 20, 20])
    t = apply_progression([squat_block(add_reps=2, max_reps=20)], store.plan_history("legs"))[0][(0, "squats")]
    assert (t.reps, t.changed) == (20, False)
    # two in a row needed: only the last session is at 20, so no raise
    t, msgs = apply_progression([squat_block(add_reps=2, sessions=2)], store.plan_history("legs"))
    assert (t[(0, "squats")].reps, msgs) == (20, [])
    record(store, 2, 20, [20, 20, 20])
    t, msgs = apply_progression([squat_block(add_reps=2, sessions=2)], store.plan_history("legs"))
    assert t[(0, "squats")].reps == 22 and "2 clean sessions of squats in a row" in msgs[0]


def test_sessions_that_never_reached_the_block_are_skipped(store):
    record(store, 0, 10, [10, 10, 10])
    sid = store.start_session("legs", started_at=T0 + timedelta(days=1))
    store.end_session(sid, "quit", ended_at=T0 + timedelta(days=1, minutes=1))
    t = apply_progression([squat_block()], store.plan_history("legs"))[0][(0, "squats")]
    assert t.reps == 12


def test_timed_block_adds_seconds(store):
    record(store, 0, 0, [0, 0, 0], seconds=30.0, base=30.0)
    block = ProgressionBlock(0, "squats", 3, None, 30.0, ProgressionRule.from_dict({"add_seconds": 5}))
    targets, messages = apply_progression([block], store.plan_history("legs"))
    assert targets[(0, "squats")].seconds == 35.0 and targets[(0, "squats")].reps is None
    assert messages == ["Last time you nailed squats: 35 seconds per set today."]


def test_no_rule_or_no_history_returns_plan_values(store):
    plain = ProgressionBlock(1, "pushups", 3, 8, None, None)
    targets, messages = apply_progression([plain, squat_block()], [])
    assert targets[(1, "pushups")].reps == 8 and targets[(0, "squats")].reps == 10 and messages == []


def test_blocks_from_plan_accepts_dicts_and_objects():
    class Planned:  # like plan.PlannedSet, one per set
        def __init__(self, n):
            self.block_index, self.exercise, self.sets_total = 2, "lunges", 2
            self.reps, self.duration_s, self.set_number = 10, None, n
            self.progression = {"add_reps": 1}
    blocks = blocks_from_plan([Planned(1), Planned(2), {"block_index": 0, "exercise": "squats", "sets": 3,
                                                        "reps": 5}], rules={0: {"add_reps": 3}})
    assert [(b.block_index, b.exercise, b.sets, b.rule.add_reps) for b in blocks] == [(2, "lunges", 2, 1),
                                                                                      (0, "squats", 3, 3)]


@pytest.mark.parametrize("data, key, text", [
    ({"add_rep": 2}, "add_rep", "did you mean 'add_reps'"),
    ({"add_reps": 0}, "add_reps", "whole number"),
    ({"add_reps": 2, "when": "always"}, "when", "all_sets_clean"),
    ({"when": "all_sets_clean"}, None, "needs add_reps"),
    ("add 2", None, "mapping"),
])
def test_rule_errors_are_friendly(data, key, text):
    with pytest.raises(ProgressionRuleError) as err:
        ProgressionRule.from_dict(data)
    assert err.value.key == key and text in str(err.value)


def test_progress_plan_on_a_real_plan_round_trips_through_the_store(store):
    """The whole loop: plan -> targets -> saved session -> next start raises again."""
    from deepfit_coach.plan import loads_plan

    plan = loads_plan("name: legs\nblocks:\n  - exercise: squats\n    sets: 2\n    reps: 10\n"
                      "  - exercise: pushups\n    sets: 1\n    reps: 5\n")
    rules = {0: {"add_reps": 2}}
    expected = 10
    for day in range(3):
        today, messages, saved = progress_plan(plan, store.plan_history("legs"), rules)
        squat_sets = [s for s in today.sets if s.exercise == "squats"]
        assert [s.reps for s in squat_sets] == [expected, expected]
        assert [s.reps for s in today.sets if s.exercise == "pushups"] == [5]
        assert (saved[0].reps, saved[0].base_reps) == (expected, 10)
        assert bool(messages) == (day > 0)
        sid = store.start_session("legs", planned=saved, started_at=T0 + timedelta(days=day))
        for s in today.sets:
            set_id = store.start_set(sid, s.block_index, s.exercise, s.set_number, target_reps=s.reps,
                                     started_at=T0 + timedelta(days=day, minutes=s.set_number))
            store.end_set(set_id, s.reps, 0, ended_at=T0 + timedelta(days=day, minutes=s.set_number, seconds=30))
        store.end_session(sid, "complete", ended_at=T0 + timedelta(days=day, hours=1))
        expected += 2


def test_a_carried_target_is_the_one_trained(store):
    """A raised target stays when the next session does not qualify or the cap is reached: the plan
    to train has it, not the plan file's value (the coach trained 3 reps again while the history
    saved 5 as the target)."""
    from deepfit_coach.plan import loads_plan

    plan = loads_plan("name: legs\nblocks:\n  - exercise: squats\n    sets: 1\n    reps: 10\n")
    rules = {0: {"add_reps": 2, "max_reps": 12}}

    def trained(day: int, done: int) -> int:
        today, _, saved = progress_plan(plan, store.plan_history("legs"), rules)
        target = today.sets[0].reps
        assert saved[0].reps == target
        sid = store.start_session("legs", planned=saved, started_at=T0 + timedelta(days=day))
        set_id = store.start_set(sid, 0, "squats", 1, target_reps=target, started_at=T0 + timedelta(days=day, minutes=1))
        store.end_set(set_id, done, 0, ended_at=T0 + timedelta(days=day, minutes=2))
        store.end_session(sid, "complete", ended_at=T0 + timedelta(days=day, hours=1))
        return target

    assert trained(0, 10) == 10
    assert trained(1, 9) == 12     # raised; 9 of 12 done
    assert trained(2, 12) == 12    # not qualified last time: the raised target is kept
    assert trained(3, 12) == 12    # at the cap
    assert trained(4, 12) == 12


def test_timed_set_is_judged_on_active_time_not_wall_clock(store):
    """A replay at full speed ends a 30 s set after 2 wall-clock seconds: active_s decides."""
    block = ProgressionBlock(0, "squats", 1, None, 30.0, ProgressionRule.from_dict({"add_seconds": 5}))
    for active, expected in ((29.9, 35.0), (20.0, 30.0)):
        with HistoryStore.open(store.path.with_name(f"h{active}.db")) as s:
            sid = s.start_session("legs", started_at=T0)
            set_id = s.start_set(sid, 0, "squats", 1, target_seconds=30.0, started_at=T0)
            s.end_set(set_id, 0, 0, ended_at=T0 + timedelta(seconds=2), active_s=active)
            s.end_session(sid, "complete", ended_at=T0 + timedelta(seconds=3))
            targets, _ = apply_progression([block], s.plan_history("legs"))
        assert targets[(0, "squats")].seconds == expected
