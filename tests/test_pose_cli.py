"""`deepfit-coach pose` through the real MediaPipe model on a rendered figure: landmarks
land where the figure's joints were drawn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from deepfit_coach.skeleton import LM

BODY_JOINTS = [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_ELBOW, LM.RIGHT_ELBOW, LM.LEFT_WRIST,
               LM.RIGHT_WRIST, LM.LEFT_HIP, LM.RIGHT_HIP, LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_ANKLE,
               LM.RIGHT_ANKLE]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory, pose_model_path: Path):
    from deepfit_coach.synth import ClipSpec, write_clip

    out = tmp_path_factory.mktemp("pose") / "squats.mp4"
    truth = write_clip(ClipSpec(exercise="squats", reps=1, view="45", seed=3, fps=15, width=480, height=360,
                                rest_before=0.4, rest_after=0.2), out)
    jsonl = out.with_suffix(".jsonl")
    proc = subprocess.run([sys.executable, "-m", "deepfit_coach", "pose", str(out), "-o", str(jsonl)],
                          capture_output=True, text=True, env={**os.environ, "DEEPFIT_POSE_MODEL": str(pose_model_path)},
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = jsonl.read_text().splitlines()
    return truth, json.loads(lines[0]), [json.loads(line) for line in lines[1:]], proc.stderr


def test_one_line_per_frame_with_header(recorded) -> None:
    truth, header, records, stderr = recorded
    assert header["deepfit_poses"] == 1 and header["fps"] == pytest.approx(15)
    assert len(records) == truth.frame_count
    assert [r["t_ms"] for r in records] == [truth.timestamp_ms(i) for i in range(truth.frame_count)]
    assert f"{truth.frame_count} frames" in stderr


def test_landmarks_land_on_the_drawn_joints(recorded) -> None:
    truth, _, records, _ = recorded
    found = [r for r in records if r.get("landmarks")]
    assert len(found) >= 0.95 * len(records)
    errors = []
    for r in found:
        w, h = r["size"]
        lm = np.array(r["landmarks"])[BODY_JOINTS, :2] * [w, h]
        gt = truth.joints_2d[r["frame"], BODY_JOINTS]
        errors.append(np.linalg.norm(lm - gt, axis=1) / truth.body_height_px[r["frame"]])
    errors = np.array(errors)
    assert np.median(errors) <= 0.04, f"median landmark error {np.median(errors):.3f} of body height"
    # every joint individually tracked, not only on average
    assert np.all(np.median(errors, axis=0) <= 0.08), np.median(errors, axis=0)
    world = np.array(found[0]["world"])
    hip_width = np.linalg.norm(world[LM.LEFT_HIP] - world[LM.RIGHT_HIP])
    assert 0.1 < hip_width < 0.5      # world landmarks are metres


def test_no_native_log_line_for_a_small_person(tmp_path: Path, pose_model_path: Path) -> None:
    """A person small in the picture made MediaPipe print "W0000 ... landmark_projection_calculator.cc:81]
    Using NORM_RECT without IMAGE_DIMENSIONS ..." mid-run (QA pass 7). tests/data/small_person.mp4: 3 s of a
    rendered shoulder press at 35% of the frame's height (seed 86, 480x360, 15 fps)."""
    video = Path(__file__).parent / "data" / "small_person.mp4"
    proc = subprocess.run([sys.executable, "-m", "deepfit_coach", "pose", str(video), "-o", str(tmp_path / "p.jsonl")],
                          capture_output=True, text=True, env={**os.environ, "DEEPFIT_POSE_MODEL": str(pose_model_path)},
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "person found in 38" in proc.stderr          # the person was found (so the landmarker ran on them)
    assert "W0000" not in proc.stderr and ".cc:" not in proc.stderr, proc.stderr
