"""A set that stops short of its target: the coach says how many are left, then ends the set with the reps
done (hands-free: nobody has to walk to the keyboard); a set spent on another exercise ends too (QA pass 7)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from coach_helpers import standing
from test_coach_engine import make, run, said

from deepfit_coach.coach import events as ev


def _completed(events, exercise="squats"):
    return [(round(e.t_s, 1), e.result.reps) for e in events
            if isinstance(e, ev.SetCompleted) and e.result.planned.exercise == exercise]


def test_stopped_short_is_nudged_then_ended_with_the_reps_done():
    coach, _ = make(rep_times={"squats": [15, 16, 80, 81, 82, 83], "pushups": []})
    events = run(coach, lambda t: (standing(t), None))
    nudges = [e for e in events if isinstance(e, ev.Nudge)]
    assert [(round(e.t_s), e.left) for e in nudges] == [(28, 2)]
    assert "2 more to finish the set. You can do it!" in said(events)
    # 40 s in view without a rep after the second: the set ends with 2, and the workout goes on
    first, second = _completed(events)
    assert first == (pytest.approx(56.0, abs=0.2), 2)
    assert "No more reps for a while, so that's the set: 2 reps." in said(events)
    assert second[1] == 4 and coach.done


def test_time_out_of_view_is_no_stall():
    """Stepped away (the set pauses): the clock of the stall runs only while the person is seen."""
    coach, _ = make(rep_times={"squats": [15, 16, 70, 71, 72, 73], "pushups": []})
    events = run(coach, lambda t: (None if 20 <= t < 50 else standing(t), None))
    assert _completed(events)[0][1] == 4          # reps at 70-71 still in the first set
    # 4 s seen after the rep at 16, 30 s away, back at 50.5: the nudge 8 s later
    assert [round(e.t_s) for e in events if isinstance(e, ev.Nudge)][0] == 58


def test_a_set_spent_on_another_exercise_ends_after_a_reminder():
    """Plan squats, the person does lunges: not the camera advice ("Stand side-on to the camera"), which
    moved a correctly placed person, but what the set is; then the set ends without a rep."""
    coach, _ = make(plan_text="name: T\nblocks:\n  - {exercise: squats, sets: 1, reps: 8}\n", rep_times={"squats": []})
    lunges = SimpleNamespace(label="lunges", confidence=0.95)
    events = run(coach, lambda t: (standing(t), lunges if t >= 13 else None))
    text = said(events)
    assert sum(s.startswith("You seem to be doing lunges, not squats") for s in text) == 1
    assert "This set is squats. I'll count when you do squats." in text
    assert not any(s.startswith("I haven't counted a rep yet") for s in text)
    mismatch = next(e.t_s for e in events if isinstance(e, ev.ExerciseMismatch))
    ended = _completed(events)[0]
    assert ended[1] == 0 and ended[0] == pytest.approx(mismatch + 20.0, abs=0.3)
    assert "That wasn't squats, so I've ended this set." in text


def test_a_pause_does_not_run_the_other_exercises_clock():
    """Paused 40 s in a set spent on lunges: the set ended on the first frame after resuming (review 41)."""
    coach, _ = make(plan_text="name: T\nblocks:\n  - {exercise: squats, sets: 1, reps: 8}\n", rep_times={"squats": []})
    lunges = SimpleNamespace(label="lunges", confidence=0.95)
    out, t = [], 0.0
    while not coach.done and t < 200:
        if abs(t - 22.0) < 1e-6:
            out += coach.command("pause", t)
        if abs(t - 62.0) < 1e-6:
            out += coach.command("resume", t)
        out += coach.update(standing(t), t, lunges if t >= 13 else None)
        t = round(t + 0.1, 6)
    mismatch = next(e.t_s for e in out if isinstance(e, ev.ExerciseMismatch))
    ended = _completed(out)[0][0]
    assert ended == pytest.approx(mismatch + 20.0 + 40.0, abs=0.5)


def test_no_rep_at_all_keeps_waiting_with_the_camera_advice():
    """Nothing counted and nothing else recognised: the camera may not see the movement; the set waits."""
    coach, _ = make(rep_times={"squats": [], "pushups": []})
    events = run(coach, lambda t: (standing(t), None))
    assert "I haven't counted a rep yet. Stand side-on to the camera." in said(events)
    assert not _completed(events) and not any(isinstance(e, ev.Nudge) for e in events)


def test_a_timed_set_is_never_nudged():
    plan = "name: T\nblocks:\n  - {exercise: squats, sets: 1, duration: 60}\n"
    coach, _ = make(plan_text=plan, rep_times={"squats": [15, 16]})
    events = run(coach, lambda t: (standing(t), None))
    assert not any(isinstance(e, ev.Nudge) for e in events) and coach.done


def _saved_with_history(tmp_path, monkeypatch, capsys, coach, frames):
    """Run ``coach`` with its events saved in a real history database; ``history show`` of the session."""
    from conftest import run_cli

    from deepfit_coach.coach.history_sink import HistorySink
    from deepfit_coach.history import HistoryStore

    monkeypatch.setenv("DEEPFIT_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    with HistoryStore.open() as store:
        sink = HistorySink(store, coach.plan)
        out, t = [], 0.0
        while not coach.done and t < 400:
            skel, dec = frames(t)
            events = coach.update(skel, t, dec)
            sink(events)
            out += events
            t = round(t + 0.1, 6)
        sets = store.get_session(sink.session_id).sets
    code, shown, _ = run_cli(["history", "show", str(sink.session_id)], capsys)
    assert code == 0
    return out, sets, shown


def test_the_history_says_the_coach_ended_a_stalled_set(tmp_path, monkeypatch, capsys):
    """Saved as ended by the coach, not as a set that ran its course (left out at stop 41)."""
    coach, _ = make(rep_times={"squats": [15, 16, 80, 81, 82, 83], "pushups": []})
    _, sets, shown = _saved_with_history(tmp_path, monkeypatch, capsys, coach, lambda t: (standing(t), None))
    assert [(s.reps, s.outcome) for s in sets if s.exercise == "squats"] == [(2, "stalled"), (4, None)]
    assert "2 of 4 reps (ended by the coach: no more reps came)" in shown
    assert shown.count("ended by the coach") == 1


def test_the_history_says_the_coach_ended_a_set_of_another_exercise(tmp_path, monkeypatch, capsys):
    coach, _ = make(plan_text="name: T\nblocks:\n  - {exercise: squats, sets: 1, reps: 8}\n", rep_times={"squats": []})
    lunges = SimpleNamespace(label="lunges", confidence=0.95)
    events, sets, shown = _saved_with_history(tmp_path, monkeypatch, capsys, coach,
                                              lambda t: (standing(t), lunges if t >= 13 else None))
    assert [(s.reps, s.outcome) for s in sets] == [(0, "other_exercise")]
    assert "(ended by the coach: another exercise was done)" in shown
    summary = next(e.summary for e in events if isinstance(e, ev.WorkoutCompleted))
    from deepfit_coach.coach.session import print_summary
    import io
    buf = io.StringIO()
    print_summary(summary, buf)
    assert "another exercise was done" in buf.getvalue()
