"""3D body-frame features: the same movement gives the same numbers from any camera yaw,
in a mirrored video, and for a left- or right-arm set."""

from __future__ import annotations

import numpy as np

from deepfit_coach.classifier.body3d import NUM_BODY_FEATURES, body_features
from deepfit_coach.classifier.window import NUM_2D_WINDOW_FEATURES, window_features
from deepfit_coach.synth import ClipSpec, joints_only
from deepfit_coach.training.augment import mirror_world


def _world(yaw: float, side: str = "left") -> np.ndarray:
    spec = ClipSpec("bicep_curls", reps=2, side=side, view="front", yaw=yaw, pitch=0.0, seed=5, fps=10,
                    rest_before=0.5, rest_after=0.5)
    return joints_only(spec).joints_3d


def _window(world: np.ndarray) -> np.ndarray:
    t = np.arange(len(world)) / 10.0
    extras = np.concatenate([np.tile([100.0, 100.0, 200.0], (len(world), 1)), body_features(world)], axis=1)
    return window_features(np.zeros((len(world), 36)), extras, t)[NUM_2D_WINDOW_FEATURES:]


def test_body_features_do_not_depend_on_the_camera_yaw() -> None:
    front, side, back = body_features(_world(0.0)), body_features(_world(90.0)), body_features(_world(180.0))
    assert front.shape[-1] == NUM_BODY_FEATURES and front[:, -1].all()
    assert np.allclose(front, side, atol=0.02) and np.allclose(front, back, atol=0.02)
    assert front[:, 0].std() > 0.1          # the curling elbow's angle moves


def test_window_body_features_are_mirror_and_side_symmetric() -> None:
    w = _world(30.0)
    assert np.allclose(_window(w), _window(mirror_world(w)), atol=1e-4)
    right = _world(30.0, side="right")
    assert np.allclose(_window(w), _window(right), atol=0.05)


def test_missing_world_landmarks_give_zeros_and_a_flag() -> None:
    f = body_features(np.zeros((3, 33, 3)))
    assert np.all(f == 0)
