"""Load and validate exercise definitions (built-in YAML files, user files, inline dicts).

Every problem in a file is reported at once as ``file:line:col: message`` through
:mod:`deepfit_coach.yamlfile`; names are looked up by name or alias with "did you mean".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from deepfit_coach.errors import UserError
from deepfit_coach.exercises.conditions import ConditionError, parse_condition
from deepfit_coach.exercises.ranges import PHASE_SEES, check_condition, describe, phase_names, value_range
from deepfit_coach.exercises.spec import (
    PHASE_ALIASES, PHASES, REP_VALUES, SEVERITIES, SIDE_MODES, SIGNAL_KINDS, SOURCES, VIEWS,
    CountingSpec, ExerciseSpec, FormRule, SignalSpec,
)
from deepfit_coach.features import BODY_PARTS
from deepfit_coach.skeleton import LM
from deepfit_coach.yamlfile import (
    Checker, YamlDoc, YamlValidationError, closest, did_you_mean, load_yaml, loads_yaml,
)

BUILTIN_NAMES = (
    "squats", "lunges", "bicep_curls", "situps", "pushups", "tricep_extensions",
    "dumbbell_rows", "jumping_jacks", "dumbbell_shoulder_press", "lateral_shoulder_raises",
)
POOR_VIEWS = ("head_on", "side_on")   # views the coach asks to change (coach.visibility.poor_view)
MID_POINTS = ("shoulder", "hip", "knee", "ankle", "wrist", "elbow")
POINT_NAMES = tuple(m.name.lower() for m in LM) + tuple(f"mid_{p}" for p in MID_POINTS)
SIDED_NAMES = POINT_NAMES + tuple("{side}_" + n[len("left_"):] for n in POINT_NAMES if n.startswith("left_"))
TOP_KEYS = ("name", "display_name", "aliases", "camera_advice", "view", "poor_views", "required", "start_position",
            "counting", "signals", "position", "confirm", "misread", "set_up", "put_down", "settle", "form", "description")
COUNTING_KEYS = ("signal", "start", "turn", "start_gate", "turn_gate", "min_rom", "first_rom", "partial_below",
                 "shallow_rep", "leave_start", "return_share", "return_hold_s", "rep_duration", "side_signal", "turn_limit",
                 "start_limit", "misread")
SIGNAL_KEYS = SIGNAL_KINDS + ("source", "side", "axis", "per", "signed", "along", "seen_gap", "own_start",
                              "weights")
# per-rep values every signal gets automatically (form rules); a declared signal must not shadow one
AUTO_SUFFIXES = {"min": "minimum", "max": "maximum", "change": "change from the rep start", "start": "value at the rep start",
                 "dev": "deviation from the usual value", "med": "median over the movement",
                 "span": "span (maximum - minimum)", "moved": "recent movement"}
_RENAME = {"min": "low", "max": "high", "change": "shift", "start": "initial", "dev": "offset", "med": "typical", "span": "extent",
           "moved": "shifted"}
RULE_KEYS = ("name", "at", "when", "judge_if", "cue", "severity", "cooldown_s", "hold_s", "better", "usual_clean", "usual_good")


def _point_ok(p: Any) -> bool:
    return isinstance(p, str) and (p.replace("{side}", "left") in POINT_NAMES)


def _part_ok(p: Any) -> bool:
    if not isinstance(p, str):
        return False
    q = p.replace("{side}", "left")
    return q in BODY_PARTS or q in POINT_NAMES


def _parse_signal(c: Checker, path: tuple, name: str, d: Any) -> SignalSpec | None:
    if not c.mapping(path, d, f"signal '{name}'"):
        return None
    ok = c.keys(path, d, SIGNAL_KEYS, what=f"signal '{name}'")
    kinds = [k for k in SIGNAL_KINDS if k in d]
    if len(kinds) != 1:
        c.error(path, f"signal '{name}' needs exactly one of 'angle' (3 points), 'incline' or 'lean' (2 points), "
                      f"'distance' (2 points), 'between' (4 points), 'difference' (2 signals), 'travel' (1 point) "
                      f"or 'presence' (landmarks)")
        return None
    kind = kinds[0]
    if kind == "travel":
        return _parse_travel(c, path, name, d)
    if kind == "presence":
        return _parse_presence(c, path, name, d)
    pts = d[kind]
    need = {"angle": 3, "between": 4}.get(kind, 2)
    what = "signal names" if kind == "difference" else "landmark names"
    if not isinstance(pts, list) or len(pts) != need or not all(isinstance(p, str) for p in pts):
        c.error(path + (kind,), f"{kind} of signal '{name}' must be a list of {need} {what}")
        return None
    for i, p in enumerate(pts):
        if kind != "difference" and not _point_ok(p):
            c.error(path + (kind, i), _unknown_landmark(str(p), SIDED_NAMES, "left_knee, {side}_hip, mid_shoulder"))
            ok = False
    source = d.get("source", "world")
    side = d.get("side", "both")
    axis = d.get("axis", "xy")
    ok &= c.choice(path + ("source",), source, SOURCES) if "source" in d else True
    ok &= c.choice(path + ("side",), side, SIDE_MODES) if "side" in d else True
    ok &= c.choice(path + ("axis",), axis, ("x", "y", "xy")) if "axis" in d else True
    per = d.get("per")
    if per is not None:
        if kind != "distance" and isinstance(per, list) and len(per) == 4:
            c.error(path + ("per",), f"per of signal '{name}': 4 landmark names (two segments) only for distances")
            ok = False
        elif not isinstance(per, list) or len(per) not in (2, 4) or not all(_point_ok(p) for p in per):
            c.error(path + ("per",), f"per of signal '{name}' must be a list of 2 landmark names "
                    "(or 4 for a distance: two segments, their lengths' root sum square)")
            ok = False
    if "signed" in d:
        ok &= c.boolean(path + ("signed",), d["signed"])
    along = d.get("along")
    if along is not None:
        if kind != "distance":
            c.error(path + ("along",), f"'along' is for distance signals, not {kind}")
            ok = False
        elif "axis" in d and axis not in ("x", "y"):
            c.error(path + ("along",), f"signal '{name}': with 'along', 'axis' is x or y (that component "
                                       f"of the direction only), not {axis}")
            ok = False
        elif not isinstance(along, list) or len(along) != 2 or not all(_point_ok(p) for p in along):
            c.error(path + ("along",), f"along of signal '{name}' must be a list of 2 landmark names")
            ok = False
    seen_gap = d.get("seen_gap")
    if seen_gap is not None:
        if side not in ("min", "max", "alternating"):
            c.error(path + ("seen_gap",), f"signal '{name}': seen_gap chooses between the sides of "
                                          f"side: min, max or alternating, not {side}")
            ok = False
        else:
            ok &= c.number(path + ("seen_gap",), seen_gap, maximum=1.0)
    own_start = d.get("own_start")
    if own_start is not None:
        if side != "alternating":
            c.error(path + ("own_start",), f"signal '{name}': own_start measures each side of "
                                           f"side: alternating from its own start, not {side}")
            ok = False
        elif isinstance(own_start, bool) or not isinstance(own_start, (int, float)) or not 0.2 <= own_start <= 60:
            # seconds (until session 20 a number of frames: 90 frames of a 15-fps clip are 6 s)
            c.error(path + ("own_start",), f"signal '{name}': own_start is a number of seconds (0.2 to 60), "
                                           f"got {own_start!r}")
            ok = False
    weights = d.get("weights")
    if weights is not None:
        if kind != "difference":
            c.error(path + ("weights",), f"'weights' is for difference signals, not {kind}")
            ok = False
        elif not isinstance(weights, list) or len(weights) != 2:
            c.error(path + ("weights",), f"weights of signal '{name}' must be a list of 2 numbers "
                                         "(a x first - b x second)")
            ok = False
        else:
            ok &= all([c.number(path + ("weights", i), w, exclusive_minimum=True) for i, w in enumerate(weights)])
    if not ok:
        return None
    return SignalSpec(name=name, kind=kind, points=tuple(pts), source=source, side=side, axis=axis,
                      per=tuple(per) if per else None, signed=bool(d.get("signed", along is not None)),
                      along=tuple(along) if along else None,
                      seen_gap=float(seen_gap) if seen_gap is not None else None,
                      own_start=float(own_start) if own_start is not None else None,
                      weights=(float(weights[0]), float(weights[1])) if weights is not None else None)


def _parse_presence(c: Checker, path: tuple, name: str, d: dict) -> SignalSpec | None:
    """``{presence: [left_ankle, right_ankle]}``: the least presence of the landmarks in the picture."""
    # keys no signal has were reported by _parse_signal already: here those that other kinds take
    ok = c.keys(path, {k: v for k, v in d.items() if k in SIGNAL_KEYS}, ("presence",), what=f"presence signal '{name}'")
    pts = d["presence"]
    if not isinstance(pts, list) or not pts or not all(isinstance(p, str) for p in pts):
        c.error(path + ("presence",), f"presence of signal '{name}' must be a list of landmark names")
        return None
    for i, p in enumerate(pts):
        if "{side}" in p:
            base = p.replace("{side}_", "")
            c.error(path + ("presence", i), f"presence counts named landmarks: name both sides (left_{base}, "
                                            f"right_{base}), not '{p}'")
            ok = False
        elif p not in POINT_NAMES:
            c.error(path + ("presence", i), _unknown_landmark(p, POINT_NAMES, "left_ankle, right_ankle"))
            ok = False
    return SignalSpec(name=name, kind="presence", points=tuple(pts), source="image") if ok else None


def _unknown_landmark(name: str, choices: tuple[str, ...], examples: str) -> str:
    """"unknown landmark 'x' (did you mean 'y'?)", or the names to use where nothing is close."""
    return f"unknown landmark '{name}'" + (did_you_mean(name, choices) or f" (use names like {examples})")


def _parse_travel(c: Checker, path: tuple, name: str, d: dict) -> SignalSpec | None:
    """``{travel: mid_hip, axis: x}``: one point's travel in the picture per body length (or the
    midpoint of two: ``travel: [mid_shoulder, mid_hip]``, the torso's centre)."""
    ok = True
    pts = d["travel"]
    pts = [pts] if isinstance(pts, str) else pts
    if not isinstance(pts, list) or not 1 <= len(pts) <= 2 or not all(isinstance(p, str) for p in pts):
        c.error(path + ("travel",), f"travel of signal '{name}' must be a landmark name (e.g. mid_hip) or a list "
                                    "of two (their midpoint)")
        return None
    for i, pt in enumerate(pts):
        where = path + ("travel",) + ((i,) if isinstance(d["travel"], list) else ())
        if "{side}" in pt:
            c.error(where, f"travel of signal '{name}' follows one point: use a mid point or name the side "
                           f"(e.g. mid_hip, left_hip), not '{pt}'")
            ok = False
        elif not _point_ok(pt):
            c.error(where, _unknown_landmark(pt, POINT_NAMES, "mid_hip, left_shoulder"))
            ok = False
    if d.get("source", "image") != "image":
        c.error(path + ("source",), f"travel of signal '{name}' is measured in the picture (source: image): "
                                    "world coordinates are centred on the hips and do not move with the person")
        ok = False
    axis = d.get("axis", "x")
    if "axis" in d and axis not in ("x", "y"):
        c.error(path + ("axis",), f"travel of signal '{name}' is along one image axis: axis must be x or y, "
                                  f"not '{axis}'")
        ok = False
    for key in ("along", "signed", "side"):
        if key in d:
            c.error(path + (key,), f"'{key}' does not apply to travel signals (signed along 'axis', one point)")
            ok = False
    per = d.get("per")
    if per is not None and (not isinstance(per, list) or len(per) != 2 or not all(
            _point_ok(p) and "{side}" not in p for p in per)):
        c.error(path + ("per",), f"per of signal '{name}' must be a list of 2 landmark names without {{side}} "
                                 "(the body length, default [mid_shoulder, mid_hip])")
        ok = False
    if not ok:
        return None
    return SignalSpec(name=name, kind="travel", points=tuple(pts), source="image", side="both", axis=axis,
                      per=tuple(per) if per else None, signed=True)


