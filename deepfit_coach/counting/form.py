"""The form checker: the exercise's rules, evaluated live and per rep.

A rule looks at the signal values at a phase of the rep: ``start`` (the start extreme
the rep left from), ``turn`` (the far extreme, judged as soon as the person comes back
from it), ``throughout`` (any moment of the movement, when the condition holds for
``hold_s``) or ``rep`` (per-rep values: rom, relative_rom, duration_s, down_s, up_s). ``NAME_change`` is
a signal relative to its value at the start of the rep (the median of the frames spent at
the start before leaving it): it catches a torso that swings or
leans back without knowing how the camera sees the torso at rest; ``NAME_max`` and
``NAME_min`` are its extremes over the whole rep (e.g. how wide the feet got in a jack).
``NAME_med`` is its median over the frames of the movement (start, turn and rep rules): a
robust "how the rep mostly looked", where a single frame's extreme is a pose-model glitch;
``NAME_med_dev`` / ``NAME_min_dev`` / ``NAME_max_dev`` compare it with the person's usual reps.
``NAME_dev`` (start and turn rules) is the value minus the person's usual value at that
phase (median over their last full reps of the set; NaN before two). For a rule marked
``usual_clean`` the usual leaves out the reps its own fault was found in (while ``clean_min``
reps are left): jacks found narrow do not make the person's usual jack narrower; for a rule
with ``usual_good`` ("high" / "low", the good side) it is their quartile on that side instead of
the median, which their missed faulty reps drag less. A fault is then
"clearly worse than your own reps", which does not depend on how the camera or the pose
model biases the absolute value. Pair it with an absolute anatomical limit, so that a
fault present from the first rep (or on every rep) is still caught.
``judge_if`` is the view a rule needs (e.g. side-on, from the skeleton's own shoulder
width): where it does not hold the rule stays quiet, and the rep lists the rule in
``unjudged`` (a throughout rule is judged if the view held at any moment of the rep), so
an evaluation can tell "missed" from "could not be seen from here".
Offline (``analyze`` / ``eval`` see the whole set) ``review()`` judges the reps that came
before the person had a usual (live their ``_dev`` names are NaN; the set's first rep, which
starts from the set-up, only at its turn and on its median over the movement) against their
next full reps; it only adds issues.
A fault is recorded on every rep it occurs in, but spoken at most once per
``cooldown_s``; a spoken fault that is absent from the next full rep earns a "better!" (once it came
back after one, two clean reps in a row do).
Form is judged on the pose landmarker's own frames only: the tracker feeds ``during`` no frame the
pose recovery found (``Skeleton.recovered``), and a rep it calls not ``own`` (its start or turn frame
recovered, or the landmarker itself saw too few of its frames: ``tracker.OWN_MIN``) gets no start/turn/rep
rule judged (they are listed ``unjudged``), makes no part of the person's usual and is left out of ``review``.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from deepfit_coach.events import FormEvent
from deepfit_coach.exercises.spec import ExerciseSpec, FormRule


@dataclass
class _RepRecord:
    """What one rep's start/turn/rep rules saw, before any ``_dev``, for ``review``."""

    start: dict[str, float]
    turn_raw: dict[str, float]      # as kept for the person's usual turn
    turn: dict[str, float]          # with NAME_change
    rep: dict[str, float]           # rep values with NAME_med, NAME_min, NAME_max
    shape: dict[str, float]         # the rep's _min/_max/_med (its part of the usual)
    full: bool
    early: bool                     # judged before two full reps made a usual: _dev was NaN
    issues: list[str]               # the list finish() returned (the rep's issues)
    live: list[str] = field(default_factory=list)   # its issues as judged live (review adds to issues)
    own: bool = True                # judged on the landmarker's own frames (see finish)
    side: str = "both"              # the arm or leg it was counted on (the usual is that side's: same_side)


def same_side(sides: list[str], side: str) -> list[int]:
    """Of reps on ``sides``, the indexes of those to judge a rep of ``side`` against: ``side``'s where the set
    counts both arms or legs in turn and at least two of them are that side's: each arm's reps are
    its own usual. Alternating curls side-on read the near and the far elbow differently (the
    elbow's rise, 3D: near-arm clean reps -0.10 against the set's median, far-arm +0.09 to +0.13,
    past elbow_drift's +0.09: benchmarks/fast_tempo.py seed 39002, 5 false alarms in 12 clean reps)."""
    if side not in ("left", "right") or len(set(sides)) < 2 or sum(x == side for x in sides) < 2:
        return list(range(len(sides)))
    return [k for k, x in enumerate(sides) if x == side]


