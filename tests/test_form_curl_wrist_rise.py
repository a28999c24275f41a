"""Curls elbow_drift squarely facing the camera from the wrist's rise in the picture (issue 5, helper 83):
a forward drift points the upper arm at the lens, where its shortening in the picture can stay inside
the clean range, while the forearm it carries lifts the wrist higher than in the person's usual reps.
Values at the turn as the pool's clips read them (MediaPipe at confidence 0.5, recovered caches)."""

import pytest

from form_rule_checks import fires

MISSED_DRIFTS = [   # eval_tune8 bicep_curls_front_0 10.47 s, eval_tune11 bicep_curls_front_1 16.0 s
    {"upper_arm_tilt": 13.57, "square_med": 0.999, "upper_arm_len_change": -0.053, "upper_arm_len_dev": -0.059,
     "upper_arm_tilt_change": 5.34, "elbow_rise_max_dev": 0.082, "facing": 0.670, "wrist_up_i_max_dev": 0.189},
    {"upper_arm_tilt": 12.13, "square_med": 0.998, "upper_arm_len_change": -0.136, "upper_arm_len_dev": 0.011,
     "upper_arm_tilt_change": 5.79, "elbow_rise_max_dev": 0.047, "facing": 0.628, "wrist_up_i_max_dev": 0.189},
]


@pytest.mark.parametrize("values", MISSED_DRIFTS)
def test_a_drift_facing_the_camera_whose_wrist_rose_higher_than_usual(values):
    assert fires("bicep_curls", "elbow_drift", values)


def test_the_highest_clean_rep_stays_quiet():
    """eval_tune12 bicep_curls_front_1 12.8 s, clean: the wrist 0.175 higher than usual (the most of
    any clean curl facing the camera on the pool; new bodies <= 0.094)."""
    assert not fires("bicep_curls", "elbow_drift", {
        "upper_arm_tilt": 9.13, "square_med": 0.998, "upper_arm_len_change": -0.072, "upper_arm_len_dev": 0.022,
        "upper_arm_tilt_change": 1.39, "elbow_rise_max_dev": 0.013, "facing": 0.609, "wrist_up_i_max_dev": 0.175})


@pytest.mark.parametrize("values", MISSED_DRIFTS)
def test_not_read_so_at_45_degrees_or_side_on(values):
    """At 45 deg (the hips' line turned, square_med 0.83-0.97) or side-on the wrist's height in the
    picture holds other things (a far arm partly hidden, a forearm across the picture)."""
    assert not fires("bicep_curls", "elbow_drift", {**values, "square_med": 0.9, "upper_arm_tilt": 13.0})
    assert not fires("bicep_curls", "elbow_drift", {**values, "square_med": 0.2, "facing": 0.1,
                                                    "upper_arm_tilt": 13.0})
