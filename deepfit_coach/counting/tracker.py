"""ExerciseTracker: the one object the coach and ``analyze`` drive, frame by frame.

``update(skeleton, t_s)`` smooths the landmarks (One Euro), measures the exercise's
signals, checks that the required body parts are in view and the body is in position,
runs the rep counter and the form checker, and returns the events of this frame.

A frame the pose recovery found (``Skeleton.recovered``; ``recovered`` of ``update_values``) is
counted like any other, but the form checker sees only the landmarker's own frames: recovered
ones feed no throughout rule, no extreme or median over the movement and no start reference, and
a rep whose start or turn frame was recovered, or of whose frames the landmarker itself saw under
``OWN_MIN`` (missed and recovered frames both count against it), is not judged
(``FormChecker.finish(own=False)``). Recovered poses are noisier (on the tuning pool 14% of them
more than 30 px off against 6% of the landmarker's), and a few of them made false alarms; so did
the landmarker's own few frames of reps it mostly lost (BENCHMARKS.md, "Pose recovery").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from deepfit_coach.counting.counter import AT_START, MOVING, NOT_READY, Cycle, RepCounter
from deepfit_coach.counting.form import FormChecker
from deepfit_coach.counting.review import LiveReps, last_rep_put_down
from deepfit_coach.counting.signals import FrameRate, SignalExtractor, point_index
from deepfit_coach.counting.smoothing import OneEuroFilter, swapped_sides
from deepfit_coach.events import Event, PartialRepEvent, RepEvent, RepInfo, RepMergedEvent
from deepfit_coach.exercises.spec import ExerciseSpec
from deepfit_coach.features import BODY_PARTS, VISIBILITY_THRESHOLD, in_picture, presence_in_picture
from deepfit_coach.skeleton import Skeleton


@dataclass
class Readiness:
    """Is the person ready to be counted? ``missing`` names the body parts not in view."""

    in_view: bool
    in_position: bool
    missing: list[str]
    advice: str

    @property
    def ready(self) -> bool:
        return self.in_view and self.in_position


@dataclass
class LiveValues:
    """Everything a dashboard needs about the current frame."""

    signal: str
    value: float
    phase: str            # not_ready | start | moving
    progress: float       # 0 at the start position .. 1 at the usual turn
    start_gate: float
    turn_gate: float
    reference_rom: float
    side: str
    values: dict[str, float] = field(default_factory=dict)


@dataclass
class TracePoint:
    """One frame of the driving signal, kept for ``--plot``."""

    t_s: float
    value: float
    phase: str


def _required_groups(spec: ExerciseSpec) -> list[tuple[str, list[tuple[int, ...]]]]:
    """Each required entry -> alternatives (landmark index tuples), any of which suffices."""
    mode = spec.counting.signal.side
    sides = [mode] if mode in ("left", "right") else ["left", "right"]
    out = []
    for entry in spec.required:
        alts = []
        for side in (sides if "{side}" in entry else ["left"]):
            name = entry.replace("{side}", side)
            alts.append(tuple(BODY_PARTS[name]) if name in BODY_PARTS else (point_index(name),))
        out.append((entry.replace("{side}_", "").replace("_{side}", ""), alts))
    return out


@dataclass
class SmoothedFrame:
    """One frame's landmarks as the tracker measures them: smoothed image pixels (33, 2) and
    world metres (33, 3), presence in the picture ``vis`` and visibility ``seen`` (33,)."""

    pixels: np.ndarray
    world: np.ndarray
    vis: np.ndarray
    seen: np.ndarray


class FrameSmoother:
    """The tracker's landmark smoothing (One Euro, following a left/right label swap); the
    same for every exercise, so ``analyze`` runs it once for all trackers of a window."""

    def __init__(self, smoothing: bool = True) -> None:
        self.smoothing = smoothing
        self._filter = OneEuroFilter()

    def reset(self) -> None:
        self._filter.reset()

    def __call__(self, skeleton: Skeleton, t_s: float) -> SmoothedFrame:
        img = skeleton.image
        inside = in_picture(img)
        seen = np.where(inside, img[:, 3], 0.0).astype(np.float64)
        vis = presence_in_picture(img, inside).astype(np.float64)   # "in the frame" (see there)
        pts = np.concatenate([img[:, :2], skeleton.world], axis=1).astype(np.float64)
        wh = np.array([skeleton.width, skeleton.height], dtype=np.float64)
        if self.smoothing:
            # left/right labels swapped by the pose model: each limb is smoothed on from where it was
            ref = self._filter.state
            if ref is not None:
                order = swapped_sides(img[:, :2] * wh, ref[:, :2] * wh)
                if order is not None:
                    self._filter.permute(order)
            pts = self._filter(pts, t_s)
        return SmoothedFrame(pts[:, :2] * wh, pts[:, 2:], vis, seen)


VARIANT_WINDOW_S = 1.0   # the frames a counting variant is chosen on (see _choose_counting)
SETTLE_S = 0.4           # NAME_moved (``settle``): how far a signal moved over this many last seconds
START_REF_S = 1.0        # the last frames at the start a rep's NAME_change is against (15 at 15 fps)
# A rep rising back to the start ends at the start's extreme, but not past a partial rep begun since that
# moved >= EXTEND_STOP x the rep's range (or the set's usual, if larger): the rep ended before that
# movement (brisk push-ups: a first rep stretched over two quick partial reps read as lasting 4.3 s, so
# the set's review found no room for them)
EXTEND_STOP = 0.5
# ... or, a partial rep of the other arm or leg (the rep's side left, the partial's right, or the other way),
# >= EXTEND_STOP_OTHER x the set's usual range: the other arm's rep began, read small (alternating curls
# side-on: a far-arm curl of 45 deg inside a near-arm rep of 97 stretched to 2.2 s, so the set's review
# could not count it as the other arm's rep, benchmarks/fast_tempo.py seed 39002)
EXTEND_STOP_OTHER = 0.3
# Form is judged on a rep the landmarker itself saw on at least this share of its frames. Tuning pool:
# false alarms on reps seen 16%, 23% and 30% of the time (head-on rows and push-ups, a side-on triceps
# rep only recovered frames let the counter start); a true elbow_flare on one seen 34% (at 1/2 it was lost)
OWN_MIN = 1 / 3


class ExerciseTracker:
    """Counts reps and checks form of one exercise; ``reset()`` between sets."""

    def __init__(self, spec: ExerciseSpec, smoothing: bool = True, record: bool = False,
                 position_tolerance_s: float = 0.3, despike_window_s: float = 0.5) -> None:
        self.spec = spec
        self.extractor = SignalExtractor(spec)
        self.counter = RepCounter(spec.counting)
        self.form = FormChecker(spec)
        self.smoothing = smoothing
        self.record = record
        self.position_tolerance_s = position_tolerance_s
        self.despike_window_s = despike_window_s
        self._smoother = FrameSmoother(smoothing)
        self._required = _required_groups(spec)
        self._main = spec.counting.signal.name
        self._variant_votes: list[tuple[float, int]] = []
        self.trace: list[TracePoint] = []
        # what the set's review reads of each rep (``set_up``, ``put_down``): NAME at the rep's turn,
        # NAME_max / NAME_min / NAME_span over the rep (each also as _dev, against the set's usual)
        self._edge_names = sorted({n if n in spec.signals else n.removesuffix("_dev")
                                   for cond in spec.set_up + spec.put_down for n in cond.names()
                                   if n not in ("duration_s", "duration_ratio")})   # the review's own
        # the signals the exercise's ``settle`` conditions name (NAME or NAME_moved)
        self._settle_names = sorted({n if n in spec.signals else n.removesuffix("_moved")
                                     for cond in spec.settle for n in cond.names()})
        self.reset()

    # ------------------------------------------------------------------ state
    def reset(self) -> None:
        """Start a new set: counts, references and cooldowns cleared."""
        self._use_counting(self.spec.counting)
        self._variant_votes = []
        self.counter.reset()
        self.form.reset()
        self.extractor.reset()
        self._smoother.reset()
        self._live = LiveReps()
        self._pending: RepInfo | None = None
        self._put_down: RepInfo | None = None   # a rep that may be putting the weights down (``_count``)
        self.partial_log: list[RepInfo] = []
        self.events: list[Event] = []
        self.trace = []
        self._values: dict[str, float] = {}
        self._values_rec = False   # _values are the pose recovery's
        self._side = "both"
        self._start_snap: dict[str, float] = {}
        self._rep_start_snap: dict[str, float] = {}
        self._start_frames: list[dict[str, float]] = []   # at the start, before leaving it (form)
        self._start_marks: list[bool] = []                 # ... which of them were recovered
        self._start_rec = self._rep_start_rec = self._turn_rec = False   # those snapshots recovered
        self._rep_ref: dict[str, float] = {}               # their median: what NAME_change is against
        self._turn_snap: dict[str, float] = {}
        self._pos_bad_since: float | None = None
        self._recent: list[tuple[float, float]] = []
        self._settle_log: list[tuple[float, dict[str, float]]] = []
        self._last_t: float | None = None
        self._rate = FrameRate()
        self._rep_frames = self._rep_bad = self._rep_rec = self._rep_lost = 0
        self._rep_max: dict[str, float] = {}
        self._rep_min: dict[str, float] = {}
        self._form_max: dict[str, float] = {}   # the same over the landmarker's own frames (form; once
        # a rep has recovered frames, else _rep_max/_rep_min serve)
        self._form_min: dict[str, float] = {}
        self.readiness = Readiness(False, False, [r for r, _ in self._required] or ["body"],
                                   self.spec.camera_advice)

    @property
    def rep_log(self) -> list[RepInfo]:
        """Every full rep as the counter saw it (what ``review_set`` reviews offline)."""
        return self._live.raw

    @property
    def live_log(self) -> list[RepInfo]:
        """The reps as counted live: a rep broken in two joined (``LiveReps``)."""
        return self._live.reps

    @property
    def reps(self) -> int:
        """The live count (what the coach says), with a rep still held judged as if the set
        ended now."""
        p = self._pending
        return len(self._live.reps) + (p is not None and self._live.decide(p) == "new")

    @property
    def partial_reps(self) -> int:
        return len(self.partial_log)

    @property
    def in_position(self) -> bool:
        return self.readiness.ready

    @property
    def missing(self) -> list[str]:
        return self.readiness.missing

    @property
    def live(self) -> LiveValues:
        c = self.counter.live()
        return LiveValues(self._main, c.value, c.phase, c.progress, c.start_gate, c.turn_gate, c.reference_rom,
                          self._side, dict(self._values))

    # ------------------------------------------------------------------ per frame
    def update(self, skeleton: Skeleton | None, t_s: float) -> list[Event]:
        """Feed one frame (None when no person was detected); returns this frame's events."""
        if skeleton is None:
            return self.update_lost(t_s)
        frame = self._smoother(skeleton, t_s)
        values, used, _ = self.extractor.compute(frame.pixels, frame.world, frame.vis, frame.seen, t_s)
        return self.update_values(t_s, values, used, frame.vis, recovered=skeleton.recovered)

    def missing_parts(self, vis: np.ndarray) -> list[str]:
        """The required body parts not in view, given the landmarks' presence (33,)."""
        ok_lm = (vis >= VISIBILITY_THRESHOLD).tolist()
        return [name for name, alts in self._required if not any(all(ok_lm[i] for i in a) for a in alts)]

    def missing_many(self, vis: np.ndarray) -> list[list[str]]:
        """``missing_parts`` of many frames at once ((F, 33) presence)."""
        ok = np.asarray(vis) >= VISIBILITY_THRESHOLD
        out: list[list[str]] = [[] for _ in range(len(ok))]
        for name, alts in self._required:
            seen = np.zeros(len(ok), dtype=bool)
            for a in alts:
                seen |= ok[:, list(a)].all(axis=1)
            for i in np.flatnonzero(~seen).tolist():
                out[i].append(name)
        return out

    def update_lost(self, t_s: float, misread: bool = False) -> list[Event]:
        """A frame in which no person was detected (``misread``: the person's pose misread,
        ``RepCounter.update``'s ``glitch``)."""
        self._last_t = t_s
        out: list[Event] = []
        self.readiness = Readiness(False, False, ["body"], self.spec.camera_advice)
        cycle = self.counter.update(math.nan, t_s, "", False, seen=False, glitch=misread)
        if cycle is not None:  # seen back at the start just before the body was lost
            self._complete(cycle, self._values, t_s, out, self._values_rec)
        elif self.counter.phase == MOVING:
            self._rep_lost += 1
        # a held rep waits for the person (the coach drops what comes while paused)
        self.events.extend(out)
        self._record(t_s, math.nan)
        return out

    def update_values(self, t_s: float, values: dict[str, float], used: dict[str, str], vis: np.ndarray,
                      missing: list[str] | None = None, recovered: bool = False) -> list[Event]:
        """A frame with a person, its signals measured (``SignalExtractor.compute`` on the frame
        ``FrameSmoother`` made; ``analyze`` measures a whole window at once, ``compute_many``,
        and passes the body parts out of view, ``missing_many``).

        A frame the exercise's ``misread`` conditions (or those of the way of counting in use) call
        the pose model's misreading (a body upside down in a standing exercise: after losing a person
        the model can hold a flipped skeleton for seconds) counts as a frame without a person, not as
        one out of position: a rep the person finishes meanwhile is not thrown out for it, and the
        garbage is never a rep.
        ``recovered``: the pose recovery's pose, counted but not judged for form (module doc)."""
        if (any(cond(values) for cond in self.spec.misread)
                or any(cond(values) for cond in self.counter.spec.misread)):
            return self.update_lost(t_s, misread=True)
        dt = 0.0 if self._last_t is None else max(0.0, t_s - self._last_t)
        self._last_t = t_s
        self._rate.add(t_s)
        out: list[Event] = []
        self._values, self._values_rec = values, recovered
        missing = self.missing_parts(vis) if missing is None else missing
        in_view = not missing
        in_pos = all(cond(values) for cond in self.spec.position)
        if in_pos:
            self._pos_bad_since = None
        elif self._pos_bad_since is None:
            self._pos_bad_since = t_s
        pos_ok = in_pos or (self._pos_bad_since is not None and t_s - self._pos_bad_since <= self.position_tolerance_s)
        self.readiness = Readiness(in_view, in_pos, missing, self.spec.camera_advice)
        if self.spec.counting.variant is not None and (
                self.counter.phase == NOT_READY
                or self.counter.phase == AT_START and not self.counter.full_reps
                and (self.spec.counting.variant_window_s is not None or self._few_votes(t_s))):
            self._choose_counting(values, t_s)
        main = self._despike(values[self._main], t_s)
        self._side = used.get(self.counter.spec.side_signal or self._main, "both")
        counter = self.counter
        cycle = counter.update(main, t_s, self._side, in_view and pos_ok, seen=in_view, settled=self._settled(values, t_s))
        if counter.new_start and cycle is None:
            self._start_snap, self._start_rec = values, recovered
            self._start_frames, self._start_marks = [values], [recovered]
        elif counter.phase == AT_START and cycle is None and self._start_frames:
            keep = 1 - self._rate.frames(START_REF_S)
            self._start_frames = self._start_frames[keep:] + [values]
            self._start_marks = self._start_marks[keep:] + [recovered]
        if counter.left_start:
            self._rep_start_snap, self._rep_start_rec = self._start_snap, self._start_rec
            own = [f for f, r in zip(self._start_frames, self._start_marks) if not r]
            self._rep_ref = self.form.reference(own or [self._start_snap])
            self.form.begin_rep()
            self._rep_frames = self._rep_bad = self._rep_rec = self._rep_lost = 0
            self._rep_max, self._rep_min = {}, {}
            self._form_max, self._form_min = {}, {}
        if counter.phase == MOVING or cycle is not None:
            self._rep_frames += 1
            self._rep_bad += in_view and not in_pos  # out of sight is not out of position
            if recovered and not self._rep_rec:   # form's extremes part from the counter's here
                self._form_max, self._form_min = dict(self._rep_max), dict(self._rep_min)
            self._rep_rec += recovered
            both = ((self._rep_max, self._rep_min),) + (((self._form_max, self._form_min),)
                                                        if self._rep_rec and not recovered else ())
            for hi, lo in both:
                for k, v in values.items():
                    if v == v:
                        if not (hi.get(k, -math.inf) >= v):
                            hi[k] = v
                        if not (lo.get(k, math.inf) <= v):
                            lo[k] = v
        if counter.new_turn:
            self._turn_snap, self._turn_rec = values, recovered
        if counter.phase == MOVING and cycle is None and not counter.returning and not recovered:
            out.extend(self.form.during(self.form.with_changes(values, self._rep_ref), t_s, dt))
        self._complete(cycle, values, t_s, out, recovered)
        self._count_held(t_s, out)
        self._record(t_s, main)
        self.events.extend(out)
        return out

    def _settled(self, values: dict[str, float], t_s: float) -> bool:
        """Do the exercise's ``settle`` conditions hold on this frame? NAME_moved: how far NAME
        moved (max - min) over the last SETTLE_S; a condition not measured does not hold it up."""
        if not self.spec.settle:
            return True
        keep = [(t, v) for t, v in self._settle_log if t_s - t < SETTLE_S]
        keep.append((t_s, {n: values.get(n, math.nan) for n in self._settle_names}))
        self._settle_log = keep
        now = dict(keep[-1][1])
        for n in self._settle_names:
            seen = [v[n] for _, v in keep if v[n] == v[n]]
            now[n + "_moved"] = max(seen) - min(seen) if seen else math.nan
        return all(cond(now) for cond in self.spec.settle if cond.measured(now))

    def _few_votes(self, t_s: float) -> bool:
        """Were the counting variant's votes so far cast over less than its window? (The counter
        armed on a clip's first frames, cut to the set: one frame must not choose the way to count.)"""
        window = self.spec.counting.variant_window_s or VARIANT_WINDOW_S
        return not self._variant_votes or t_s - self._variant_votes[0][0] < window

    def _choose_counting(self, values: dict[str, float], t_s: float) -> None:
        """While the counter waits for the start position: the exercise's counting ``variant``
        where its condition held on most frames of the last ``VARIANT_WINDOW_S`` it could be
        judged on (a view read over a second, not one frame's flicker), else its own. A switch
        forgets the usual range (another signal, other units); a set under way keeps its way."""
        chain = self.spec.counting.variants()
        if not chain or not chain[0][0].measured(values):
            return
        # the frame's vote: the first variant of the chain whose condition holds (0: none, the block's own)
        vote = next((i + 1 for i, (cond, _) in enumerate(chain) if cond.measured(values) and cond(values)), 0)
        window = self.spec.counting.variant_window_s or VARIANT_WINDOW_S
        votes = [(t, v) for t, v in self._variant_votes if t_s - t < window]
        votes.append((t_s, vote))
        self._variant_votes = votes
        want = self.spec.counting
        for i, (_, var) in enumerate(chain):
            if 2 * sum(v == i + 1 for _, v in votes) > len(votes):
                want = var
        if want is not None and want is not self.counter.spec:
            self._use_counting(want)
            self.counter.full_reps.clear()
            if self.counter.phase == AT_START:
                self.counter.phase = NOT_READY  # its start level was in the other signal's units: arm again

    def _use_counting(self, counting) -> None:
        self.counter.spec = counting
        self._main = counting.signal.name
        self._recent = []

    def _complete(self, cycle: Cycle | None, values: dict[str, float], t_s: float, out: list[Event],
                  recovered: bool = False) -> None:
        """A swing the counter finished: judge it (position, shape, form) and log the rep
        (``recovered``: this frame's pose is the pose recovery's)."""
        counter = self.counter
        if cycle is not None and self._rep_bad > 0.2 * self._rep_frames:
            counter.forget(cycle)
            cycle = None  # out of position for much of the movement (walking, setting up)
            self.form.begin_rep()
        # the rep's extremes (NAME_max, NAME_min), built once for the confirm and the form rules
        extremes = {**{k + "_max": v for k, v in self._rep_max.items()},
                    **{k + "_min": v for k, v in self._rep_min.items()}} if cycle is not None else {}
        if cycle is not None and self.spec.confirm:
            seen = {**self._turn_snap, **extremes, "rom": cycle.rom, "duration_s": cycle.t_end - cycle.t_start}
            # a confirm condition whose signals were never seen in the rep (the hips out of the
            # picture) cannot tell that it was no rep: it is not judged
            if not all(cond(seen) for cond in self.spec.confirm if cond.measured(seen)):
                counter.forget(cycle)
                cycle = None  # moved like a rep but not in this exercise's shape
                self.form.begin_rep()
        if cycle is not None:
            ref = counter.reference_rom if not cycle.full else (
                np.median(counter.full_roms[-6:-1]) if len(counter.full_roms) > 1 else cycle.rom)
            rep_values = {"rom": cycle.rom, "relative_rom": cycle.rom / ref if ref else 1.0,
                          "duration_s": cycle.t_end - cycle.t_start, "down_s": cycle.t_turn - cycle.t_start,
                          "up_s": cycle.t_end - cycle.t_turn}
            # form: the extremes over the landmarker's own frames; none judged on a rep it mostly did not see
            if self._rep_rec:
                rep_values.update({**{k + "_max": v for k, v in self._form_max.items()},
                                   **{k + "_min": v for k, v in self._form_min.items()}})
            else:
                rep_values.update(extremes)
            own = not (self._rep_start_rec or self._turn_rec
                       or OWN_MIN * (self._rep_frames + self._rep_lost) > self._rep_frames - self._rep_rec)
            issues, form_events = self.form.finish(self._rep_start_snap, self._turn_snap, rep_values, t_s,
                                                   cycle.full, ref=self._rep_ref, own=own, side=cycle.side)
            info = RepInfo(index=0, start_s=cycle.t_start, end_s=cycle.t_end, side=cycle.side, rom_deg=cycle.rom,
                           down_s=cycle.t_turn - cycle.t_start, up_s=cycle.t_end - cycle.t_turn,
                           issues=issues, partial=not cycle.full, unjudged=list(self.form.last_unjudged),
                           turn_values={n: self._edge_value(n) for n in self._edge_names},
                           during=list(self.form.last_during), from_edge=cycle.from_edge,
                           count_s=cycle.t_end - cycle.t_start, quick=cycle.quick)
            out.extend(form_events)
            if cycle.full:
                self._count_held(t_s, out, force=True)
                info.index = len(self.rep_log) + 1
                self.rep_log.append(info)
                if self._live.would_join(info):
                    self._pending = info  # judged again once its end is known (see _count_held)
                else:
                    self._count(info, t_s, out)
            else:
                self.partial_log.append(info)
                out.append(PartialRepEvent(t_s=t_s, exercise=self.spec.name, rep=info))
            self._start_snap, self._start_rec = values, recovered
            self._start_frames, self._start_marks = [values], [recovered]
        elif counter.new_start and self.rep_log and counter.phase != MOVING:
            # still rising back to the start position: the last rep ends at the extreme
            # (not past a rep-sized partial rep begun since: the rep ended before that movement; a
            # small one may be the rep's own tail, a piece of it the pose model broke off)
            last = self.rep_log[-1]
            if last.end_s <= t_s and t_s - last.end_s < 1.0 and counter._t0 == t_s and not self._moved_since(last):
                self._live.extend_last(t_s)

    def _moved_since(self, last: RepInfo) -> bool:
        """A partial rep begun since ``last`` ended that moved >= EXTEND_STOP x its range (or the
        set's usual, if larger), or of the other side >= EXTEND_STOP_OTHER x the usual."""
        usual = max(last.rom_deg, self.counter.reference_rom)
        return any(p.start_s >= last.end_s and (p.rom_deg >= EXTEND_STOP * usual or _other_side(p, last)
                                                and p.rom_deg >= EXTEND_STOP_OTHER * self.counter.reference_rom)
                   for p in self.partial_log[-3:])

    def _edge_value(self, name: str) -> float:
        """A value the set's review reads of the rep just finished: NAME at its turn, or
        NAME_max / NAME_min / NAME_span over it."""
        if name in self.spec.signals:
            return self._turn_snap.get(name, math.nan)
        base, _, kind = name.rpartition("_")
        hi, lo = self._rep_max.get(base, math.nan), self._rep_min.get(base, math.nan)
        return {"max": hi, "min": lo, "span": hi - lo}.get(kind, math.nan)

    def _count_held(self, t_s: float, out: list[Event], force: bool = False) -> None:
        """A rep that looked like the rest of the last one, held uncounted while it may still
        rise back to the start (its end and length are not known yet): judged and counted or
        joined once it can no longer rise further (1 s after its end, as ``_complete`` extends
        it), when the next rep is done, or with ``force``."""
        p = self._pending
        if p is not None and (force or t_s - p.end_s >= 1.0):
            self._pending = None
            self._count(p, t_s, out)

    def _count(self, raw: RepInfo, t_s: float, out: list[Event]) -> None:
        """Count ``raw`` live - unless it meets the exercise's ``put_down`` conditions against the
        reps so far (what the set's review drops as the last rep: standing up and bending to put
        the weights down). Such a rep is said once the next rep shows it was one, and never if
        the set ends with it, so the count said aloud does not go up as the weights go down."""
        held, self._put_down = self._put_down, None
        if held is not None:
            self._count_now(held, t_s, out)
        if self.spec.put_down and self._live.decide(raw) == "new":
            reps = self._live.reps + [raw]
            if len(last_rep_put_down(reps, [], self.spec.put_down)[0]) < len(reps):
                self._put_down = raw
                return
        self._count_now(raw, t_s, out)

    def _count_now(self, raw: RepInfo, t_s: float, out: list[Event]) -> None:
        name = self.spec.name
        for gap in self._live.gap_reps(self.partial_log, raw):
            rep = self._live.count_gap_rep(gap)
            out.append(RepEvent(t_s=t_s, exercise=name, count=len(self._live.reps), rep=rep, from_partial=True))
        change = self._live.add(raw)
        if change.joined is not None:  # a rep broken in two: the count does not go up for it
            out.append(RepMergedEvent(t_s=t_s, exercise=name, count=change.joined.index, rep=change.joined,
                                      replaced=change.replaced, raw=raw if change.kind == "joined" else None))
        if change.kind != "joined":
            out.append(RepEvent(t_s=t_s, exercise=name, count=change.rep.index, rep=change.rep, raw=raw))

    def flush(self, t_s: float) -> list[Event]:
        """The set ends: a rep back at the start but not yet for the return hold, and a rep
        still held, are judged now; returns the events."""
        out: list[Event] = []
        cycle = self.counter.finish()
        if cycle is not None:
            self._complete(cycle, self._values, t_s, out, self._values_rec)
        self._count_held(t_s, out, force=True)
        self.events.extend(out)
        return out

    def _despike(self, value: float, t_s: float) -> float:
        """Median of the last three values within ``despike_window_s``: a one-frame pose-model
        glitch (a limb jumping away and back) is neither a turn nor a return - also right
        after a frame or two without a person, when such glitches are most common."""
        if value != value:
            return value
        recent = [(t, v) for t, v in self._recent if t_s - t <= self.despike_window_s][-2:]
        recent.append((t_s, value))
        self._recent = recent
        if len(recent) < 3:
            return value
        return sorted(v for _, v in recent)[1]

    def _record(self, t_s: float, value: float) -> None:
        if self.record:
            self.trace.append(TracePoint(t_s, value, self.counter.phase))


def _other_side(a: RepInfo, b: RepInfo) -> bool:
    """One rep of the left arm or leg, the other of the right."""
    return {a.side, b.side} == {"left", "right"}
