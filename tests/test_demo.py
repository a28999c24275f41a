"""`deepfit-coach demo --fast`: the camera-less first run, through the real pose model,
leaves a history entry with the right rep counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deepfit_coach", *args], capture_output=True, text=True,
                          env={**os.environ, "DEEPFIT_HOME": str(home), "COLUMNS": "120"}, timeout=600)


@pytest.mark.slow
def test_demo_fast_runs_and_saves_history(tmp_path: Path, pose_model_path: Path) -> None:
    from deepfit_coach.demo import demo_plan

    proc = _cli("demo", "--fast", "--pose-model", str(pose_model_path), home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Welcome to Demo workout" in proc.stdout        # the voice (printed)
    assert "complete" in proc.stdout                       # the summary

    sessions = json.loads(_cli("history", "--json", home=tmp_path).stdout)
    assert len(sessions) == 1 and sessions[0]["status"] == "complete"
    planned = [(s.exercise, s.reps) for s in demo_plan().sets]
    assert sessions[0]["reps"] == sum(r for _, r in planned)

    detail = json.loads(_cli("history", "show", str(sessions[0]["id"]), "--json", home=tmp_path).stdout)
    assert [(s["exercise"], s["reps"]) for s in detail["set_list"]] == planned
    # the rendered squats lean forward on their third rep: the form check saw it
    squats = detail["set_list"][0]["rep_list"]
    assert "torso_lean" in squats[2]["issues"]
    assert sum("torso_lean" in r["issues"] for r in squats) == 1


def test_demo_video_gives_the_coach_time_to_start_each_set() -> None:
    """The mannequin's first rep comes after the coach's own lead-in, whatever it says."""
    from deepfit_coach.coach.engine import CoachTiming
    from deepfit_coach.demo import DemoVideo, demo_plan, lead_in_s, workout_spec
    from deepfit_coach.synth import joints_only

    plan, video = demo_plan(), DemoVideo.choose(fast=True)
    for timing in (CoachTiming(), CoachTiming(intro_s=12.0)):
        truth = joints_only(workout_spec(plan, timing, video))
        lead = lead_in_s(plan, timing, video.fps)
        first = min(r.start_frame for r in truth.reps) / truth.fps
        assert lead < first < lead + 5.0
        assert len(truth.reps) == sum(s.reps for s in plan.sets)
