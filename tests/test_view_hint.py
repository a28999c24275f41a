"""The coach asks to turn when an exercise is filmed from a view it is counted badly from
(catalogue ``poor_views``): head-on push-ups (MediaPipe loses or misplaces the body) and rows.
Stored pose-model output of rendered clips (no pose model run here)."""

from __future__ import annotations

import copy

import pytest

import stored_poses
from deepfit_coach.coach import Coach, CoachTiming
from deepfit_coach.coach import events as cev
from deepfit_coach.coach.session import tracker_factory
from deepfit_coach.coach.visibility import HEAD_ON_ABOVE, facing_ratio, poor_view
from deepfit_coach.exercises import load_catalogue
from deepfit_coach.exercises.catalogue import parse_exercise
from deepfit_coach.plan import loads_plan


def _plan(exercise: str, sets: int = 1) -> str:
    return f"""
name: View
countdown: 0
blocks:
  - exercise: {exercise}
    sets: {sets}
    reps: 30
    rest: 1
"""


def _run(exercise: str, frames, times, sets: int = 1) -> list[cev.CoachEvent]:
    """The frames through the coach (standing on the first seen frame through intro and
    announce), once per set (the 30-rep sets are skipped after each pass)."""
    plan = loads_plan(_plan(exercise, sets))
    coach = Coach(plan, tracker_factory(plan), CoachTiming(intro_s=0.5, announce_s=0.5))
    first = next(s for s in frames if s is not None)
    events: list[cev.CoachEvent] = []
    t = 0.0
    for _ in range(sets):
        while not any(isinstance(e, cev.SetStarted) for e in events[-20:]):
            assert t < 120
            still = copy.copy(first)
            still.timestamp_ms = int(t * 1000)
            events += coach.update(still, t)
            t = round(t + 0.1, 3)
        t0 = t
        for s, ts in zip(frames, times):
            t = round(t0 + ts - times[0], 3)
            if s is not None:
                s = copy.copy(s)
                s.timestamp_ms = int(t * 1000)
            events += coach.update(s, t)
        events += coach.command("skip", t)
        t = round(t + 0.1, 3)
    events += coach.finish(t)
    return events


def test_head_on_pushups_get_the_camera_advice_once():
    sk, ts = stored_poses.clip(stored_poses.load("auto_pick_poses.npz"), "pushups")
    events = _run("pushups", sk, ts, sets=2)
    hints = [e for e in events if isinstance(e, cev.WrongView)]
    assert len(hints) == 1, "said once per exercise, not every set"
    assert hints[0].ratio > HEAD_ON_ABOVE and "side-on" in hints[0].say.text


def test_side_on_pushups_and_squats_facing_the_camera_get_none():
    side, ts = stored_poses.clip(stored_poses.load("arm_counting_poses.npz"), "push_half")
    assert not [e for e in _run("pushups", side, ts) if isinstance(e, cev.WrongView)]
    # squats name no poor view (they count well facing the camera, whose bottom reads ~0.9)
    squats, ts = stored_poses.clip(stored_poses.load("squats_poses.npz"), "shallow")
    assert not [e for e in _run("squats", squats, ts) if isinstance(e, cev.WrongView)]


def test_head_on_rows_are_seen_as_such():
    sk, _ = stored_poses.clip(stored_poses.load("arm_counting_poses.npz"), "rows_setup")
    ratios = [r for r in (facing_ratio(s) for s in sk) if r is not None]
    assert poor_view(load_catalogue().get("dumbbell_rows").poor_views, sorted(ratios)[len(ratios) // 2])


def test_poor_views_are_validated():
    doc = {"name": "wall_taps", "poor_views": ["head_onn"],
           "signals": {"knee": {"angle": ["{side}_hip", "{side}_knee", "{side}_ankle"]}},
           "counting": {"signal": "knee", "start": 170, "turn": 90, "start_gate": 150, "turn_gate": 110,
                        "min_rom": 40, "rep_duration": [0.5, 8]}}
    with pytest.raises(Exception) as err:
        parse_exercise(doc)
    assert "head_onn" in str(err.value) and "head_on" in str(err.value)


def _replay_file(tmp_path, npz: str, name: str):
    from deepfit_coach.posefile import PoseWriter

    sk, ts = stored_poses.clip(stored_poses.load(npz), name)
    path = tmp_path / f"{name}.poses.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        w = PoseWriter(f, name, stored_poses.FPS)
        for k, (s, t) in enumerate(zip(sk, ts)):
            w.write(int(round(t * 1000)), k, s)
    return path


def test_analyze_says_when_the_clip_is_filmed_from_a_poor_view(tmp_path):
    from click.testing import CliRunner

    from deepfit_coach.cli import cli

    head_on = _replay_file(tmp_path, "auto_pick_poses.npz", "pushups")
    side_on = _replay_file(tmp_path, "arm_counting_poses.npz", "push_half")
    runner = CliRunner()
    out = runner.invoke(cli, ["analyze", f"replay:{head_on}", "-e", "pushups"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "counted badly from" in out.output and "side-on" in out.output
    out = runner.invoke(cli, ["analyze", f"replay:{side_on}", "-e", "pushups"], env={"COLUMNS": "200"})
    assert out.exit_code == 0 and "counted badly from" not in out.output
    # --json stays exactly the object
    out = runner.invoke(cli, ["analyze", f"replay:{head_on}", "-e", "pushups", "--json"])
    assert "counted badly" not in out.output and out.output.strip().startswith("{")
