"""eval's advised-view recall: fault recall over the sets filmed from the view the exercise's camera
advice asks for (squats: 45 deg), apart from the overall recall over every view."""

import math

from deepfit_coach.evaluation import SetOutcome, exercise_stats


def _set(view: str, advised: bool, total: int, found: int) -> SetOutcome:
    return SetOutcome(f"squats_{view}.mp4", "squats", 6, 6, 6, faults_total={"knees_cave": total},
                      faults_found={"knees_cave": found} if found else {}, view=view, advised_view=advised)


def test_advised_view_recall_counts_only_sets_in_that_view():
    st = exercise_stats("squats", [_set("45", True, 4, 4), _set("side", False, 4, 0), _set("front", False, 2, 1)])
    assert st.faults == 10 and math.isclose(st.fault_recall, 0.5)
    assert st.advised_faults == 4 and st.advised_recall == 1.0


def test_no_set_in_the_advised_view_gives_no_figure():
    st = exercise_stats("squats", [_set("side", False, 4, 0)])
    assert st.advised_faults == 0 and math.isnan(st.advised_recall)
    assert st.to_json()["advised_recall"] is None


def test_a_view_is_advised_when_the_advice_allows_it_among_others():
    from deepfit_coach.evaluation import in_advised_view

    assert in_advised_view(("45", "front"), "front") and in_advised_view(("45", "front"), "45")
    assert not in_advised_view(("45", "front"), "side")
    assert in_advised_view(("any",), "back")
