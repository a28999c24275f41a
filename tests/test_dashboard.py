"""Dashboard rendered into fixed-size Rich consoles: what it shows in each phase."""

from __future__ import annotations

import io

from coach_helpers import ScriptedTracker, small_catalogue, standing
from rich.console import Console

from deepfit_coach.coach import Coach, CoachTiming
from deepfit_coach.dashboard import LogReporter, View, render
from deepfit_coach.plan import loads_plan
from deepfit_coach.term_skeleton import render_skeleton

PLAN = """
name: Leg day
countdown: 0
blocks:
  - exercise: squats
    sets: 2
    reps: 10
    rest: 30
"""


def screen(view: View, width=100, height=24) -> str:
    console = Console(file=io.StringIO(), width=width, height=height, force_terminal=False, color_system=None)
    console.print(render(view, width, height))
    return console.file.getvalue()


def coach_at(t_end: float, reps=(9.2, 9.7, 10.2)):
    """The coach after ``t_end`` s of standing, with reps at ``reps`` s ("Go!" comes at 8.9 s, after the
    spoken welcome and announcement; a rep before it would be a warm-up the set does not count)."""
    plan = loads_plan(PLAN, "p.yaml", small_catalogue())
    coach = Coach(plan, lambda s: ScriptedTracker(s.exercise, list(reps)), CoachTiming(intro_s=2, announce_s=2))
    t = 0.0
    while t <= t_end:
        coach.update(standing(t), t, type("D", (), {"label": "squats", "confidence": 0.91})())
        t = round(t + 0.1, 3)
    return coach


def test_active_set_shows_exercise_set_reps_and_recognition():
    coach = coach_at(10.5)
    out = screen(View(coach.status(), standing(10.0), fps=29.7, visibility=0.97, said=["3"]))
    lines = out.splitlines()
    assert len(lines) == 24 and all(len(line) <= 100 for line in lines)
    assert "deepfit-coach · Go" in out
    assert "Leg day" in out and "Squats" in out
    assert "1/2" in out            # set 1 of 2
    assert "3/10" in out           # reps 3 of 10
    assert "squats (91%)" in out
    assert "97% visible" in out and "29.7 fps" in out
    assert "» 3" in out
    assert any(ch in out for ch in "⠁⠂⠄⡀⢀⠈⠐⠠")   # braille skeleton drawn


def test_rest_shows_countdown_and_next():
    plan = loads_plan(PLAN, "p.yaml", small_catalogue())
    reps = [6 + 0.5 * i for i in range(10)]
    coach = Coach(plan, lambda s: ScriptedTracker(s.exercise, list(reps)), CoachTiming(intro_s=2, announce_s=2))
    t = 0.0
    while coach.phase is None or coach.phase.value != "rest" or coach.status().rest_left_s > 21.5:
        coach.update(standing(t), t)
        t = round(t + 0.1, 3)
    out = screen(View(coach.status(), None))
    assert "deepfit-coach · Rest" in out
    assert "0:21 left" in out or "0:22 left" in out
    assert "Squats (set 2/2)" in out
    assert "10/10" in out


def test_narrow_terminal_and_warnings():
    coach = coach_at(10.5)
    st = coach.status()
    st.warnings = ["Knees out"]
    st.out_of_view = True
    out = screen(View(st, standing(10.0)), width=60, height=20)
    assert all(len(line) <= 60 for line in out.splitlines())
    assert "Out of view" in out and "Knees out" in out


def test_braille_skeleton_keeps_shape():
    lines = render_skeleton(standing(0), 20, 10)
    assert len(lines) == 10 and all(len(x) == 20 for x in lines)
    # a vertical standing figure: dots in the middle columns only
    cols = {i for line in lines for i, ch in enumerate(line) if ch != " "}
    assert cols and min(cols) >= 7 and max(cols) <= 12
    assert render_skeleton(None, 5, 2) == ["     ", "     "]


def test_log_reporter_plain_lines():
    coach = coach_at(12.0, reps=(9.2, 10.2))
    buf = io.StringIO()
    rep = LogReporter(buf)
    rep(coach.finish(12.0))
    text = buf.getvalue()
    assert "set complete: squats 1/2: 2 reps (stopped)" in text
    assert "summary: 2 reps" in text


def test_log_reporter_says_one_rep_and_one_set():
    from dataclasses import replace

    from deepfit_coach.coach import events as ev

    done = coach_at(12.0).finish(12.0)
    result = replace(next(e.result for e in done if isinstance(e, ev.SetCompleted)), reps=1)
    summary = ev.WorkoutSummary("Leg day", [result], 12.0, False)
    lines = [LogReporter.line(ev.SetCompleted(12.0, result)), LogReporter.line(ev.WorkoutCompleted(12.0, summary))]
    assert lines == ["set complete: squats 1/2: 1 rep (stopped)", "summary: 1 rep, 1 set, 0:12"]


def test_live_dashboard_refreshes_about_ten_times_a_second_without_frames():
    import time

    from deepfit_coach.dashboard import Dashboard

    coach = coach_at(10.5)
    view = View(coach.status(), standing(10.0))
    console = Console(file=io.StringIO(), width=100, height=30, force_terminal=True)
    with Dashboard(lambda: view, console=console, hz=10) as dash:
        time.sleep(1.05)          # the "camera" delivers nothing meanwhile
    assert 6 <= dash.renders <= 16
    assert "deepfit-coach" in console.file.getvalue()


def test_a_long_spoken_line_is_folded_not_cut():
    """The announcement's camera advice comes last and was cut: "... about 3 metres away, with your who"."""
    said = ["Squats: 1 set of 5 reps. Stand at 45 degrees to the camera, about 3 metres away, with your whole "
            "body in view.", "3"]
    for width, height in ((100, 26), (80, 24)):
        out = screen(View(coach_at(10.5).status(), standing(10.0), said=said), width, height)
        lines = out.splitlines()
        assert len(lines) == height and all(len(line) <= width for line in lines)
        assert "whole body in view." in " ".join(line.strip("│ ") for line in lines)
        assert "» 3" in out and "space pause" in out
