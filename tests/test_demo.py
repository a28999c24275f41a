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
