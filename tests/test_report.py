"""Session report from a real history database: numbers, comparison and renderings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from deepfit_coach.events import RepInfo
from deepfit_coach.history import HistoryStore
from deepfit_coach.report import build_report, render_html, render_text, spoken_summary

T0 = datetime(2026, 5, 4, 18, tzinfo=timezone.utc)
PLAN = [{"block_index": 0, "exercise": "squats", "sets": 2, "reps": 5},
        {"block_index": 1, "exercise": "pushups", "sets": 2, "reps": 4}]


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPFIT_HOME", str(tmp_path))
    with HistoryStore.open() as s:
        yield s


def session(store, day, done: dict[tuple[int, int], int], rep_s=1.5, faults=(), status="complete", rest=30.0):
    """done[(block, set_number)] = reps; faults: (block, set_number, rule) form events."""
    start = T0 + timedelta(days=day)
    sid = store.start_session("Push & squat", planned=PLAN, started_at=start)
    t = start
    for (bi, n), reps in done.items():
        ex, target = PLAN[bi]["exercise"], PLAN[bi]["reps"]
        t += timedelta(minutes=1)
        set_id = store.start_set(sid, bi, ex, n, target_reps=target, started_at=t)
        for i in range(reps):
            store.add_rep(set_id, RepInfo(i + 1, 3.0 * i, 3.0 * i + rep_s, "both", 90.0 + 2 * i, 0.7, 0.8))
        for fb, fn, rule in faults:
            if (fb, fn) == (bi, n):
                store.add_form_event(set_id, 1.0, rule, "cue", "safety")
        store.end_set(set_id, reps, 0, rest_s=rest, ended_at=t + timedelta(seconds=20))
    store.end_session(sid, status, ended_at=t + timedelta(minutes=1))
    return sid


def test_planned_vs_done_tension_rest_and_faults(store):
    done = {(0, 1): 5, (0, 2): 3, (1, 1): 4}          # second push-up set never started
    faults = [(0, 2, "knees_in"), (0, 2, "knees_in"), (1, 1, "hips_sag")]
    sid = session(store, 0, done, rep_s=1.5, faults=faults, status="quit", rest=40.0)
    r = build_report(store, sid)
    squats, pushups = r.exercises
    assert (squats.exercise, squats.sets_done, squats.sets_planned) == ("squats", 2, 2)
    assert (squats.reps_done, squats.reps_planned, squats.set_reps) == (8, 10, [5, 3])
    assert (pushups.sets_done, pushups.sets_planned, pushups.reps_done, pushups.reps_planned) == (1, 2, 4, 8)
    assert squats.time_under_tension_s == pytest.approx(8 * 1.5)
    assert r.time_under_tension_s == pytest.approx(12 * 1.5)
    assert r.rest_s == pytest.approx(3 * 40.0)
    assert dict(squats.issues) == {"knees_in": 2} and dict(r.issues) == {"knees_in": 2, "hips_sag": 1}
    assert squats.avg_rom_deg == pytest.approx((90 + 92 + 94 + 96 + 98 + 90 + 92 + 94) / 8)
    assert (r.total_reps, r.planned_reps, r.previous) == (12, 18, None)

    text = render_text(r)
    assert "squats: sets 2 / 2, reps 8 / 10 (5/5, 3/5)" in text
    assert "pushups: sets 1 / 2, reps 4 / 8" in text
    assert "Form issues: knees in ×2, hips sag ×1" in text
    assert "quit" in text.splitlines()[0]
    assert spoken_summary(r).startswith("Workout done: 12 of 18 reps.")
    assert "knees in" in spoken_summary(r)


def test_comparison_with_the_last_session_of_the_same_plan(store):
    first = session(store, 0, {(0, 1): 5, (0, 2): 3, (1, 1): 4, (1, 2): 2}, faults=[(0, 2, "knees_in")] * 3)
    other = store.start_session("Another plan", started_at=T0 + timedelta(days=1))
    store.end_session(other, "complete", ended_at=T0 + timedelta(days=1, minutes=5))
    second = session(store, 2, {(0, 1): 5, (0, 2): 5, (1, 1): 4, (1, 2): 4}, faults=[(1, 1, "hips_sag")])
    r = build_report(store, second)
    assert r.previous is not None and r.previous.previous_id == first
    assert r.previous.reps_delta == 18 - 14
    assert r.previous.exercise_reps_delta == {"squats": 2, "pushups": 2}
    assert r.previous.issues_delta == 1 - 3
    assert r.previous.tut_delta_s == pytest.approx(4 * 1.5)
    assert f"vs session {first}" in render_text(r) and "2 fewer form issues" in render_text(r)
    assert "4 more reps than last time" in spoken_summary(r)
    assert build_report(store, first).previous is None


def test_crashed_session_reports_what_was_saved(store):
    sid = store.start_session("Push & squat", planned=PLAN)
    set_id = store.start_set(sid, 0, "squats", 1, target_reps=5)
    for i in range(3):
        store.add_rep(set_id, RepInfo(i + 1, 2.0 * i, 2.0 * i + 1.0, "both", 90, 0.5, 0.5))
    r = build_report(store, sid)  # never ended: report from running counts
    assert r.exercises[0].reps_done == 3 and r.total_reps == 3 and r.planned_reps == 18


def test_html_report_is_a_page_with_the_numbers(store):
    sid = session(store, 0, {(0, 1): 5, (0, 2): 4}, faults=[(0, 2, "knees_in")])
    html = render_html(build_report(store, sid))
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "9 / 10" in html and "knees in" in html and "Push &amp; squat" in html


def test_faults_count_reps_not_cues(store):
    """A cue spoken once for three faulty reps counts three; a cue no rep carries counts once."""
    sid = store.start_session("Push & squat", planned=PLAN)
    set_id = store.start_set(sid, 0, "squats", 1, target_reps=5)
    for i, issues in enumerate([["knees_in"], ["knees_in"], [], ["knees_in", "shallow"], []]):
        store.add_rep(set_id, RepInfo(i + 1, 2.0 * i, 2.0 * i + 1, "both", 90, 0.5, 0.5, issues))
    store.add_form_event(set_id, 1.0, "knees_in", "Push your knees out", "safety")
    store.add_form_event(set_id, 4.0, "knees_in", "Better!", "safety", corrected=True)
    store.add_form_event(set_id, 9.5, "heels_up", "Keep your heels down", "tip")
    store.add_form_event(set_id, 9.9, "lean", "Chest up", "tip", corrected=True)
    store.end_set(set_id, 5, 0)
    store.end_session(sid, "complete")
    r = build_report(store, sid)
    assert dict(r.issues) == {"knees_in": 3, "shallow": 1, "heels_up": 1}


def test_timed_sets_report_time_against_plan(store):
    sid = store.start_session("Jacks", planned=[{"block_index": 0, "exercise": "jumping_jacks", "sets": 2,
                                                  "seconds": 30.0, "base_seconds": 30.0}])
    for n, active in ((1, 30.0), (2, 24.0)):
        set_id = store.start_set(sid, 0, "jumping_jacks", n, target_seconds=30.0)
        for i in range(10):
            store.add_rep(set_id, RepInfo(i + 1, 1.5 * i, 1.5 * i + 1.0, "both", 120, 0.5, 0.5))
        store.end_set(set_id, 10, 0, active_s=active)
    store.end_session(sid, "complete")
    r = build_report(store, sid)
    (jacks,) = r.exercises
    assert jacks.timed and jacks.seconds_done == pytest.approx(54.0) and jacks.seconds_planned == 60.0
    assert "time 0:54 / 1:00 (20 reps)" in render_text(r)


def test_reps_of_timed_sets_are_not_set_against_the_planned_reps(store):
    """A circuit of squats (4 reps, twice) and 12-s jumping jacks: "8 of 8 reps (+13 in timed sets)",
    not "21 of 8 reps"."""
    plan = [{"block_index": 0, "exercise": "squats", "sets": 2, "reps": 4},
            {"block_index": 1, "exercise": "jumping_jacks", "sets": 2, "seconds": 12.0}]
    sid = store.start_session("Circuit", planned=plan, started_at=T0)
    for k, (bi, ex, reps, target) in enumerate([(0, "squats", 4, 4), (1, "jumping_jacks", 7, None),
                                                 (0, "squats", 4, 4), (1, "jumping_jacks", 6, None)]):
        t = T0 + timedelta(minutes=k + 1)
        set_id = store.start_set(sid, bi, ex, k // 2 + 1, target_reps=target,
                                 target_seconds=None if target else 12.0, started_at=t)
        for i in range(reps):
            store.add_rep(set_id, RepInfo(i + 1, 1.5 * i, 1.5 * i + 1.2, "both", 90.0, 0.6, 0.6))
        store.end_set(set_id, reps, 0, ended_at=t + timedelta(seconds=15), active_s=12.0)
    store.end_session(sid, "complete", ended_at=T0 + timedelta(minutes=6))
    r = build_report(store, sid)
    assert (r.total_reps, r.timed_reps, r.planned_reps) == (21, 13, 8)
    assert "Total: 8 of 8 reps (+13 in timed sets) · " in render_text(r)
    assert spoken_summary(r).startswith("Workout done: 8 of 8 reps (+13 in timed sets).")


def test_a_change_under_half_a_second_of_tension_is_no_change():
    from deepfit_coach.report import Comparison, _comparison_line

    line = _comparison_line(Comparison(3, "2026-05-04T18:00:00+00:00", 0, -0.4, 0, {}))
    assert "-0 s" not in line and "same time under tension" in line
    assert "+6 s under tension" in _comparison_line(Comparison(3, "2026-05-04T18:00:00+00:00", 4, 6.0, 0, {}))


def test_the_comparison_line_counts_one_as_one():
    """QA pass 4: '+1 reps', '1 more form issues'."""
    from deepfit_coach.report import Comparison, _comparison_line

    line = _comparison_line(Comparison(3, "2026-05-04T18:00:00+00:00", 1, 0.0, 1, {}))
    assert "+1 rep," in line and "1 more form issue" in line and "issues" not in line
    line = _comparison_line(Comparison(3, "2026-05-04T18:00:00+00:00", -2, 0.0, -3, {}))
    assert "-2 reps," in line and "3 fewer form issues" in line
