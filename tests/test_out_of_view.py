"""A clip filmed too close to count its exercise says why (``analyze``'s summary): stored
pose-model output of rendered upper-body clips (phone propped close, legs and hips out of
the picture; benchmarks/robustness.py upper_curls and upper_press, first 14 s at 15 fps)."""

from __future__ import annotations

from click.testing import CliRunner

import stored_poses
from deepfit_coach.cli import cli
from deepfit_coach.coach.visibility import describe_missing, out_of_view
from deepfit_coach.exercises import load_catalogue
from deepfit_coach.posefile import PoseWriter

DATA = "upper_body_poses.npz"


def _replay_file(tmp_path, name: str, keep=lambda i: True):
    sk, ts = stored_poses.clip(stored_poses.load(DATA), name)
    path = tmp_path / f"{name}.poses.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        w = PoseWriter(f, name, stored_poses.FPS)
        for k, (s, t) in enumerate(zip(sk, ts)):
            w.write(int(round(t * 1000)), k, s if keep(k) else None)
    return path


def test_legs_out_of_the_picture_are_named_when_nothing_is_counted(tmp_path):
    press = _replay_file(tmp_path, "press")
    out = CliRunner().invoke(cli, ["analyze", f"replay:{press}", "-e", "squats"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "No squats counted: I could not see your legs" in out.output
    assert "whole body in view" in out.output       # the exercise's own camera advice
    # --json stays the one object
    out = CliRunner().invoke(cli, ["analyze", f"replay:{press}", "-e", "squats", "--json"])
    assert out.output.strip().startswith("{") and "could not see" not in out.output


def test_nothing_is_said_when_the_parts_were_in_view():
    cat = load_catalogue()
    poses = stored_poses.poses(stored_poses.load(DATA), "curls")
    share, parts = out_of_view(poses.skeletons, poses.times, 0.0, 99.0, cat.get("squats").required)
    assert share > 0.9 and parts == ["knee"] and describe_missing(parts) == "your legs"
    share, parts = out_of_view(poses.skeletons, poses.times, 0.0, 99.0, ("{side}_arm",))
    assert share < 0.1 and parts == []


def test_a_video_without_a_person_says_so(tmp_path):
    empty = _replay_file(tmp_path, "press", keep=lambda i: i < 10)
    out = CliRunner().invoke(cli, ["analyze", f"replay:{empty}"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "no reps counted" in out.output and "could not find a person in most of the video" in out.output
