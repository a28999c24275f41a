"""What values a signal can take, and which names a condition can see at each phase.

A custom exercise is data written by hand: a threshold no body can reach (an angle's start
at 200, a presence above 1, a min_rom wider than the angle can swing) or a name a phase never
measures (a rep's median in a ``throughout`` rule) would load without complaint and then
count nothing or never fire. The catalogue checks both when the file is loaded, so the
mistake is one line with its file:line instead of a silent set.
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping

from deepfit_coach.exercises.conditions import Comparison, Condition
from deepfit_coach.exercises.spec import REP_VALUES, SignalSpec

INF = math.inf
# by kind: angles are unsigned (0-180), a lean is signed, presence is MediaPipe's 0-1
_KIND_RANGE = {"angle": (0.0, 180.0), "incline": (0.0, 180.0), "between": (0.0, 180.0),
               "lean": (-180.0, 180.0), "presence": (0.0, 1.0), "travel": (-INF, INF)}
_UNITS = {"angle": "degrees", "incline": "degrees", "between": "degrees", "lean": "degrees"}

# suffixes read in the signal's own range, as a width (>= 0) or as a signed difference
_SAME = ("", "_start", "_min", "_max", "_med")
_WIDTH = ("_span", "_moved")
_SIGNED = ("_change", "_dev", "_min_dev", "_max_dev", "_med_dev", "_change_dev", "_start_dev")


def value_range(sig: SignalSpec, signals: Mapping[str, SignalSpec]) -> tuple[float, float]:
    """The lowest and highest value ``sig`` can read (infinite where unbounded)."""
    if sig.kind == "distance":
        return (-INF, INF) if sig.signed else (0.0, INF)
    if sig.kind == "difference":
        a, b = sig.weights or (1.0, 1.0)
        parts = [signals.get(n) for n in sig.points]
        if any(p is None or p.kind == "difference" for p in parts):
            return (-INF, INF)
        (lo1, hi1), (lo2, hi2) = (value_range(p, signals) for p in parts)   # type: ignore[arg-type]
        return (a * lo1 - b * hi2, a * hi1 - b * lo2)
    return _KIND_RANGE.get(sig.kind, (-INF, INF))


def describe(sig: SignalSpec, signals: Mapping[str, SignalSpec]) -> str:
    """``"angle signal 'knee' reads 0 to 180 degrees"``."""
    lo, hi = value_range(sig, signals)
    units = _UNITS.get(sig.kind, "")
    return f"{sig.kind} signal '{sig.name}' reads {_num(lo)} to {_num(hi)}{' ' + units if units else ''}"


def _num(x: float) -> str:
    return f"{x:g}"


def name_range(name: str, signals: Mapping[str, SignalSpec]) -> tuple[SignalSpec, float, float] | None:
    """The signal behind a condition name (``knee``, ``knee_max``, ``knee_change`` ...) and the
    range that name can read, or None where it is unbounded or not a signal's."""
    for suffixes, kind in ((_SIGNED, "signed"), (_WIDTH, "width"), (_SAME, "same")):
        for suffix in sorted(suffixes, key=len, reverse=True):
            base = name[: len(name) - len(suffix)] if suffix else name
            if (suffix and not name.endswith(suffix)) or base not in signals:
                continue
            lo, hi = value_range(signals[base], signals)
            if kind == "same":
                return signals[base], lo, hi
            width = hi - lo
            return (signals[base], 0.0, width) if kind == "width" else (signals[base], -width, width)
    return None


def never_holds(cmp: Comparison, signals: Mapping[str, SignalSpec]) -> str | None:
    """Why ``cmp`` (a name against a number) can never be true, or None."""
    if isinstance(cmp.left, str) and not isinstance(cmp.right, str):
        name, op, x = cmp.left, cmp.op, float(cmp.right)
    elif isinstance(cmp.right, str) and not isinstance(cmp.left, str):
        flipped = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}
        name, op, x = cmp.right, flipped[cmp.op], float(cmp.left)
    else:
        return None
    found = name_range(name, signals)
    if found is None:
        return None
    sig, lo, hi = found
    if (op == ">" and x >= hi) or (op == ">=" and x > hi) or (op == "<" and x <= lo) or (op == "<=" and x < lo):
        what = f"'{name}' reads {_num(lo)} to {_num(hi)}" if name != sig.name else describe(sig, signals)
        return f"'{name} {op} {_num(x)}' can never hold: {what}"
    return None


def check_condition(cond: Condition, signals: Mapping[str, SignalSpec]) -> list[str]:
    """One message per comparison of ``cond`` that can never be true."""
    return [m for clause in cond.clauses for cmp in clause if (m := never_holds(cmp, signals))]


def phase_names(signals: Iterable[str]) -> dict[str, set[str]]:
    """The names a form rule (or ``judge_if``) sees at each phase, from what the tracker and the
    form checker measure (``counting.form``) of the named signals: a name outside its phase's set is
    always NaN there."""
    plain = set(signals)
    changes = {f"{n}_{k}" for n in plain for k in ("change", "start")}
    rep = set(REP_VALUES) | {f"{n}_{k}" for n in plain for k in ("min", "max", "med", "span")} \
        | {f"{n}_{k}_dev" for n in plain for k in ("min", "max", "med")}
    return {
        "throughout": plain | changes,
        "start": plain | {n + "_dev" for n in plain} | rep,
        "turn": plain | changes | {n + "_dev" for n in plain} | rep,
        "rep": rep,
        # per frame (position, misread) and at the turn with the rep's extremes (confirm)
        "frame": plain,
        "confirm": plain | {f"{n}_{k}" for n in plain for k in ("min", "max", "span")} | {"rom", "duration_s"},
    }


PHASE_SEES = {
    "throughout": "a throughout rule sees each signal as it is, NAME_change and NAME_start",
    "start": "a start rule sees each signal at the start, NAME_dev and the rep's values "
             "(rom, duration_s, NAME_min, NAME_max, NAME_med, NAME_span ...)",
    "turn": "a turn rule sees each signal at the turn, NAME_change, NAME_start, NAME_dev and the rep's values",
    "rep": "a rep rule sees the rep's values: rom, relative_rom, duration_s, down_s, up_s, NAME_min, "
           "NAME_max, NAME_med, NAME_span, NAME_min_dev, NAME_max_dev, NAME_med_dev",
    "frame": "position and misread conditions are judged on each frame, which has only the signals themselves",
    "confirm": "confirm sees each signal at the turn, NAME_min, NAME_max, NAME_span, rom and duration_s",
}
