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


def _arm(exercise: str, yaw: float) -> np.ndarray:
    """Arm features at the end of a synth set seen from ``yaw`` (exact joints, world and 2D)."""
    from deepfit_coach.classifier.window import NUM_ARM_FEATURES, frame_features, long_features
    from deepfit_coach.training.dataset import truth_landmarks

    spec = ClipSpec(exercise, reps=3, side="both", view="front", yaw=yaw, pitch=5.0, seed=7, fps=10,
                    rest_before=0.3, rest_after=0.3, tempo=1.0)
    truth = joints_only(spec)
    f, e = frame_features(truth_landmarks(truth), truth.width, truth.height, truth.joints_3d)
    t = np.arange(len(f)) / truth.fps
    return long_features(f, e, t, np.ones(len(t), bool), t[-6:-5])[0, -NUM_ARM_FEATURES:]


def test_arm_features_tell_which_joint_moves_from_any_view() -> None:
    for yaw in (0.0, 45.0, 90.0):
        curl, raise_, press = _arm("bicep_curls", yaw), _arm("lateral_shoulder_raises", yaw), \
            _arm("dumbbell_shoulder_press", yaw)
        # 3D: a curl bends the elbow with the upper arm still, a raise swings the straight arm
        assert curl[1] > 0.7 > 0.3 > raise_[1], (yaw, curl[1], raise_[1])
        assert curl[0] < 0.3 < 0.4 < raise_[0] < 0.8 < press[0], (yaw, curl[0], raise_[0], press[0])
        # the press holds the elbows up at shoulder height or above, the curl low at the sides
        assert press[2] > curl[2] + 0.3 and press[3] > 0.0 > curl[3]
        # the raise moves the wrist outwards, the curl forwards and up
        assert raise_[4] > curl[4] + 0.2
    # 2D, facing the camera: the same elbow-angle share
    curl, raise_ = _arm("bicep_curls", 0.0), _arm("lateral_shoulder_raises", 0.0)
    assert curl[10] > 0.7 > 0.3 > raise_[10]
