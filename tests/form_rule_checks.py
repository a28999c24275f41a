"""Shared by the form-rule tests: does a catalogue rule fire on measured values?"""

from __future__ import annotations

from deepfit_coach.exercises import load_catalogue


def fires(exercise: str, name: str, values: dict[str, float]) -> bool:
    """Any rule checking this fault (one per phase) fires on these values, its view gate
    (``judge_if``) passed; the exercise must have such a rule."""
    rules = [r for r in load_catalogue().get(exercise).form if r.name == name]
    assert rules, f"{exercise} has no form rule {name!r}"
    return any(bool(r.when(values)) and (r.judge_if is None or bool(r.judge_if(values))) for r in rules)