def parse_exercise(data: Any, doc: YamlDoc | None = None, path: tuple = (), origin: str = "") -> ExerciseSpec:
    """Validate one exercise definition; raises YamlValidationError listing every problem.

    ``doc``/``path`` locate ``data`` inside a YAML file (e.g. an exercise inlined in a
    plan) so messages point at the right line; a plain dict gets a ``<dict>`` document.
    """
    if doc is None:
        doc = YamlDoc(origin or "<exercise>", data)
    c = Checker(doc)
    if not c.mapping(path, data, "an exercise"):
        c.raise_if_any()
    d: dict = data
    c.keys(path, d, TOP_KEYS, required=("name", "counting", "signals"), what="exercise")
    name = d.get("name")
    if "name" in d and c.text(path + ("name",), name):
        if not name.replace("_", "").isalnum() or name != name.lower():
            c.error(path + ("name",), f"name must be lower_case_with_underscores, got '{name}'")
    for key in ("display_name", "camera_advice", "description"):
        if key in d:
            c.text(path + (key,), d[key])
    aliases = d.get("aliases", [])
    if "aliases" in d and c.sequence(path + ("aliases",), aliases):
        for i, a in enumerate(aliases):
            c.text(path + ("aliases", i), a)
    if "view" in d:
        if isinstance(d["view"], list):
            if c.sequence(path + ("view",), d["view"], non_empty=True):
                for i, v in enumerate(d["view"]):
                    c.choice(path + ("view", i), str(v), VIEWS)
        else:
            c.choice(path + ("view",), str(d["view"]), VIEWS)
    poor = d.get("poor_views", [])
    if "poor_views" in d and c.sequence(path + ("poor_views",), poor):
        for i, v in enumerate(poor):
            c.choice(path + ("poor_views", i), v, POOR_VIEWS)
    start_position = d.get("start_position", "top")
    if "start_position" in d:
        c.choice(path + ("start_position",), start_position, ("top", "bottom"))
    required = d.get("required", [])
    if "required" in d and c.sequence(path + ("required",), required):
        for i, p in enumerate(required):
            if not _part_ok(p):
                choices = list(BODY_PARTS) + ["{side}_arm", "{side}_leg"] + list(POINT_NAMES)
                c.error(path + ("required", i), f"unknown body part '{p}'{did_you_mean(str(p), choices)}")

    signals: dict[str, SignalSpec] = {}
    sig_data = d.get("signals", {})
    if "signals" in d and c.mapping(path + ("signals",), sig_data):
        for sname, sd in sig_data.items():
            if str(sname) in REP_VALUES:
                c.error(path + ("signals", sname), f"signal name '{sname}' is reserved", key=True)
                continue
            s = _parse_signal(c, path + ("signals", sname), str(sname), sd)
            if s is not None:
                signals[str(sname)] = s
        declared = set(map(str, sig_data))
        for sname in sig_data:
            base, _, suffix = str(sname).rpartition("_")
            if suffix in AUTO_SUFFIXES and base in declared:
                c.error(path + ("signals", sname),
                        f"signal name '{sname}' clashes with the automatic rep {AUTO_SUFFIXES[suffix]} "
                        f"of '{base}'; rename it (e.g. '{base}_{_RENAME[suffix]}')", key=True)
                signals.pop(str(sname), None)
        for sname, s in list(signals.items()):
            if s.kind != "difference":
                continue
            for i, other in enumerate(s.points):
                if other not in signals or signals[other].kind == "difference":
                    c.error(path + ("signals", sname, "difference", i),
                            f"difference of '{sname}' needs two other (non-difference) signals, "
                            f"'{other}' is not one{did_you_mean(other, signals)}")
                    signals.pop(sname, None)
    # declared names count even when their definition has errors (no cascading messages)
    declared_names = set(signals) | (set(map(str, sig_data)) if isinstance(sig_data, dict) else set())
    names = declared_names | set(REP_VALUES)
    # NAME_change: the signal relative to its value at the start of the rep (form rules)
    names |= {f"{n}_{k}" for n in names - set(REP_VALUES) for k in AUTO_SUFFIXES}
    # ... and a rep's extremes / median against the person's usual ones (NAME_med_dev)
    names |= {f"{n}_{k}_dev" for n in set(signals) for k in ("min", "max", "med")}

    seen_at = phase_names(declared_names)

    def condition(p: tuple, text: Any, allowed: set | dict | None = None, what: str = "condition",
                  phase: str | None = None):
        """``text`` parsed, or None after reporting why; ``allowed``: the names it may use
        (default every signal and per-rep name); ``phase``: where it is judged (a form rule's
        phase, "frame" or "confirm"), whose measured names it may use (``ranges.phase_names``)."""
        allowed = names if allowed is None else allowed
        try:
            cond = parse_condition(text)
        except ConditionError as exc:
            c.error(p, str(exc))
            return None
        for n in sorted(cond.names() - (allowed if isinstance(allowed, set) else set(allowed))):
            c.error(p, f"{what} uses unknown signal '{n}'{did_you_mean(n, allowed)}")
            return None
        if phase in seen_at:
            for n in sorted(cond.names() - seen_at[phase]):
                where = [f for f in ("throughout", "start", "turn", "rep") if n in seen_at[f]]
                listed = ", ".join(where[:-1]) + " and " + where[-1] if len(where) > 1 else "".join(where)
                known = f"; '{n}' is known in {listed} rules" if where else ""
                if n in seen_at["confirm"] and phase != "confirm":
                    known = f"{known} and in confirm" if known else f"; '{n}' is known in confirm"
                c.error(p, f"{what} uses '{n}', which is never measured there ({PHASE_SEES[phase]}){known}")
                return None
        problems = check_condition(cond, signals)
        for message in problems:
            c.error(p, message)
        return None if problems else cond

    def conditions(key: str, allowed: set | dict | None = None, block: dict = d, at: tuple = path,
                   what: str = "condition", phase: str | None = None) -> list:
        """The valid conditions of a list key of ``block`` (at ``at``): position, confirm, misread,
        set_up, or a counting block's misread."""
        out = []
        data = block.get(key, [])
        if key in block and c.sequence(at + (key,), data):
            for i, text in enumerate(data):
                cond = condition(at + (key, i), text, allowed, what, phase)
                if cond is not None:
                    out.append(cond)
        return out

    def reach(sig: SignalSpec, nums: dict[str, float], cp: tuple) -> None:
        """Report start/turn values ``sig`` can never read, and a min_rom / first_rom wider than
        it can swing or than a rep from start to turn moves (nothing would ever count)."""
        lo, hi = value_range(sig, signals)
        for key in ("start", "turn"):
            if key in nums and not lo <= nums[key] <= hi:
                c.error(cp + (key,), f"{key} {nums[key]:g} can never be reached: {describe(sig, signals)}")
        for key in ("min_rom", "first_rom"):
            if key not in nums:
                continue
            if nums[key] > hi - lo:
                c.error(cp + (key,), f"{key} {nums[key]:g} is more than the signal can move: {describe(sig, signals)}")
            elif {"start", "turn"} <= nums.keys() and nums[key] > abs(nums["turn"] - nums["start"]):
                c.error(cp + (key,), f"{key} {nums[key]:g} is more than a rep from start ({nums['start']:g}) to turn "
                        f"({nums['turn']:g}) moves: even a textbook rep would not count")

    def parse_counting(cd: dict, cp: tuple, variant: bool, inherit: CountingSpec | None = None
                       ) -> CountingSpec | None:
        """The counting block (or its ``variant``: its own signal, values and gates in that
        signal's units; the unitless keys it leaves out are ``inherit``'s, the block's)."""
        if variant:
            c.keys(cp, cd, COUNTING_KEYS + ("if", "variant"), required=("if", "signal", "start", "turn", "min_rom"),
                   what="counting variant")
        else:
            c.keys(cp, cd, COUNTING_KEYS + ("variant", "variant_window_s"),
                   required=("signal", "start", "turn", "min_rom"), what="counting")
        sig = cd.get("signal")
        if "signal" in cd and sig not in signals and ("signals" in d and isinstance(sig_data, dict)
                                                      and sig not in sig_data):
            c.error(cp + ("signal",), f"counting signal '{sig}' is not defined under signals"
                    f"{did_you_mean(sig, signals)}")
        elif sig in signals and signals[sig].kind == "travel":
            c.error(cp + ("signal",), f"counting signal '{sig}' is a travel signal: its origin is where the point "
                    "was first seen, so it cannot drive the count (use it in confirm, e.g. "
                    f"'{sig}_span < 0.95')")
        nums: dict[str, float] = {}
        for key in ("start", "turn", "start_gate", "turn_gate", "turn_limit", "start_limit"):
            if key in cd and c.number(cp + (key,), cd[key], minimum=None):
                nums[key] = float(cd[key])
        if "min_rom" in cd and c.number(cp + ("min_rom",), cd["min_rom"], exclusive_minimum=True):
            nums["min_rom"] = float(cd["min_rom"])
        if "first_rom" in cd and c.number(cp + ("first_rom",), cd["first_rom"], exclusive_minimum=True):
            nums["first_rom"] = float(cd["first_rom"])
            if "min_rom" in nums and nums["first_rom"] < nums["min_rom"]:
                c.error(cp + ("first_rom",), "first_rom must be at least min_rom")
        for key in ("partial_below", "leave_start", "return_share"):
            if key in cd and c.number(cp + (key,), cd[key], maximum=1.0, exclusive_minimum=True):
                nums[key] = float(cd[key])
        if "return_hold_s" in cd and c.number(cp + ("return_hold_s",), cd["return_hold_s"], maximum=2.0,
                                              exclusive_minimum=True):
            nums["return_hold_s"] = float(cd["return_hold_s"])
        shallow = cd.get("shallow_rep", inherit.shallow_rep if inherit else None)
        if "shallow_rep" in cd and (not isinstance(shallow, list) or len(shallow) != 2
                                    or not all(isinstance(x, (int, float)) and not isinstance(x, bool) and 0 < x <= 1
                                               for x in shallow)):
            c.error(cp + ("shallow_rep",), "shallow_rep must be [share_of_usual_range, share_of_usual_time], "
                    "each in (0, 1]")
            shallow = None
        dur = cd.get("rep_duration", [inherit.min_rep_s, inherit.max_rep_s] if inherit else [0.4, 10.0])
        if "rep_duration" in cd:
            if (not isinstance(dur, list) or len(dur) != 2
                    or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in dur)
                    or not 0 <= dur[0] < dur[1]):
                c.error(cp + ("rep_duration",), "rep_duration must be [min_seconds, max_seconds] with min < max")
                dur = [0.4, 10.0]
        side_signal = cd.get("side_signal", "")
        if "side_signal" in cd and side_signal not in signals:
            c.error(cp + ("side_signal",), f"side_signal '{side_signal}' is not defined under signals"
                    f"{did_you_mean(str(side_signal), signals)}")
        if {"start", "turn"} <= nums.keys():
            if nums["start"] == nums["turn"]:
                c.error(cp + ("turn",), "turn must differ from start (it gives the direction of a rep)")
            else:
                sign = 1.0 if nums["turn"] > nums["start"] else -1.0
                span = abs(nums["turn"] - nums["start"])
                nums.setdefault("start_gate", nums["start"] + sign * 0.5 * span)
                nums.setdefault("turn_gate", nums["start"] + sign * 0.5 * span)
                # gates must sit between (or beyond) the textbook values in the right order
                if sign * (nums["turn_gate"] - nums["start"]) <= 0:
                    c.error(cp + ("turn_gate",), "turn_gate must lie between start and turn")
                if sign * (nums["turn"] - nums["start_gate"]) <= 0:
                    c.error(cp + ("start_gate",), "start_gate must lie between start and turn")
                if "turn_limit" in nums and sign * (nums["turn_limit"] - nums["turn"]) <= 0:
                    c.error(cp + ("turn_limit",), "turn_limit must lie beyond turn")
                if "start_limit" in nums and sign * (nums["start"] - nums["start_limit"]) < 0:
                    c.error(cp + ("start_limit",), "start_limit must lie beyond start (away from turn)")
        if sig in signals:
            reach(signals[sig], nums, cp)
        # this block's own (not inherited: a variant is another view of the movement)
        misread_here = conditions("misread", signals, cd, cp, "misread condition")
        if sig in signals and {"start", "turn", "start_gate", "turn_gate", "min_rom"} <= nums.keys():
            return CountingSpec(
                signal=signals[sig], start=nums["start"], turn=nums["turn"], start_gate=nums["start_gate"],
                turn_gate=nums["turn_gate"], min_rom=nums["min_rom"], first_rom=nums.get("first_rom", 0.0),
                partial_below=nums.get("partial_below", inherit.partial_below if inherit else 0.6),
                shallow_rep=None if shallow is None else (float(shallow[0]), float(shallow[1])),
                leave_start=nums.get("leave_start", inherit.leave_start if inherit else 0.3),
                return_share=nums.get("return_share", inherit.return_share if inherit else 0.6),
                return_hold_s=nums.get("return_hold_s", inherit.return_hold_s if inherit else 0.12),
                min_rep_s=float(dur[0]), max_rep_s=float(dur[1]),
                side_signal=side_signal if side_signal in signals else "", turn_limit=nums.get("turn_limit"),
                start_limit=nums.get("start_limit"), misread=tuple(misread_here))
        return None

    counting: CountingSpec | None = None
    cd = d.get("counting")
    cp = path + ("counting",)
    if "counting" in d and c.mapping(cp, cd):
        counting = parse_counting(cd, cp, variant=False)

        def with_variant(block: CountingSpec | None, bd: dict, bp: tuple) -> CountingSpec | None:
            """``block`` with its ``variant`` (which may hold its own, tried next), each inheriting
            the counting block's unitless keys."""
            vd = bd.get("variant")
            vp = bp + ("variant",)
            if "variant" not in bd or not c.mapping(vp, vd):
                return block
            var = parse_counting(vd, vp, variant=True, inherit=counting)
            var = with_variant(var, vd, vp)
            # judged on single frames: plain signals only
            cond = condition(vp + ("if",), vd["if"], signals, "variant condition") if "if" in vd else None
            if block is not None and var is not None and cond is not None:
                return dataclasses.replace(block, variant=var, variant_if=cond)
            return block

        counting = with_variant(counting, cd, cp)
        if "variant_window_s" in cd and c.number(cp + ("variant_window_s",), cd["variant_window_s"], maximum=10.0,
                                                 exclusive_minimum=True) and counting is not None:
            counting = dataclasses.replace(counting, variant_window_s=float(cd["variant_window_s"]))

    position, misread = conditions("position", phase="frame"), conditions("misread", phase="frame")
    confirm = conditions("confirm", phase="confirm")
    # set_up: a signal at the rep's turn (NAME) or against the set's usual turn (NAME_dev)
    # set_up / put_down: a signal at the rep's turn (NAME), its extremes or span over the rep
    # (NAME_max, NAME_min, NAME_span), each also against the set's usual rep (NAME_dev, NAME_span_dev ...)
    # ... and the rep's duration_s, duration_ratio (per the set's median rep)
    edge = {f"{n}{x}" for n in signals for x in ("", "_max", "_min", "_span")}
    edge |= {f"{n}_dev" for n in edge} | {"duration_s", "duration_ratio"}
    set_up = conditions("set_up", edge)
    put_down = conditions("put_down", edge)
    # settle: a signal now (NAME) or how far it moved over the last 0.4 s (NAME_moved)
    settle = conditions("settle", set(signals) | {f"{n}_moved" for n in signals})

    rules: list[FormRule] = []
    form = d.get("form", [])
    if "form" in d and c.sequence(path + ("form",), form):
        seen: set[tuple[str, str]] = set()
        for i, rd in enumerate(form):
            rp = path + ("form", i)
            if not c.mapping(rp, rd, f"form rule {i + 1}"):
                continue
            ok = c.keys(rp, rd, RULE_KEYS, required=("name", "at", "when", "cue"), what="form rule")
            rname = rd.get("name")
            phase = written = rd.get("at")
            if "at" in rd and not c.choice(rp + ("at",), phase, PHASES + PHASE_ALIASES):
                ok = False
            if phase in PHASE_ALIASES:
                phase = "start" if phase == start_position else "turn"
            # one fault may be checked at several phases (e.g. throughout and over the rep),
            # one rule per phase: the rep lists it once
            if "name" in rd and c.text(rp + ("name",), rname):
                if (rname, phase) in seen:   # said as written ("bottom", not the "turn" it stands for)
                    c.error(rp + ("name",), f"form rule '{rname}' is defined twice at '{written}'")
                seen.add((rname, phase))
            cond = condition(rp + ("when",), rd["when"], phase=phase) if "when" in rd else None
            gate = condition(rp + ("judge_if",), rd["judge_if"], phase=phase) if "judge_if" in rd else None
            ok &= "judge_if" not in rd or gate is not None
            if "cue" in rd:
                ok &= c.text(rp + ("cue",), rd["cue"])
            sev = rd.get("severity", "tip")
            if "severity" in rd:
                ok &= c.choice(rp + ("severity",), sev, SEVERITIES)
            for key in ("cooldown_s", "hold_s"):
                if key in rd:
                    ok &= c.number(rp + (key,), rd[key])
            if "better" in rd:
                ok &= c.text(rp + ("better",), rd["better"])
            if "usual_clean" in rd and not isinstance(rd["usual_clean"], bool):
                c.error(rp + ("usual_clean",), "usual_clean must be true or false")
                ok = False
            if "usual_good" in rd:
                ok &= c.choice(rp + ("usual_good",), rd["usual_good"], ("high", "low"))
            if ok and cond is not None and isinstance(rname, str):
                rules.append(FormRule(name=rname, phase=phase, when=cond, cue=rd["cue"], severity=sev,
                                      cooldown_s=float(rd.get("cooldown_s", 10.0)),
                                      hold_s=float(rd.get("hold_s", 0.2)), better=rd.get("better", "Better!"),
                                      judge_if=gate, usual_clean=bool(rd.get("usual_clean", False)),
                                      usual_good=str(rd.get("usual_good", ""))))
    c.raise_if_any()
    assert counting is not None
    views = tuple(str(v) for v in (d["view"] if isinstance(d.get("view"), list) else [d.get("view", "any")]))
    return ExerciseSpec(
        name=name, display_name=d.get("display_name") or name.replace("_", " ").title(), counting=counting,
        aliases=tuple(aliases), camera_advice=d.get("camera_advice", ""), view=views[0], views=views,
        poor_views=tuple(str(v) for v in d.get("poor_views", []) or []),
        required=tuple(required), start_position=start_position, signals=signals, position=tuple(position),
        confirm=tuple(confirm), misread=tuple(misread), set_up=tuple(set_up), put_down=tuple(put_down), settle=tuple(settle),
        form=tuple(rules), description=d.get("description", ""), origin=origin or doc.file)


