"""The rep counter: a hysteresis state machine on one signal, relative to the person.

Why not fixed angle gates: real people rarely reach textbook angles and their range
drifts within a set. A rep here is a swing away from the start position and back whose
size is judged three ways: at least ``min_rom`` (absolute), past lenient absolute gates
(so shaking at the bottom is not a rep), and at least ``partial_below`` of the person's
own recent full reps (so a half rep is reported as partial, not counted). Both the
leave and the return thresholds are hysteresis bands relative to the current rep's own
extremes, which makes counting insensitive to slow tempo, pauses and uneven depth.

Nothing is counted until the signal has been seen on the start side of ``start_gate``
with the body in view and in position; losing the body mid-rep abandons the rep. So a
clip that starts mid-rep, walking in, or a set-up movement is not counted. A body that
comes into the start position holds it ``start_hold_s`` before its first rep (else the
movement is the set-up passing through), but one there from the stream's first frames
(a clip cut to the set) may start at once; and a rep back at its start when the stream
ends counts (``finish``): real clips are often cut tight around the reps.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from deepfit_coach.exercises.spec import CountingSpec

NOT_READY, AT_START, MOVING = "not_ready", "start", "moving"

# A rep quicker than the exercise's ``rep_duration`` minimum still counts mid-set when the set's own
# reps are that quick (``RepCounter._quick_rep``): with at least QUICK_AFTER full reps counted, its
# range within QUICK_ROM of the usual, its time at least QUICK_SHARE of the quickest of the last
# QUICK_LAST full reps, and never under QUICK_FLOOR x the minimum. The minimum is met on the time
# from leaving the start to the count (part way back), so a brisk 0.8-s push-up measures 0.45-0.55 s
# against push-ups' 0.6; the set's first reps, the set-up and getting up at its end (quick, and
# bigger or far quicker than the set's reps) keep the minimum.
QUICK_AFTER = 2
QUICK_LAST = 3
QUICK_ROM = (0.7, 1.4)
QUICK_SHARE = 0.65
QUICK_FLOOR = 0.5


def like_quick_reps(rom: float, dur: float, usual_rom: float, pace_s: float) -> bool:
    """A rep under the minimum time is like the set's quick reps: its range within QUICK_ROM of the
    usual one, its time at least QUICK_SHARE of the set's pace (the counter live: its quickest recent
    rep; the set's review: its median rep, ``review.count_quick_reps``)."""
    return QUICK_ROM[0] * usual_rom <= rom <= QUICK_ROM[1] * usual_rom and dur >= QUICK_SHARE * pace_s


@dataclass
class Cycle:
    """A completed swing start -> turn -> back; ``full`` decides rep vs partial rep."""

    t_start: float
    t_turn: float
    t_end: float          # when the return was confirmed (the count moment)
    start_value: float    # signal values (real units)
    turn_value: float
    rom: float
    side: str
    full: bool
    reason: str = ""      # why a cycle is partial
    from_edge: bool = False  # begun at the stream's first frames without the start hold
    quick: bool = False      # partial only for being quicker than the minimum (not under QUICK_FLOOR of it):
                             # the set's review counts it if the set's reps are that quick (review.count_quick_reps)


@dataclass
class CounterLive:
    """What the dashboard shows about the counter."""

    phase: str
    value: float
    progress: float       # 0 at the start position, 1 at the usual turn
    start_gate: float
    turn_gate: float
    reference_rom: float


@dataclass(frozen=True)
class FullRep:
    """A full rep's range and duration: the person's usual rep is read from the last few."""

    rom: float
    duration_s: float


