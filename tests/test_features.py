"""Skeleton features against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from deepfit_coach.features import (KEYPOINT_NAMES, angle_at, body_length, classifier_input, inclination,
                                    joint_angles, keypoints18, normalize_matec, visibility_summary)
from deepfit_coach.skeleton import LM


def _landmarks(points: dict[int, tuple[float, float]], vis: float = 1.0) -> np.ndarray:
    lm = np.zeros((33, 5), dtype=np.float64)
    lm[:, 3] = 0.0  # invisible unless given
    for idx, (x, y) in points.items():
        lm[idx] = (x, y, 0.0, vis, 1.0)
    return lm


# A standing figure in pixels: nose above the neck, shoulders 40 wide, hips 20 wide.
STANDING = {
    LM.NOSE: (100, 20), LM.LEFT_EYE: (105, 15), LM.RIGHT_EYE: (95, 15), LM.LEFT_EAR: (110, 18),
    LM.RIGHT_EAR: (90, 18), LM.LEFT_SHOULDER: (120, 40), LM.RIGHT_SHOULDER: (80, 40),
    LM.LEFT_ELBOW: (120, 70), LM.RIGHT_ELBOW: (80, 70), LM.LEFT_WRIST: (120, 100), LM.RIGHT_WRIST: (80, 100),
    LM.LEFT_HIP: (110, 100), LM.RIGHT_HIP: (90, 100), LM.LEFT_KNEE: (110, 140), LM.RIGHT_KNEE: (90, 140),
    LM.LEFT_ANKLE: (110, 180), LM.RIGHT_ANKLE: (90, 180),
}


def test_keypoints18_order_and_neck_midpoint() -> None:
    kp, present = keypoints18(_landmarks(STANDING))
    assert len(KEYPOINT_NAMES) == 18 and kp.shape == (18, 2)
    assert tuple(kp[1]) == (100, 40)                     # neck: midpoint of the shoulders
    assert tuple(kp[2]) == STANDING[LM.RIGHT_SHOULDER]   # 2 = right shoulder
    assert tuple(kp[7]) == STANDING[LM.LEFT_WRIST]       # 7 = left wrist
    assert tuple(kp[13]) == STANDING[LM.LEFT_ANKLE]      # 13 = left ankle
    assert tuple(kp[16]) == STANDING[LM.RIGHT_EAR]       # 16 = right ear
    assert present.all()


def test_body_length_is_head_plus_torso_plus_leg() -> None:
    kp, present = keypoints18(_landmarks(STANDING))
    # head: nose (100,20) - neck (100,40) = 20; torso: neck - mid hip (100,100) = 60; leg: 40 + 40
    assert body_length(kp, present) == pytest.approx(20 + 60 + 80)


def test_normalize_matec_blocks_centre_and_scale() -> None:
    kp, present = keypoints18(_landmarks(STANDING))
    out = normalize_matec(kp, present)
    assert out.shape == (36,)
    centre = kp.mean(axis=0)
    expected_x = (kp[:, 0] - centre[0]) / 160.0
    expected_y = (kp[:, 1] - centre[1]) / 160.0
    np.testing.assert_allclose(out[:18], expected_x, atol=1e-6)   # block of x first
    np.testing.assert_allclose(out[18:], expected_y, atol=1e-6)   # then block of y
    # invariant to translation and scale
    moved = normalize_matec(kp * 3.0 + 50.0, present)
    np.testing.assert_allclose(moved, out, atol=1e-6)


def test_normalize_matec_missing_points_and_degenerate_input() -> None:
    lm = _landmarks({k: v for k, v in STANDING.items() if k not in (LM.LEFT_KNEE, LM.LEFT_ANKLE,
                                                                     LM.RIGHT_KNEE, LM.RIGHT_ANKLE)})
    kp, present = keypoints18(lm)
    assert not present[[9, 10, 12, 13]].any()
    out = normalize_matec(kp, present)
    assert np.all(np.isfinite(out))
    assert np.all(out[[9, 10, 12, 13]] == 0) and np.all(out[[27, 28, 30, 31]] == 0)
    # legs missing: the length is estimated from head + torso with typical proportions
    assert body_length(kp, present) == pytest.approx((20 + 60) / 0.75 * 1.6)
    # nothing present, or every point in one spot: zeros, never NaN or a division error
    assert np.all(normalize_matec(np.zeros((18, 2)), np.zeros(18, bool)) == 0)
    same = np.full((18, 2), 7.0)
    assert np.all(normalize_matec(same, np.ones(18, bool)) == 0)


def test_normalize_is_vectorised_over_frames() -> None:
    lm = np.stack([_landmarks(STANDING)] * 4)
    lm[2, :, :2] *= 2
    out = classifier_input(lm)
    assert out.shape == (4, 36)
    np.testing.assert_allclose(out[2], out[0], atol=1e-6)


def test_classifier_input_uses_pixels_for_aspect() -> None:
    px = _landmarks(STANDING)
    norm = px.copy()
    norm[:, 0] /= 640
    norm[:, 1] /= 480
    np.testing.assert_allclose(classifier_input(norm, 640, 480), classifier_input(px), atol=1e-6)


def test_angles_hand_computed() -> None:
    assert angle_at(np.array([1.0, 0]), np.array([0.0, 0]), np.array([0.0, 1])) == pytest.approx(90)
    assert angle_at(np.array([1.0, 0, 0]), np.zeros(3), np.array([-1.0, 0, 0])) == pytest.approx(180)
    assert angle_at(np.array([1.0, 1]), np.array([0.0, 0]), np.array([1.0, 0])) == pytest.approx(45)
    assert np.isnan(angle_at(np.zeros(2), np.zeros(2), np.ones(2)))
    assert inclination(np.array([0.0, 0]), np.array([0.0, 10])) == pytest.approx(0)     # straight up
    assert inclination(np.array([10.0, 0]), np.array([0.0, 0])) == pytest.approx(90)    # horizontal


def test_joint_angles_of_a_bent_knee_in_image_and_world() -> None:
    pts = np.array([_landmarks(STANDING)[:, :2]] * 2)
    pts[1, LM.LEFT_ANKLE] = (150, 140)  # shin horizontal: knee at 90 degrees
    ang = joint_angles(pts)
    assert ang["left_knee"][0] == pytest.approx(180)
    assert ang["left_knee"][1] == pytest.approx(90)
    assert ang["left_elbow"][0] == pytest.approx(180)
    assert ang["torso_incline"][0] == pytest.approx(0)
    world = np.zeros((33, 3))
    world[LM.LEFT_HIP] = (0, 0, 0)
    world[LM.LEFT_KNEE] = (0, 0.4, 0)
    world[LM.LEFT_ANKLE] = (0, 0.4, 0.4)   # shin pointing forward in depth
    assert joint_angles(world)["left_knee"] == pytest.approx(90)


def test_visibility_summary_reports_parts_out_of_frame() -> None:
    lm = _landmarks({k: (x / 200, y / 200) for k, (x, y) in STANDING.items()})
    assert visibility_summary(lm).full_body
    lm[LM.LEFT_ANKLE, 1] = 1.3          # below the bottom edge
    lm[LM.RIGHT_WRIST, 3] = 0.1         # occluded
    vis = visibility_summary(lm)
    assert vis.missing() == ["right_arm", "left_leg"]
    assert not vis.full_body and 0 < vis.fraction < 1
