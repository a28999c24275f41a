"""Form rules on reps measured on the tuning pool (MediaPipe poses at 0.5, given mode): lateral raises
bent_elbows facing the camera from the arm's reach in the picture, sit-ups short_range from the feet from
the 3D torso with the shoulders lower than usual over the movement (helper 74, issue 5). Each faulty case
was missed by the rules before these clauses; each clean one is the nearest clean rep of the pool."""
import math

import pytest

from deepfit_coach.exercises import load_catalogue
from form_rule_checks import fires

NAN = math.nan


def test_raises_reach_signal_is_in_the_picture():
    spec = load_catalogue().get("lateral_shoulder_raises")
    assert "ext_i" in spec.signals


@pytest.mark.parametrize("values, fault", [
    # eval_tune9 front_0: a lift held bent whose 3D elbow read 156 over the lift (clean people's read
    # 149-161); its reach in the picture 1.344 of the straight arm's 1.414
    ({"elbow": 149.918, "elbow_max": 161.887, "elbow_med": 156.186, "elbow_med_dev": -4.048, "elbow_i": 179.411,
      "elbow_i_med_dev": 0.24, "facing": 0.736, "square_med": 0.999, "ext_i_med": 1.344}, True),
    # eval_tune2 front_1: the set's first lift (no usual yet), the fault's reach nearest the clean ones
    ({"elbow": 166.51, "elbow_i": 176.846, "elbow_i_med_dev": NAN, "elbow_max": 153.957, "elbow_med": 149.398,
      "elbow_med_dev": NAN, "ext_i_med": 1.393, "facing": 0.972, "square_med": 0.996}, True),
    # eval_tune7 front_1: 3D elbow over the lift 143.0 (the clause 'below 143' missed it by a hair)
    ({"elbow": 144.907, "elbow_i": 178.386, "elbow_i_med_dev": -1.972, "elbow_max": 148.252, "elbow_med": 143.003,
      "elbow_med_dev": 4.447, "ext_i_med": 1.375, "facing": 0.683, "square_med": 0.999}, True),
    # the clean lifts whose reach read shortest (eval_tune12 front_1, eval_tune3 front_1)
    ({"elbow": 146.321, "elbow_i": 178.255, "elbow_i_med_dev": NAN, "elbow_max": 155.962, "elbow_med": 154.898,
      "elbow_med_dev": NAN, "ext_i_med": 1.399, "facing": 0.679, "square_med": 1.0}, False),
    ({"elbow": 146.181, "elbow_i": 178.084, "elbow_i_med_dev": -4.506, "elbow_max": 164.879, "elbow_med": 150.382,
      "elbow_med_dev": 6.524, "ext_i_med": 1.4, "facing": 0.64, "square_med": 0.998}, False),
    # side-on the raised arm points at the camera: the reach there is no sign (clean side-on lifts read
    # down to 0.48), and the facing clause stays quiet
    ({"elbow": 158.0, "elbow_i": 168.0, "elbow_i_med_dev": 0.0, "elbow_max": 160.0, "elbow_med": 150.0,
      "elbow_med_dev": 0.0, "ext_i_med": 0.8, "facing": 0.03, "square_med": 0.1}, False),
])
def test_raises_bent_elbows_reach_in_the_picture(values, fault):
    assert fires("lateral_shoulder_raises", "bent_elbows", values) == fault


_SITUP = ("facing_max", "relative_rom", "shoulders_below_knees", "shoulders_below_knees_dev",
          "shoulders_below_knees_med_dev", "square_med", "torso", "torso_dev")


@pytest.mark.parametrize("row, fault", [
    # short sit-ups from the feet: the 3D torso 40.8 / 47.9 deg from vertical, the shoulders 0.16 torso
    # lengths lower over the movement than the person's usual (eval_tune front_1, eval_tune9 front_1)
    ((1.42, 1.094, -0.77, -0.009, 0.162, 0.992, 40.793, 0.366), True),
    ((1.564, 1.015, -0.81, 0.058, 0.163, 0.993, 47.895, 6.133), True),
    # clean: as far up (39 deg) at the usual height (eval_tune9 front_1), and the clean top lowest
    # against its usual, with the torso at 27 deg (eval_tune8 front_1)
    ((1.535, 1.06, -0.864, -0.025, -0.042, 0.997, 39.025, -5.804), False),
    ((1.565, 0.897, -0.91, 0.087, 0.147, 0.994, 27.001, 3.519), False),
    # side-on (facing_max small) the clause stays quiet: a top at 40 deg that stopped lower than usual
    # is judged by the side-on clauses alone
    ((0.1, 1.0, -0.5, 0.05, 0.15, 0.2, 40.0, 2.0), False),
])
def test_situps_short_range_from_the_feet_lower_than_usual(row, fault):
    assert fires("situps", "short_range", dict(zip(_SITUP, row))) == fault