@dataclass
class RepCounter:
    """Feed ``update(value, t_s, side, ok)`` every frame; returns a Cycle when one ends."""

    spec: CountingSpec
    gap_tolerance_s: float = 0.5
    lost_tolerance_s: float = 2.0  # mid-rep, the body may be out of sight this long (not out of position)
    return_hold_s: float = 0.12   # the return must last this long: a pose-model glitch of a frame or two is no rep
    start_hold_s: float = 0.3     # the start position is held this long before the first rep (not the set-up)
    edge_s: float = 0.3           # ... unless the stream began there: at the start position this soon after its first frame
    edge_stall_s: float = 1.0     # such a rep that stops moving this long short of half its range: the pose settling
    phase: str = NOT_READY
    full_reps: list[FullRep] = field(default_factory=list)   # the set's full reps so far (the usual rep)
    _s0: float = 0.0
    _t0: float = 0.0
    hover_s: float = 0.4          # a level a little off the start held this long is rested at: the rep begins when it is left
    _hover: tuple[float, float] | None = None  # by the start, the level the body is at and since when (None: none yet)
    _turn: float = 0.0
    _t_turn: float = 0.0
    _t_leave: float = 0.0
    _side_turn: str = "both"
    _t_back: float | None = None
    _back_before: float | None = None  # a return interrupted by the pose model's misreading (``glitch``): since when
    _t_ready: float | None = None  # since when the start position is held (None: armed, reps follow)
    _t_first: float | None = None  # the stream's first frame
    _at_edge: bool = False         # the start position was reached at the stream's first frames
    _edge_watch: tuple[float, float] | None = None  # a rep begun without the hold: its last progress (turn, time)
    _from_edge: bool = False       # the rep under way was begun so
    _back_value: float = 0.0
    _bad_since: float | None = None
    _bad_unseen: bool = False      # every bad frame since _bad_since was the body out of sight
    _last_value: float = float("nan")
    _last_t: float = 0.0
    new_start: bool = False   # set on the frame the start extreme moved (for snapshots)
    new_turn: bool = False    # set on the frame the turn extreme moved
    left_start: bool = False  # set on the frame a rep began

    def reset(self) -> None:
        """A new set: its first frame is a new stream's (``edge_s``)."""
        self.phase = NOT_READY
        self.full_reps.clear()
        self._bad_since = None
        self._t_first, self._at_edge, self._edge_watch = None, False, None

    @property
    def full_roms(self) -> list[float]:
        """The ranges of the set's full reps, oldest first."""
        return [r.rom for r in self.full_reps]

    @property
    def reference_rom(self) -> float:
        """Median range of the last full reps (0 before the first)."""
        return statistics.median(r.rom for r in self.full_reps[-5:]) if self.full_reps else 0.0

    def live(self) -> CounterLive:
        sp = self.spec
        ref = self.reference_rom or abs(sp.turn - sp.start)
        d = sp.direction
        base = d * self._s0 if self.phase != NOT_READY else d * sp.start
        prog = (d * self._last_value - base) / ref if ref > 0 and self._last_value == self._last_value else 0.0
        return CounterLive(self.phase, self._last_value, max(0.0, min(1.5, prog)), sp.start_gate, sp.turn_gate,
                           self.reference_rom)

    def update(self, value: float, t_s: float, side: str, ok: bool, seen: bool = True,
               settled: bool = True, glitch: bool = False) -> Cycle | None:
        """``ok``: in view and in position; ``seen``: False when not ok because the body (or a
        required part) is out of sight - a pose model often loses a person at the far end of a
        rep (push-ups facing the camera), which should not abandon the rep. ``settled``: False
        while the body is still coming into position (the exercise's ``settle``: rising from
        picking the weights up): until a set's first rep is armed, such a frame is not the start
        position, and the start hold begins again from the next settled one. ``glitch``: a frame
        the pose model misread (the exercise's ``misread``), no person in it: a return under way
        is not taken as seen whole (as when the body is lost) but must be held again once the
        body is seen (the legs folded together mid-lunge read as a return, then the lunge went on)."""
        self.new_start = self.new_turn = self.left_start = False
        sp = self.spec
        d = sp.direction
        if self._t_first is None:
            self._t_first = t_s
        if not ok or value != value:
            if glitch and self._t_back is not None and self.phase == MOVING:
                self._back_before, self._t_back = self._t_back, None
            if self.returning and not glitch:
                # back at the start, then the body was lost before the return was confirmed
                # (walking off, a blocked view): the rep was seen whole, count it, as at the stream's end
                self._bad_since = t_s
                return self.finish()
            if self._bad_since is None:
                self._bad_since, self._bad_unseen = t_s, True
            self._bad_unseen = self._bad_unseen and not seen
            tolerance = self.lost_tolerance_s if self.phase == MOVING and self._bad_unseen else self.gap_tolerance_s
            if self.phase != NOT_READY and t_s - self._bad_since > tolerance:
                if self.returning:  # misread too long after a return: the rep was seen whole
                    return self.finish()
                self.phase = NOT_READY
            return None
        self._bad_since = None
        self._back_before = None
        self._last_value, self._last_t = value, t_s
        u = d * value
        if self.phase == NOT_READY:
            if u <= d * sp.start_gate and not self._outside_start(u) and settled:
                self.phase = AT_START
                self._s0, self._t0, self._hover = u, t_s, None
                self._t_ready = t_s
                self._at_edge = not self.full_reps and t_s - self._t_first <= self.edge_s
                self.new_start = True
            return None
        if self.phase == AT_START:
            if not settled and self._t_ready is not None and t_s - self._t_ready < self.start_hold_s:
                self.phase = NOT_READY  # still coming into position before the first rep: wait again
                return None
            if self._outside_start(u):
                # arms hanging before a press: no cycle from here is this exercise's (``_judge``);
                # held long, such a start swallowed the first rep after a quick pick-up
                self.phase = NOT_READY
                return None
            if u < self._s0:
                if settled or self.full_reps:  # before a set's first rep, a body still rising sets no start level
                    self._s0, self._t0, self._hover = u, t_s, None
                    self.new_start = True
            elif u - self._s0 <= 0.1 * sp.min_rom:
                self._t0, self._hover = t_s, None  # still at the start: the rep begins when the body leaves it
            elif u - self._s0 < sp.leave_start * sp.min_rom:
                # resting a little off the start level (a knee not quite straight after the first frames'
                # full stand): the rep begins when the body leaves this level, not the start's. A first rep
                # after 2 s of standing 2 deg off was timed from the clip's first frames (down 2.9 s, not 1.1)
                self._hovering(u, t_s)
            elif u - self._s0 >= sp.leave_start * sp.min_rom:
                held = self._t_ready is not None and t_s - self._t_ready < self.start_hold_s
                if held and not self._at_edge:
                    if u - self._s0 >= 0.5 * sp.min_rom:
                        # moved on at once (the set-up passing through): start again from here;
                        # a smaller swing is jitter or a rep's first frames, judged after the hold
                        self._s0, self._t0, self._t_ready = u, t_s, t_s
                        self.new_start = True
                    return None
                self._t_ready = None
                self._edge_watch = (u, t_s) if held else None
                self._from_edge = held
                self.phase = MOVING
                self._t_back = None
                self._t_leave = t_s
                self._turn, self._t_turn, self._side_turn = u, t_s, side
                self.new_turn = self.left_start = True
            return None
        # MOVING
        if u > self._turn:
            self._turn, self._t_turn, self._side_turn = u, t_s, side
            self.new_turn = True
        if self._turn - self._s0 < 0.5 * sp.min_rom:
            self._t_leave = t_s  # still hovering by the start (its level drifted past the leave line): no rep's clock yet
            self._hovering(u, t_s)
        if t_s - self._t_leave > sp.max_rep_s:
            self.phase = NOT_READY  # stalled (lying down, resting at the bottom): no rep
            return None
        if self._edge_watch is not None and self._t_back is None:
            if self._turn >= self._edge_watch[0] + 0.1 * sp.min_rom:
                self._edge_watch = (self._turn, t_s)
            elif (t_s - self._edge_watch[1] > self.edge_stall_s
                  and self._turn - self._s0 < 0.5 * abs(sp.turn - sp.start)):
                # begun at the stream's first frames without the hold, then no further than half
                # the textbook range: the pose model settling on its first frames, not a rep (a
                # rep pausing at its turn has come further). The start is here, and the stall held it
                self._edge_watch, self._at_edge = None, False
                self.phase = AT_START
                self._s0, self._t0, self._t_ready, self._hover = u, t_s, None, None
                self.new_start = True
                return None
        rom = self._turn - self._effective_start()
        # back by return_share of this rep's range - or by a full usual range, so that a
        # start level inflated by a stray movement before the rep cannot swallow reps
        usual = max(sp.min_rom, 0.5 * self.reference_rom)
        back = max(min(sp.return_share * rom, usual), sp.leave_start * sp.min_rom)
        if u > self._turn - back:
            self._t_back = None
            return None
        if self._t_back is None:
            self._t_back, self._back_value = t_s, u
        if t_s - self._t_back < self.return_hold:
            self._back_value = min(self._back_value, u)
            return None
        t_back, self._t_back = self._t_back, None
        cycle = self._judge(rom, t_back)
        self.phase = AT_START
        self._s0, self._t0, self._hover = min(u, self._back_value), t_s, None
        self._edge_watch = None
        self.new_start = True
        return cycle

    def finish(self) -> Cycle | None:
        """The stream ends (or the body is lost): a rep already back past its return
        (``returning``) but not yet for the return hold was seen whole (a clip cut right after its
        last rep): judged now."""
        if not self.returning:
            return None
        t_back = self._t_back if self._t_back is not None else self._back_before
        self._t_back = self._back_before = None
        cycle = self._judge(self._turn - self._effective_start(), t_back)
        self.phase = AT_START
        self._s0, self._t0, self._hover = self._back_value, t_back, None
        return cycle

    @property
    def return_hold(self) -> float:
        """How long the return must last: ``return_hold_s``, or once a full rep was counted the
        exercise's own (``CountingSpec.return_hold_s``, longer where the pose model glitches
        back toward the start for a few frames mid-rep). Before the first rep the short hold
        stays: quick steps walking in read as quick swings, and a longer hold joined two steps
        into one slow 'rep' no longer too fast to count (a jittered walk-across clip: 2 lunges)."""
        return max(self.return_hold_s, self.spec.return_hold_s) if self.full_reps else self.return_hold_s

    @property
    def returning(self) -> bool:
        """Back at the start but not yet for ``return_hold_s`` (or since interrupted by a misread
        frame): the rep is as good as over."""
        return self.phase == MOVING and (self._t_back is not None or self._back_before is not None)

    def forget(self, cycle: Cycle) -> None:
        """A cycle the tracker rejected (out of position, wrong shape) must not shape the
        person's usual range."""
        if cycle.full and self.full_reps and self.full_reps[-1].rom == cycle.rom:
            self.full_reps.pop()

    def _hovering(self, u: float, t_s: float) -> None:
        """By the start but off its level: while the body stays at one level (within a tenth of
        ``min_rom``: jitter) for ``hover_s`` or longer, it rests there and the rep has not begun. In
        seconds, not frames: frame to frame, a steady rep's first part moves less than the
        tolerance at 30 fps and more at 15, and read so, its start moved with the frame rate."""
        if self._hover is None or abs(u - self._hover[0]) > 0.1 * self.spec.min_rom:
            self._hover = (u, t_s)
        elif t_s - self._hover[1] >= self.hover_s:
            self._t0 = t_s

    def _effective_start(self) -> float:
        """The start extreme, but no further from the turn than half the textbook range past
        the textbook start: hanging arms before a press are not part of the first rep's range."""
        sp = self.spec
        floor = sp.direction * sp.start - 0.5 * abs(sp.turn - sp.start)
        return max(self._s0, floor)

    def _outside_start(self, u: float) -> bool:
        """Beyond the exercise's ``start_limit`` (in the counting direction): not its start position."""
        return self.spec.start_limit is not None and u < self.spec.direction * self.spec.start_limit

    def _shallow_rep(self, rom: float, ref: float, dur: float) -> bool:
        """A rep under ``partial_below`` of the usual range that is still a rep (``shallow_rep``:
        at least its share of the usual range and of the usual rep's time): a slow, small swing is
        a shallow rep the pose model under-reads; a step or a twitch of the same size is quick."""
        sp = self.spec
        if sp.shallow_rep is None or not self.full_reps:
            return False
        usual_s = statistics.median(r.duration_s for r in self.full_reps[-5:])
        return rom >= sp.shallow_rep[0] * ref and dur >= sp.shallow_rep[1] * usual_s

    def _quick_rep(self, rom: float, dur: float) -> bool:
        """Under the minimum rep time, but like the set's own quick reps (QUICK_*, above): the
        quickest recent rep sets the pace, as the first full rep often includes the set-up."""
        if len(self.full_reps) < QUICK_AFTER or not self._over_quick_floor(dur):
            return False
        return like_quick_reps(rom, dur, self.reference_rom, min(r.duration_s for r in self.full_reps[-QUICK_LAST:]))

    def _over_quick_floor(self, dur: float) -> bool:
        """Not under QUICK_FLOOR x the minimum rep time (times are whole milliseconds)."""
        return dur >= QUICK_FLOOR * self.spec.min_rep_s - 1e-3

    def _judge(self, rom: float, t_s: float) -> Cycle | None:
        sp = self.spec
        d = sp.direction
        reasons = []
        if rom < sp.min_rom:
            reasons.append("short range")
        elif not self.full_reps and rom < sp.first_rom:
            reasons.append("first rep too small")
        if self._turn < d * sp.turn_gate:
            reasons.append("turn not reached")
        if self._s0 > d * sp.start_gate:
            reasons.append("start not reached")
        if sp.turn_limit is not None and self._turn > d * sp.turn_limit:
            return None  # went far past this exercise's range: another movement
        if sp.start_limit is not None and self._s0 < d * sp.start_limit:
            return None  # started far outside this exercise's start position
        ref = self.reference_rom if len(self.full_reps) >= 2 else 0.0
        dur = t_s - self._t0
        if ref and rom < sp.partial_below * ref and not self._shallow_rep(rom, ref, dur):
            reasons.append("smaller than usual")
        if dur < sp.min_rep_s - 1e-3 and not self._quick_rep(rom, dur):
            reasons.append("too fast")  # (times are whole milliseconds)
        full = not reasons
        quick = reasons == ["too fast"] and self._over_quick_floor(dur)
        if not full and rom < 0.5 * sp.min_rom:
            return None  # a wobble, not even a partial rep
        if full:
            self.full_reps.append(FullRep(rom, dur))
        return Cycle(t_start=self._t0, t_turn=self._t_turn, t_end=t_s, start_value=d * self._s0,
                     turn_value=d * self._turn, rom=rom, side=self._side_turn, full=full,
                     reason=", ".join(reasons), from_edge=self._from_edge, quick=quick)
