"""``deepfit-coach synth``: files written, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import cv2
import pytest


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deepfit_coach", "synth", *args], capture_output=True, text=True,
                          timeout=300)


def test_synth_writes_video_and_truth(tmp_path) -> None:
    out = tmp_path / "s.mp4"
    r = run("squat", "--reps", "2", "--fps", "8", "--size", "160x120", "--fault", "shallow", "-o", str(out))
    assert r.returncode == 0, r.stderr
    truth = json.loads((tmp_path / "s.truth.json").read_text())
    assert len(truth["reps"]) == 2 and all(rep["faults"] == ["shallow"] for rep in truth["reps"])
    cap = cv2.VideoCapture(str(out))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == truth["frame_count"]
    assert "squats 2" in r.stdout


def test_synth_workout(tmp_path) -> None:
    out = tmp_path / "w.mp4"
    # an alias, as `start` and `analyze --exercise` take them ("air squats" was an unknown exercise here)
    r = run("--workout", "air squats:2", "jumping_jacks:3", "--rest", "1", "--fps", "6", "--size", "128x96",
            "-o", str(out))
    assert r.returncode == 0, r.stderr
    truth = json.loads((tmp_path / "w.truth.json").read_text())
    assert [s["exercise"] for s in truth["sets"]] == ["squats", "jumping_jacks"]


def test_synth_workout_rest_kind(tmp_path) -> None:
    """--rest-kind sets a workout's rests (it was ignored: each rest drew its own kind)."""
    r = run("--workout", "squats:1", "lateral_shoulder_raises:1", "--rest", "3", "--rest-before", "2",
            "--rest-kind", "stretching", "--fps", "5", "--size", "96x72", "-o", str(tmp_path / "w.mp4"))
    assert r.returncode == 0, r.stderr
    truth = json.loads((tmp_path / "w.truth.json").read_text())
    assert truth["spec"]["rest_kinds"] == ["stretching"]
    first = truth["sets"][0]["start_frame"]
    between = range(truth["sets"][0]["end_frame"] + 1, truth["sets"][1]["start_frame"])
    activity = truth["frames"]["activity"]
    assert {activity[i] for i in range(first)} == {"stretching"}
    assert {activity[i] for i in between} == {"stretching"}


def test_synth_gallery(tmp_path) -> None:
    out = tmp_path / "g.png"
    r = run("--gallery", str(out))
    assert r.returncode == 0, r.stderr
    img = cv2.imread(str(out))
    assert img is not None and img.shape[0] > 500 and img.shape[1] > 500


@pytest.mark.parametrize("args,needle", [
    (["burpees", "-o", "x.mp4"], "unknown exercise"),
    (["squatz", "-o", "x.mp4"], "unknown exercise 'squatz' (did you mean 'squats'?); exercises: squats, lunges,"),
    (["squatz", "-o", "x.mp4"], "lateral_shoulder_raises; rest motions: standing, walk_in_place,"),
    (["--workout", "squatz:3", "-o", "x.mp4"], "(did you mean 'squats'?); exercises: squats,"),
    (["squats", "--fault", "hips_sag", "-o", "x.mp4"], "unknown fault 'hips_sag' for squats"),
    (["squats"], "-o out.mp4"),
    (["squats", "-o", "x.gif"], ".mp4 or .avi"),
    (["squats", "--size", "big", "-o", "x.mp4"], "--size must look like"),
    (["--workout", "squats:lots", "-o", "x.mp4"], "reps must be a number"),
])
def test_bad_input_is_one_line(tmp_path, args: list[str], needle: str) -> None:
    r = subprocess.run([sys.executable, "-m", "deepfit_coach", "synth", *args], capture_output=True, text=True,
                       cwd=tmp_path, timeout=120)
    assert r.returncode != 0
    lines = [ln for ln in r.stderr.strip().splitlines() if ln]
    assert len(lines) == 1 and needle in lines[0], r.stderr
    assert "Traceback" not in r.stderr
