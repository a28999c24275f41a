"""`analyze`'s summary when a set is found but nothing counted: no empty table, and in auto mode
a pointer to naming the exercise (the classifier may have named the wrong one: fresh4's side-on
raises read as tricep extensions, 93%, with no rep of them). Stored pose-model output of a
rendered tricep set (tuning grid pool_b, the near arm working, in view)."""

from __future__ import annotations

from deepfit_coach.analysis import AnalysisResult, Poses, SegmentResult
from deepfit_coach.cli.analyze_cmd import _print_summary
from deepfit_coach.exercises import load_catalogue

from stored_poses import clip, load

DATA = load("hidden_arm_poses.npz")


def _summary(mode: str, capsys) -> str:
    sk, ts = clip(DATA, "near")
    seg = SegmentResult("tricep_extensions", 0.0, ts[-1], [], [], confidence=0.93)
    result = AnalysisResult("w.mp4", 15.0, len(sk), 1.0, [seg], mode=mode)
    _print_summary(result, load_catalogue(), Poses("w.mp4", 15.0, sk, ts))
    return " ".join(capsys.readouterr().out.split())


def test_auto_mode_set_with_no_rep_says_how_to_name_the_exercise(capsys):
    out = _summary("auto", capsys)
    assert "tricep_extensions 0.0-" in out and ": 0 reps (0 partial)" in out
    assert "┏" not in out                                   # no empty table
    assert "This looked like tricep extensions (93% sure), but I counted no rep." in out
    assert "deepfit-coach analyze w.mp4 --exercise NAME" in out


def test_given_mode_names_no_other_exercise(capsys):
    out = _summary("given", capsys)
    assert "no reps counted" in out and "--exercise NAME" not in out
