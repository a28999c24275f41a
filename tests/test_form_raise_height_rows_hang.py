"""Lateral raises arms_too_high against the person's lower raises, and rows rounded_back at the hang
facing the camera (issue 5, helper 83). Values as the pool's clips read them (MediaPipe at confidence
0.5, the recovered caches), run through a live checker and, where said, its offline review."""

from form_rule_checks import fires
from test_form_rules import _through_checker


def _raises(shoulders: list[tuple[float, float]]) -> list[list[str]]:
    """Side-on raises through a checker, each rep's 3D shoulder angle at the top (and its highest) and
    the wrist's height above the shoulder; the issues of each rep as judged live."""
    return _through_checker("lateral_shoulder_raises", [
        ({}, {"shoulder": 10.0, "wrist_up": -0.9}, {"shoulder": s, "wrist_up": w},
         {"rom": 1.0, "relative_rom": 1.0, "shoulder_max": s, "wrist_up_max": w}) for s, w in shoulders])[0]


def test_a_raise_past_horizontal_whose_wrist_read_low_side_on():
    """eval_tune7 lateral_shoulder_raises_side_1, the raise at 14.6 s: the upper arm at 100.3 deg, the
    wrist read only 0.243 above the shoulder (the wrist clauses need 0.25), 58.5 deg above the person's
    lower-quartile raise. Missed before."""
    assert fires("lateral_shoulder_raises", "arms_too_high",
                 {"shoulder": 100.34, "shoulder_max": 100.34, "wrist_up": 0.243, "wrist_up_max": 0.243,
                  "shoulder_dev": 58.5})


def test_high_against_the_usual_but_not_past_horizontal_or_not_far_enough():
    """Clean side-on raises read up to +32.8 against the usual (at 75.5 deg); a raise below
    horizontal is not too high however far above the usual (a person whose usual raises stop low)."""
    clean = {"shoulder": 75.5, "shoulder_max": 75.5, "wrist_up": 0.1, "wrist_up_max": 0.1}
    assert not fires("lateral_shoulder_raises", "arms_too_high", {**clean, "shoulder_dev": 32.8})
    assert not fires("lateral_shoulder_raises", "arms_too_high",
                     {**clean, "shoulder": 88.0, "shoulder_max": 88.0, "shoulder_dev": 45.0})


def test_the_usual_is_the_persons_lower_raises():
    """The usual for arms_too_high is the lower quartile of the person's raises (usual_good: low), not
    the median their too-high raises drag up. Own clip seed 83106 (side-on): full raises at 46.9, 32.4,
    140.0 and 137.7 deg (the last two too high), then one at 101.7 deg with the wrist 0.214 above the
    shoulder: +9.4 against the median, +58 against the lower quartile: found. eval_tune7 side_1's set
    (one too-high raise among clean ones) finds its 100.3-deg raise either way."""
    got = _raises([(46.906, 0.014), (32.385, -0.086), (139.98, 0.583), (137.653, 0.56), (101.702, 0.214)])
    assert "arms_too_high" in got[4]
    got = _raises([(42.954, -0.124), (132.549, 0.521), (32.747, -0.114), (54.855, 0.066), (41.411, -0.068),
                   (46.181, 0.019), (100.342, 0.243)])
    assert "arms_too_high" in got[6]
    assert "arms_too_high" not in got[5]


def _rows(reps: list[tuple[float, float, float, float, float]]):
    """Rows facing the camera through a checker: per rep (torso and facing at the hang, at the pull,
    the rep's most-bent torso); returns (issues per rep, checker)."""
    return _through_checker("dumbbell_rows", [
        ({}, {"torso": s, "facing": sf}, {"torso": t, "facing": tf},
         {"rom": 0.4, "relative_rom": 1.0, "torso_max": m}) for s, sf, t, tf, m in reps])


def test_a_rounded_back_seen_at_the_hang_facing_the_camera():
    """eval_tune dumbbell_rows_front_0 (its full reps): the rounded rep at 13.8 s read the torso at the
    pull only 18 deg more bent than usual (67.1) and the picture's shoulders per torso 0.63 wider,
    so the pull rule missed it; at the hang before the pull the torso read 89.4 deg, 37.1 more
    bent than the usual hang, and its most-bent frame 10.1 beyond the usual: found."""
    issues, _ = _rows([(56.787, 0.178, 76.291, 2.435, 96.449), (56.192, 1.039, 37.673, 0.943, 51.835),
                       (47.082, 0.883, 48.375, 1.039, 57.981), (48.501, 0.929, 49.528, 1.01, 56.06),
                       (89.427, 4.534, 67.086, 1.65, 67.086)])
    assert "rounded_back" in issues[4]
    assert "rounded_back" not in issues[3]


def test_a_clean_row_after_a_rounded_one_is_not_flagged_at_its_hang():
    """eval_tune6 dumbbell_rows_front_0: the rep after a rounded one (clean) began from a hang that
    still held the rounding, dropped in the pause (92.9 deg, +34.7 against the next reps' hangs,
    judged offline), but over its movement the torso was no more bent than usual (its most-bent
    frame -3.1): not flagged. The rounded rep at the end is."""
    issues, fc = _rows([(100.241, 20.799, 76.555, 3.146, 96.342), (92.919, 5.043, 49.897, 1.121, 59.776),
                        (59.771, 1.122, 51.23, 1.145, 63.055), (54.9, 1.063, 49.05, 1.068, 62.864),
                        (56.583, 1.053, 54.857, 1.176, 61.923), (98.483, 13.32, 80.068, 3.531, 95.319)])
    fc.review()
    assert "rounded_back" not in issues[1]
    assert "rounded_back" in issues[5]
