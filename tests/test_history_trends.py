"""Weekly trends are a faithful regrouping of the sets: properties over random histories."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deepfit_coach.history.records import RepRecord, SessionRecord, SetRecord
from deepfit_coach.history.trends import compute_progress, iso_week

EXERCISES = ["squats", "pushups", "lunges"]
T0 = datetime(2026, 1, 5, 12, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def make_sessions(spec) -> list[SessionRecord]:
    sessions = []
    for sid, (day, sets) in enumerate(spec, 1):
        start = (T0 + timedelta(days=day)).isoformat()
        s = SessionRecord(sid, "p", None, None, start, start, "complete")
        for k, (ex, roms, faults) in enumerate(sets):
            reps = [RepRecord(i, i + 1, 0.0, 1.0, "both", rom, 0.5, 0.5, ["f"] * faults if i == 0 else [], False)
                    for i, rom in enumerate(roms)]
            s.sets.append(SetRecord(sid * 100 + k, sid, 0, ex, k + 1, 10, None, len(roms), 0, start, start, None,
                                    rep_list=reps))
        sessions.append(s)
    return sessions


history = st.lists(st.tuples(st.integers(0, 60), st.lists(st.tuples(
    st.sampled_from(EXERCISES), st.lists(st.floats(10, 170), max_size=12), st.integers(0, 2)), max_size=4)),
    max_size=8)


@settings(max_examples=60, deadline=None)
@given(history, st.sampled_from([None] + EXERCISES))
def test_weeks_and_totals_account_for_every_rep(spec, exercise):
    sessions = make_sessions(spec)
    p = compute_progress(sessions, exercise)
    picked = [t for s in sessions for t in s.sets if exercise is None or t.exercise == exercise]
    assert sum(w.reps for w in p.weeks) == sum(t.reps for t in picked) == sum(t.reps for t in p.totals)
    assert sum(w.sets for w in p.weeks) == len(picked)
    # consecutive weeks, no gaps, no duplicates
    mondays = [w.monday for w in p.weeks]
    assert all(b - a == timedelta(days=7) for a, b in zip(mondays, mondays[1:]))
    # ranges of different exercises (degrees, body lengths) are never averaged together
    one = exercise is not None or len({t.exercise for t in picked}) == 1
    for w in p.weeks:
        roms = [r.rom_deg for s in sessions if iso_week(s.started_at)[0] == w.week
                for t in s.sets if exercise is None or t.exercise == exercise for r in t.rep_list]
        if roms and one:
            assert w.avg_rom_deg == pytest.approx(sum(roms) / len(roms))
        else:
            assert w.avg_rom_deg is None
    n_faults = sum(len(r.issues) for t in picked for r in t.rep_list)
    assert (p.top_fault[1] if p.top_fault else 0) == n_faults


def test_iso_week_crosses_the_year_boundary():
    assert iso_week("2026-12-31T10:00:00+00:00")[0] == "2026-W53"
    assert iso_week("2027-01-04T10:00:00+00:00")[0] == "2027-W01"
    assert iso_week("2025-12-29T10:00:00+00:00")[0] == "2026-W01"