def load_exercise_file(path: str | Path, replace_builtins: bool = False) -> list[ExerciseSpec]:
    """A YAML file holding one exercise (a mapping) or several (a list of mappings).

    Custom exercises must not take a built-in's name or alias (``check_not_builtin``);
    ``replace_builtins`` lets trial rules redefine them (benchmarks/form_tuning.py).
    """
    return _custom_specs(load_yaml(path), replace_builtins)


def _custom_specs(doc: YamlDoc, replace_builtins: bool) -> list[ExerciseSpec]:
    """Every exercise of ``doc``, its problems and its name clashes reported together."""
    c = Checker(doc)
    if not replace_builtins:
        many = isinstance(doc.data, list)
        mine: dict[str, str] = {}   # this file's own names and aliases: two exercises of one name, the last won
        for i, item in enumerate(doc.data if many else [doc.data]):
            check_not_builtin(c, item, (i,) if many else (), mine)
    try:
        specs = _from_doc(doc)
    except YamlValidationError as exc:
        c.issues.extend(exc.issues)
        specs = []
    c.raise_if_any()
    return specs


def check_not_builtin(c: Checker, data: Any, path: tuple = (), custom: dict[str, str] | None = None) -> None:
    """A custom exercise may not take a built-in's name or alias: it would silently replace the
    built-in, or lose every look-up to it. Reported at the name's file:line:col. ``custom``: the
    names and aliases of the custom exercises before this one (normalised -> name), added to."""
    if not isinstance(data, Mapping):
        return
    taken = {_norm(k): s.name for s in builtin_exercises().values() for k in (s.name, *s.aliases)}
    aliases = data.get("aliases") if isinstance(data.get("aliases"), list) else []
    keys = [(("name",), data.get("name")), *((("aliases", i), a) for i, a in enumerate(aliases))]
    for key, value in keys:
        what = "name" if key == ("name",) else "alias"
        owner = taken.get(_norm(value)) if isinstance(value, str) else None
        if owner is not None:
            by = "a built-in exercise" if _norm(value) == _norm(owner) else f"the built-in exercise '{owner}'"
            c.error(path + key, f"{what} '{value}' is taken by {by}; pick another {what}")
        elif custom is not None and isinstance(value, str) and _norm(value) in custom:
            c.error(path + key, f"{what} '{value}' is taken by the custom exercise '{custom[_norm(value)]}' above; "
                                f"pick another {what}")
    if custom is not None and isinstance(data.get("name"), str):
        custom.update({_norm(v): data["name"] for _, v in keys if isinstance(v, str)})


