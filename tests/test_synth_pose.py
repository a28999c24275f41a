"""The rendered mannequin through the real pose model: MediaPipe must find it where the
truth says it is (a few short low-res clips; the full grid is benchmarks/synth_grid.py)."""

from __future__ import annotations

import numpy as np
import pytest

from deepfit_coach.synth import ClipSpec
from deepfit_coach.synth.evaluate import check_pose

CASES = [  # (exercise, view, min detection); seeds are not the benchmark's held-out ones
    ("squats", "side", 0.95),
    ("bicep_curls", "front", 0.95),
    ("jumping_jacks", "45", 0.95),
    ("pushups", "side", 0.90),
    ("situps", "front", 0.90),
]


@pytest.mark.slow
@pytest.mark.parametrize("exercise,view,min_rate", CASES)
def test_pose_model_tracks_the_mannequin(pose_model_path, exercise: str, view: str, min_rate: float) -> None:
    from deepfit_coach.pose import PoseEstimator

    spec = ClipSpec(exercise, reps=1, view=view, seed=21, fps=6, width=320, height=240, rest_before=0.4,
                    rest_after=0.2)
    with PoseEstimator(model_path=pose_model_path, progress=False) as est:
        r = check_pose(spec, est)
    assert r.frames >= 12
    assert r.detection_rate >= min_rate, f"{exercise}/{view}: detected {r.detection_rate:.0%}"
    assert r.median_error <= 0.04, f"{exercise}/{view}: median landmark error {r.median_error:.3f} of body height"


@pytest.mark.slow
def test_error_metric_catches_a_wrong_truth(pose_model_path) -> None:
    """The check can fail: shifting the truth by a tenth of the body height blows the error up."""
    from deepfit_coach.pose import PoseEstimator
    from deepfit_coach.synth import plan

    p = plan(ClipSpec("squats", reps=1, seed=21, fps=4, width=320, height=240, rest_before=0.2, rest_after=0.0))
    p.truth.joints_2d = p.truth.joints_2d + np.array([0.0, 0.1]) * p.truth.body_height_px[:, None, None]
    from deepfit_coach.synth.clip import FrameDrawer

    d = FrameDrawer(plan(p.spec))
    frames = [d.draw(i) for i in range(p.truth.frame_count)]
    with PoseEstimator(model_path=pose_model_path, progress=False) as est:
        r = check_pose(p, est, frames=frames)
    assert r.median_error > 0.08
