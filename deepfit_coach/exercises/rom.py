"""Range of motion in the units it was measured in.

A rep's ``rom_deg`` is the range of its exercise's driving signal: degrees for an angle (a
curl's elbow), but body-segment lengths for a distance (a squat's hip height per shin
length, a press's wrist rise per torso length). Printed with a degree sign a full squat read
"1°"; each value now carries its own unit ("92°", "1.05× shin", "0.93 m"), and values of different
units are never averaged together.
"""

from __future__ import annotations

from functools import lru_cache

from deepfit_coach.exercises.catalogue import load_catalogue
from deepfit_coach.exercises.spec import ExerciseSpec, SignalSpec

DEGREE_KINDS = ("angle", "incline", "lean", "between")
# body segments a distance is divided by, named as people name them
SEGMENTS = {frozenset(("shoulder", "hip")): "torso", frozenset(("hip", "knee")): "thigh",
            frozenset(("knee", "ankle")): "shin", frozenset(("shoulder", "elbow")): "upper arm",
            frozenset(("elbow", "wrist")): "forearm"}


def _joint(point: str) -> str:
    return point.replace("{side}_", "").replace("left_", "").replace("right_", "").replace("mid_", "")


def signal_unit(sig: SignalSpec, signals: dict[str, SignalSpec]) -> str:
    """"°" for angles; "× SEGMENT" for a distance divided by a body segment; " m" for a
    distance between world landmarks."""
    if sig.kind in DEGREE_KINDS:
        return "°"
    if sig.kind == "difference" and sig.points and sig.points[0] in signals:
        return signal_unit(signals[sig.points[0]], signals)
    if sig.kind == "travel" and sig.per is None:
        return "× torso"
    if sig.per is None:   # world landmarks are in metres; the picture's in shares of its size
        return " m" if sig.source == "world" else ""
    if len(sig.per) == 4:
        return "× upper body"
    a, b = (_joint(p) for p in sig.per)
    if a == b:   # left_hip, right_hip
        return f"× {a} width"
    return f"× {SEGMENTS.get(frozenset((a, b)), f'{a}-{b}')}"


def spec_rom_unit(spec: ExerciseSpec, signal: str = "") -> str:
    """The unit of reps counted on ``signal`` (default: the exercise's counting signal; a set
    counted on the counting ``variant`` names that one)."""
    signals = spec.all_signals()
    return signal_unit(signals.get(signal, spec.counting.signal), signals)


@lru_cache(maxsize=None)
def rom_unit(exercise: str) -> str | None:
    """The unit of the exercise's reps' range of motion; None for an exercise the built-in
    catalogue does not hold (a custom one from a plan not loaded here)."""
    spec = load_catalogue().find(exercise)
    return None if spec is None else spec_rom_unit(spec)


def sets_rom_unit(exercise: str, sets) -> str | None:
    """The range-of-motion unit of an exercise's saved sets (``SetRecord``s): the one they recorded, else the
    built-in exercise's (sets saved before units were recorded)."""
    recorded = next((s.rom_unit for s in sets if s.rom_unit is not None), None)
    return recorded if recorded is not None else rom_unit(exercise)


def fmt_rom(exercise: str, rom: float | None, unit: str | None = None) -> str:
    """A range of motion for people: "92°", "1.05× shin", "0.93 m"; ``unit`` defaults to the
    built-in exercise's; a bare number when it is unknown."""
    if rom is None:
        return "–"
    unit = rom_unit(exercise) if unit is None else unit
    if unit == "°":
        return f"{rom:.0f}°"
    return f"{rom:.2f}{unit or ''}"