def _from_doc(doc: YamlDoc) -> list[ExerciseSpec]:
    """Every exercise of ``doc`` (one, or a list), the problems of all of them raised together (the second
    exercise's mistakes were said only once the first one's were fixed)."""
    if not isinstance(doc.data, list):
        return [parse_exercise(doc.data, doc, ())]
    specs, issues = [], []
    for i, item in enumerate(doc.data):
        try:
            specs.append(parse_exercise(item, doc, (i,)))
        except YamlValidationError as exc:
            issues.extend(exc.issues)
    if issues:
        raise YamlValidationError(issues)
    return specs


def _norm(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", " ").replace("-", " ").split())


@dataclass
class Catalogue:
    """Exercises by name, looked up by name or alias (case, spaces, dashes ignored)."""

    exercises: dict[str, ExerciseSpec] = field(default_factory=dict)

    def add(self, spec: ExerciseSpec) -> None:
        self.exercises[spec.name] = spec

    def names(self) -> list[str]:
        return list(self.exercises)

    def custom_names(self) -> list[str]:
        """The exercises not built in (from --exercises FILE)."""
        return [n for n in self.exercises if n not in BUILTIN_NAMES]

    def __contains__(self, name: str) -> bool:
        return self.find(name) is not None

    def __iter__(self):
        return iter(self.exercises.values())

    def __len__(self) -> int:
        return len(self.exercises)

    def find(self, name: str) -> ExerciseSpec | None:
        key = _norm(name)
        for spec in self.exercises.values():
            if key == _norm(spec.name) or key in (_norm(a) for a in spec.aliases):
                return spec
        return None

    def get(self, name: str) -> ExerciseSpec:
        """The exercise called ``name`` (or an alias); UserError with a suggestion otherwise."""
        spec = self.find(name)
        if spec is None:
            own = "; your own exercise is read from its file with --exercises FILE" if not self.custom_names() else ""
            raise UserError(f"unknown exercise '{name}'{self.suggest(name)}; known: {', '.join(self.names())}{own}",
                            exit_code=1)
        return spec

    def suggest(self, name: str) -> str:
        """`` (did you mean 'squats'?)`` over names and aliases, always naming the exercise itself
        (a near alias such as 'squat' is not what a plan or ``-e`` should say)."""
        owner = {k: s.name for s in self.exercises.values() for k in (s.name, *s.aliases)}
        best = closest(_norm(name).replace(" ", "_"), owner) or closest(name, owner)
        return f" (did you mean '{owner[best]}'?)" if best is not None else ""


_BUILTIN_CACHE: dict[str, ExerciseSpec] | None = None


def builtin_exercises() -> dict[str, ExerciseSpec]:
    """The 10 shipped exercises, parsed once."""
    global _BUILTIN_CACHE
    if _BUILTIN_CACHE is None:
        out = {}
        pkg = resources.files("deepfit_coach.exercises")
        for name in BUILTIN_NAMES:
            res = pkg / f"{name}.yaml"
            doc = loads_yaml(res.read_text(encoding="utf-8"), f"{name}.yaml")
            spec = parse_exercise(doc.data, doc, (), origin=str(res))
            out[spec.name] = spec
        _BUILTIN_CACHE = out
    return dict(_BUILTIN_CACHE)


def load_catalogue(extra: Iterable[str | Path | Mapping | ExerciseSpec] | str | Path | Mapping | None = None,
                   replace_builtins: bool = False) -> Catalogue:
    """Built-in exercises plus custom ones (YAML paths, dicts, or ready specs).

    A custom file or dict that takes a built-in's name or alias is a validation error, unless
    ``replace_builtins`` (trial rules: the definition given wins); a ready spec always replaces.
    """
    cat = Catalogue(builtin_exercises())
    if extra is None:
        return cat
    if isinstance(extra, (str, Path, Mapping, ExerciseSpec)):
        extra = [extra]
    for item in extra:
        if isinstance(item, ExerciseSpec):
            cat.add(item)
        elif isinstance(item, Mapping):
            [spec] = _custom_specs(YamlDoc("<exercise>", dict(item)), replace_builtins)
            cat.add(spec)
        else:
            for spec in load_exercise_file(item, replace_builtins):
                cat.add(spec)
    return cat


def get_exercise(name: str, extra=None) -> ExerciseSpec:
    """Shortcut: look ``name`` up in the catalogue (with did-you-mean)."""
    return load_catalogue(extra).get(name)