@dataclass
class FormChecker:
    spec: ExerciseSpec
    _last_said: dict[str, float] = field(default_factory=dict)
    _pending_better: dict[str, int] = field(default_factory=dict)  # spoken faults: clean full reps still needed
    _praised: set[str] = field(default_factory=set)                 # faults a "better!" was said for this set
    _held: dict[str, float] = field(default_factory=dict)
    current: set[str] = field(default_factory=set)   # faults of the rep in progress
    history: int = 6                                     # full reps that make "usual"
    _usual: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    _usual_issues: list[list[str]] = field(default_factory=list)  # per full rep in _usual: its faults
    _usual_sides: list[str] = field(default_factory=list)         # per full rep in _usual: its side
    _limb: frozenset[str] | None = None                           # signals read from one arm or leg (of_limb)
    clean_min: int = 3                                   # reps without the fault that make its usual
    _judged: set[str] = field(default_factory=set)     # throughout rules whose view held this rep
    last_unjudged: list[str] = field(default_factory=list)  # of the rep last finished
    last_during: list[str] = field(default_factory=list)    # of the rep last finished: its issues found
    # by throughout rules over the movement (RepInfo.during)
    _moving: dict[str, list[float]] = field(default_factory=dict)  # signal values over the movement (NAME_med)
    last_seen: dict[str, dict[str, float]] = field(default_factory=dict)  # per phase, what the last rep's rules saw
    last_seen_for: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # usual_clean rules' own, by fault
    _records: list[_RepRecord] = field(default_factory=list)  # this set's judged reps, for review()

    def reset(self) -> None:
        self._last_said.clear()
        self._pending_better.clear()
        self._praised.clear()
        self._usual = {"start": [], "turn": [], "rep": []}
        self._usual_issues = []
        self._usual_sides = []
        self._records = []
        self.begin_rep()

    def begin_rep(self) -> None:
        self.current = set()
        self._held = {}
        self._judged = set()
        self._moving = {}

    def _fire(self, rule: FormRule, t_s: float, out: list[FormEvent]) -> None:
        self.current.add(rule.name)
        last = self._last_said.get(rule.name, -math.inf)
        if t_s - last >= rule.cooldown_s:
            self._last_said[rule.name] = t_s
            out.append(FormEvent(t_s=t_s, exercise=self.spec.name, rule=rule.name, cue=rule.cue,
                                 severity=rule.severity))
            self._pending_better[rule.name] = self._clean_needed(rule.name)

    def _clean_needed(self, rule: str) -> int:
        """Clean full reps that earn a "better!": one, or two once it was said and the fault came
        back (a fault on every other rep was 'Knees out' - 'Better!' - 'Knees out' all set long)."""
        return 2 if rule in self._praised else 1

    def with_devs(self, values: dict[str, float], phase: str, fault: str | None = None,
                  good: str = "", side: str = "both") -> dict[str, float]:
        """``values`` plus NAME_dev against the median of the last full reps at ``phase`` (of
        ``side``'s, see ``same_side``); ``fault``: of those without that fault, while ``clean_min``
        are left; ``good``: against their quartile on that side ("high" / "low") instead of the median."""
        past = self._usual.get(phase, [])[-self.history:]
        issues = self._usual_issues[-len(past):] if past else []
        keep = same_side(self._usual_sides[-len(past):] if past else [], side)
        return self._devs(values, self.without(past, issues, fault, self.clean_min),
                          self.without([past[k] for k in keep], [issues[k] for k in keep], fault, self.clean_min)
                          if len(keep) < len(past) else None, good)

    def _devs(self, values: dict[str, float], past: list[dict[str, float]], side_past: list[dict[str, float]] | None,
              good: str = "") -> dict[str, float]:
        """``devs_against(values, past)``, the values read from one arm or leg (``of_limb``) against
        ``side_past`` instead where given (that side's reps)."""
        out = self.devs_against(values, past, good)
        if side_past is not None:
            out.update(self.devs_against({k: v for k, v in values.items() if self.of_limb(k)}, side_past, good))
        return out

    def of_limb(self, name: str) -> bool:
        """Is ``name`` (a signal, or its _change / _max / _min / _med / _span) read from one arm or
        leg (points with ``{side}``, not both sides' mean)? A rep's side then tells which limb."""
        if self._limb is None:
            self._limb = frozenset(n for n, sig in self.spec.signals.items() if sig.sided and sig.side != "both")
        for suffix in ("_change", "_max", "_min", "_med", "_span"):
            name = name.removesuffix(suffix)
        return name in self._limb

    @staticmethod
    def without(past: list, issues: list[list[str]], fault: str | None, least: int) -> list:
        """``past`` without the reps ``fault`` was found in, unless fewer than ``least`` are left."""
        if fault is None or not any(fault in i for i in issues):
            return past
        kept = [p for p, i in zip(past, issues) if fault not in i]
        return kept if len(kept) >= least else past

    @staticmethod
    def devs_against(values: dict[str, float], past: list[dict[str, float]], good: str = "") -> dict[str, float]:
        """``values`` plus NAME_dev against the median of ``past`` (NaN with fewer than two);
        ``good`` "high" / "low": against its upper / lower quartile."""
        out = dict(values)
        for k, v in values.items():
            seen = [p[k] for p in past if p.get(k, math.nan) == p.get(k, math.nan)]
            if len(seen) < 2:
                out[k + "_dev"] = math.nan
                continue
            if good in ("high", "low"):
                q = statistics.quantiles(seen, n=4, method="inclusive")
                out[k + "_dev"] = v - (q[2] if good == "high" else q[0])
            else:
                out[k + "_dev"] = v - statistics.median(seen)
        return out

    @staticmethod
    def reference(frames: list[dict[str, float]]) -> dict[str, float]:
        """The start of a rep for ``NAME_change``: per signal, the median of the frames the
        person spent at the start before leaving it (not only the start extreme, a single
        frame that, on a first rep, may still belong to the set-up: picking up the weights)."""
        out: dict[str, float] = {}
        for k in frames[-1] if frames else {}:
            seen = [f[k] for f in frames if f.get(k, math.nan) == f.get(k, math.nan)]
            out[k] = statistics.median(seen) if seen else math.nan
        return out

    @staticmethod
    def with_changes(values: dict[str, float], start: dict[str, float]) -> dict[str, float]:
        """``values`` plus NAME_change (against ``start``) and NAME_start (``start``'s value: e.g.
        the view the rep began in, which a throughout rule can rely on while the movement itself
        makes the pose model misread it)."""
        out = dict(values)
        nan = float("nan")
        for k, v in values.items():
            s = start.get(k, nan)
            out[k + "_change"] = v - s
            out[k + "_start"] = s
        return out

    def during(self, values: dict[str, float], t_s: float, dt: float) -> list[FormEvent]:
        """One frame while a rep is in progress: the ``throughout`` rules."""
        out: list[FormEvent] = []
        for k, v in values.items():
            if v == v and not k.endswith(("_change", "_start")):
                self._moving.setdefault(k, []).append(v)
        for rule in self.spec.form:
            if rule.phase != "throughout" or rule.name in self.current:
                continue
            if rule.judge_if is not None:
                if not rule.judge_if(values):
                    self._held[rule.name] = 0.0
                    continue
                self._judged.add(rule.name)
            if rule.when(values):
                held = self._held.get(rule.name, 0.0) + dt
                self._held[rule.name] = held
                if held >= rule.hold_s:
                    self._fire(rule, t_s, out)
            else:
                self._held[rule.name] = 0.0
        return out

    def finish(self, start: dict[str, float], turn: dict[str, float], rep_values: dict[str, float],
               t_s: float, full: bool, ref: dict[str, float] | None = None,
               own: bool = True, side: str = "both") -> tuple[list[str], list[FormEvent]]:
        """The rep just ended: judge start/turn/rep rules; returns (issues, events). ``ref``:
        what ``NAME_change`` is relative to (default ``start``, the start extreme). ``own``
        False: the landmarker did not see the rep well enough (its start or turn frame is the
        pose recovery's, or too few of its frames are the landmarker's own), so only the throughout
        rules already fired on the landmarker's own frames count; the others are unjudged and the rep stays out of the usual and of ``review``."""
        if not own:
            return self._finish_recovered(full)
        during = [r.name for r in self.spec.form if r.name in self.current]   # fired over the movement
        out: list[FormEvent] = []
        rep_values = {**rep_values, **{k + "_med": statistics.median(v) for k, v in self._moving.items()}}
        shape = {k: v for k, v in rep_values.items() if k.endswith(("_min", "_max", "_med"))}
        plain = rep_values
        rep_values = {**rep_values, **self.with_devs(shape, "rep", side=side)}
        unjudged = [r.name for r in self.spec.form if r.phase == "throughout" and r.judge_if is not None
                    and r.name not in self._judged and r.name not in self.current]
        # what the start / turn / rep rules see (kept in last_seen for tuning tools)
        self.last_seen_for = {}
        self.last_seen = {"start": {**self.with_devs(start, "start", side=side), **rep_values},
                          "turn": {**self.with_devs(self.with_changes(turn, ref or start), "turn", side=side),
                                   **rep_values},
                          "rep": rep_values}
        judged = {r.name for r in self.spec.form if r.phase == "throughout"
                  and (r.judge_if is None or r.name in self._judged)}
        for rule in self.spec.form:
            if rule.name in self.current or rule.phase not in self.last_seen:
                continue
            vals = self.last_seen[rule.phase]
            if rule.usual_good or rule.usual_clean and any(rule.name in i for i in self._usual_issues[-self.history:]):
                self.last_seen_for[rule.name] = self._seen(start, turn, ref, plain, shape, rule, side)
                vals = self.last_seen_for[rule.name][rule.phase]
            if rule.judge_if is not None and not rule.judge_if(vals):
                unjudged.append(rule.name)
                continue
            judged.add(rule.name)
            if rule.when(vals):
                self._fire(rule, t_s, out)
        # a fault checked at several phases is unjudged only if no phase judged it, listed once
        unjudged = [n for n in dict.fromkeys(unjudged) if n not in judged and n not in self.current]
        issues = list(dict.fromkeys(r.name for r in self.spec.form if r.name in self.current))
        self._records.append(_RepRecord(dict(start), dict(turn), self.with_changes(turn, ref or start),
                                        {k: v for k, v in rep_values.items() if not k.endswith("_dev")},
                                        shape, full, len(self._usual.get("rep", [])) < 2, issues,
                                        list(issues), side=side))
        if full:
            self._usual.setdefault("start", []).append(dict(start))
            self._usual.setdefault("turn", []).append(dict(turn))
            self._usual.setdefault("rep", []).append(shape)
            self._usual_issues.append(list(issues))
            self._usual_sides.append(side)
            for past in (*self._usual.values(), self._usual_issues, self._usual_sides):
                del past[:-self.history]
            for rule in self.spec.form:
                if rule.name not in self._pending_better:
                    continue
                if rule.name in self.current:   # still there (its cue waits out its cooldown): count again
                    self._pending_better[rule.name] = self._clean_needed(rule.name)
                    continue
                self._pending_better[rule.name] -= 1
                if self._pending_better[rule.name] <= 0:
                    del self._pending_better[rule.name]
                    self._praised.add(rule.name)
                    out.append(FormEvent(t_s=t_s, exercise=self.spec.name, rule=rule.name, cue=rule.better,
                                         severity=rule.severity, corrected=True))
        self.last_unjudged = unjudged
        self.last_during = list(dict.fromkeys(during))
        self.begin_rep()
        return issues, out

    def _finish_recovered(self, full: bool) -> tuple[list[str], list[FormEvent]]:
        """``finish`` of a rep not seen by the landmarker itself (``own`` False)."""
        judged = {r.name for r in self.spec.form if r.phase == "throughout"
                  and (r.judge_if is None or r.name in self._judged)}
        unjudged = [n for n in dict.fromkeys(r.name for r in self.spec.form)
                    if n not in judged and n not in self.current]
        issues = list(dict.fromkeys(r.name for r in self.spec.form if r.name in self.current))
        self.last_seen, self.last_seen_for = {}, {}
        self._records.append(_RepRecord({}, {}, {}, {}, {}, full, False, issues, list(issues), own=False))
        self.last_unjudged = unjudged
        self.last_during = list(issues)   # only throughout rules were judged
        self.begin_rep()
        return issues, []

    def _seen(self, start: dict[str, float], turn: dict[str, float], ref: dict[str, float] | None,
              rep_values: dict[str, float], shape: dict[str, float], rule: FormRule,
              side: str) -> dict[str, dict[str, float]]:
        """``last_seen`` with every NAME_dev against ``rule``'s own usual (usual_clean / usual_good)."""
        fault, good = rule.name if rule.usual_clean else None, rule.usual_good
        rep_values = {**rep_values, **self.with_devs(shape, "rep", fault, good, side)}
        return {"start": {**self.with_devs(start, "start", fault, good, side), **rep_values},
                "turn": {**self.with_devs(self.with_changes(turn, ref or start), "turn", fault, good, side),
                         **rep_values},
                "rep": rep_values}

    def review_views(self, fault: str | None = None, good: str = "") -> dict[int, dict[str, dict[str, float]]]:
        """Per early rep of the set (its index in the records) with at least two later full
        reps, the values ``review`` judges it on, by phase ("start", "turn", "rep"): its own
        against its next full reps (the first rep's start and shape left NaN, see ``review``)."""
        out = {}
        fulls = [k for k, r in enumerate(self._records) if r.full and r.own]
        for k, rec in enumerate(self._records):
            if not rec.early or not rec.own:
                continue
            later = [self._records[j] for j in fulls if j > k][:self.history]
            keep = same_side([x.side for x in later], rec.side)
            side = self.without([later[j] for j in keep], [later[j].live for j in keep], fault, self.clean_min) \
                if len(keep) < len(later) else None
            later = self.without(later, [x.live for x in later], fault, self.clean_min)
            if len(later) < 2:
                continue

            def devs(values: dict[str, float], part: str) -> dict[str, float]:
                return self._devs(values, [getattr(x, part) for x in later],
                                  None if side is None else [getattr(x, part) for x in side], good)

            if k == 0:   # the set's first rep starts from the set-up: only its turn and (rep rules) its median
                rep = {**rec.rep, **{n + "_dev": math.nan for n in rec.shape}}
                start = {**rec.start, **{n + "_dev": math.nan for n in rec.start}}
                whole = {**rep, **devs({n: v for n, v in rec.shape.items() if n.endswith("_med")}, "shape")}
            else:
                rep = {**rec.rep, **devs(rec.shape, "shape")}
                start = devs(rec.start, "start")
                whole = rep
            out[k] = {"start": {**start, **rep}, "turn": {**devs(rec.turn, "turn_raw"), **rep}, "rep": whole}
        return out

    def review(self) -> int:
        """Offline, the set seen whole: judge the reps that came before the person had a usual
        (whose ``_dev`` names were NaN live) against their next full reps, and add the faults
        found to those reps' issues (the lists ``finish`` returned). The set's first rep only at
        its turn (``NAME_dev`` of the turn values): its start, and so its extremes and median
        over the movement, may still hold the set-up (picking up the weights), and judging
        those added false alarms on the tuning sets (a curl's elbow, a triceps range). Six
        tuning sets pooled the later early reps added 4 faults (curls elbow_drift, rows
        rounded_back and torso_rotation, squats torso_lean) and no false alarm; seven sets
        pooled the first rep's turn adds 3 (curls elbow_drift x2, a sit-up's neck_pull) and no
        false alarm. ``rep`` rules also see the first rep's NAME_med_dev (the median over the
        movement outvotes set-up frames): ten tuning sets, both pose realisations, that finds 2
        more side-on narrow jacks each and a curl torso_swing at 0.2, no false alarm; giving start
        and turn rules the median too added set-up false alarms (raises bent_elbows, lunges
        knee_past_toes, a triceps partial_range). Nothing is spoken and nothing is taken back.
        Returns how many faults were added."""
        added = 0
        dev_rules = [r for r in self.spec.form if r.phase in ("start", "turn", "top", "bottom", "rep")
                     and any(n.endswith("_dev") for n in r.when.names())]
        views = {None: self.review_views()}
        for rule in dev_rules:
            if (rule.usual_clean or rule.usual_good) and rule.name not in views:
                views[rule.name] = self.review_views(rule.name if rule.usual_clean else None, rule.usual_good)
        for k in views[None]:
            rec = self._records[k]
            for rule in dev_rules:
                vals = views[rule.name if rule.usual_clean or rule.usual_good else None].get(k, {}).get(rule.phase)
                if vals is None or rule.name in rec.issues:
                    continue
                if rule.judge_if is not None and not rule.judge_if(vals):
                    continue
                if rule.when(vals):
                    rec.issues.append(rule.name)
                    added += 1
        return added
