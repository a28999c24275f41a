"""Rows facing the camera with a rounded back (dumbbell_rows.yaml `position`: torso < 110).

Facing the camera MediaPipe's 3D torso of a row's hinge reads 50-100 deg, and a rounded back, which
drops the shoulders, 100-107: past the old limit of 100 for much of the pull, so the rep was dropped as
out of position (fresh2 dumbbell_rows_front_0, seed 34500+ grid, 7 rows, the first and third rounded:
5 counted) and its rounded_back cue never said. Picking the weights up off the floor still counts nothing
(evalp20_tune rest_pick_up_weights: its bend reads up to 103 deg; what rejects it is the hinge's span in
`confirm`, not this limit: with none it counts nothing too)."""

from __future__ import annotations

from deepfit_coach.analysis import analyze_poses

from stored_poses import load, poses

DATA = load("rows_rounded_facing_poses.npz")


def test_rounded_back_rows_facing_the_camera_count():
    result = analyze_poses(poses(DATA, "rounded"), "dumbbell_rows")
    assert result.total_reps == 7
    first = result.segments[0].reps[0]
    assert first.start_s < 4.0 and "rounded_back" in first.issues


def test_picking_the_weights_up_is_no_row():
    assert analyze_poses(poses(DATA, "pickup"), "dumbbell_rows").total_reps == 0
