"""Rows short_range facing the camera: a short pull of half the usual range or less whose 3D elbow
straightened by 2-3.5 deg over the rep (the pose model's elbow in depth) is still a short pull; side-on
the rule keeps 'bent no more than 2 deg'. Values as measured at the pull (eval's rep matching, pool
poses at confidence 0.5)."""

import pytest

from form_rule_checks import fires

SHORT_PULLS_FACING = [   # eval_tune11 front_1 (truth 8.47 s), eval_tune4 front_1 (15.67 s): missed before
    {"rom": 0.056, "relative_rom": 0.21, "elbow": 152.1, "elbow_change": -3.02, "elbow_drop_dev": -0.027, "facing": 1.259},
    {"rom": 0.072, "relative_rom": 0.236, "elbow": 155.0, "elbow_change": -2.98, "elbow_drop_dev": -0.017, "facing": 1.368},
]


@pytest.mark.parametrize("values", SHORT_PULLS_FACING)
def test_a_short_pull_facing_the_camera_whose_elbow_read_a_little_straighter(values):
    assert fires("dumbbell_rows", "short_range", values)


@pytest.mark.parametrize("values", SHORT_PULLS_FACING)
def test_side_on_the_same_reading_is_not_judged_so(values):
    assert not fires("dumbbell_rows", "short_range", {**values, "facing": 0.1})


def test_a_clean_short_travelling_pull_facing_the_camera():
    """Clean pulls facing the camera that travel under half the usual range read the elbow 4.7 deg
    straighter and more (pool, new bodies seeds 72001+ / 79001+): past 3.5 the clause stays quiet."""
    assert not fires("dumbbell_rows", "short_range", {"rom": 0.2, "relative_rom": 0.4, "elbow": 150.0,
                                                      "elbow_change": -4.0, "elbow_drop_dev": 0.0, "facing": 1.1})
