"""What a set's reps mean once more of the set is known: one set of criteria, used twice.

``review_set`` (analyze, eval, and the coach when a set ends) sees the whole set:
split reps joined, a tiny first/last rep kept as a partial, fragments of a rep the pose
model lost the person in joined, a shallow rep mid-set, the other arm's rep read small in a set
that alternates arms and a short first rep counted, a lone rep is no set.
``LiveReps`` (the tracker, as reps happen) applies the same split criteria against the
reps seen so far, so the live count does not go up for the second half of a broken rep.
Both call the predicates below; the thresholds live only here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from deepfit_coach.counting.counter import like_quick_reps
from deepfit_coach.events import RepInfo

if TYPE_CHECKING:
    from deepfit_coach.exercises.conditions import Condition

EDGE_DURATION = 0.5     # a first rep begun at the stream's first frames lasts this share of the usual rep ...
EDGE_ROM = 0.3          # ... and reaches this share of its range (``edge_first_rep``)
USUAL_MIN_REPS = 3      # reps needed before anything is judged against the set's usual rep
SPLIT_SHORT = 0.9       # a split piece lasts < this x the usual rep ...
SPLIT_SMALL = 0.8       # ... and moves < this x its range
SPLIT_GAP_S = 0.5       # the two pieces are < this far apart ...
SPLIT_WHOLE = 1.5       # ... and last together < this x a usual rep
JOIN_FRAGMENT = 0.75    # a piece lasting < this x the other is a fragment: of its issues the joined rep keeps
                        # only those found over its frames (see join_split)
BROKEN_UP = 0.1         # a rep back from its turn in < this x the usual rep's time ...
BROKEN_QUICK = 0.5      # ... and in < this x its own way there, the next one close after it and the two
                        # lasting about one usual rep (one_rep_together), is one rep broken at its turn
WINDING_SMALL = 0.3     # a first/last rep moving < this x the usual range ...
WINDING_QUICK = 0.7     # ... and lasting < this x the usual rep is setting up or winding down
WINDING_ABRUPT = 0.3    # a last rep lasting < this x the usual rep, whatever its range, is getting up
FRAGMENTS_SPAN = 0.5    # partial reps between two counted reps, each < SPLIT_GAP_S from the next,
FRAGMENTS_ROM = 0.5     # spanning >= this x a usual rep (and < SPLIT_WHOLE x) and reaching >= this x
                        # its range, are one rep the pose model lost the person in
SHALLOW_LONG = 0.5      # a partial rep between two counted reps lasting >= this x a usual rep ...
SHALLOW_ROM = 0.13      # ... and reaching >= this x its range is a shallow rep: counted
SHALLOW_ROOM_LONG = 0.3  # or lasting >= this x a usual rep where the counted reps either side of it
SHALLOW_ROOM = 0.8       # lie >= this x a usual rep's time apart (room for a whole rep between them)
SHALLOW_ROOM_SMALL = 0.5 # ... and moving < this x the usual range (read small; a larger quick piece is a
                         # rep broken up)
OTHER_SIDE_LONG = 0.3   # a partial rep of one side between two counted reps of the other side, in a set
                        # counted on both sides, lasting >= this x a usual rep (and reaching >= SHALLOW_ROM)
                        # is the other arm's rep
FIRST_LONG = 0.7        # a partial rep just before the first counted rep lasting >= this x a usual rep
                        # (and < SPLIT_WHOLE x),
FIRST_ROM = 0.2         # reaching >= this x its range
FIRST_GAP = 0.5         # and ending < this x a usual rep's time before it is the set's first rep done short


@dataclass(frozen=True)
class Usual:
    """The set's usual rep: median duration and range of the reps given."""

    duration_s: float
    rom: float


def usual_rep(reps: list[RepInfo]) -> Usual | None:
    """None with fewer than ``USUAL_MIN_REPS`` reps: too few to know what is usual."""
    if len(reps) < USUAL_MIN_REPS:
        return None
    return Usual(float(np.median([r.end_s - r.start_s for r in reps])), float(np.median([r.rom_deg for r in reps])))


def split_piece(r: RepInfo, u: Usual) -> bool:
    """Much shorter and smaller than usual: maybe half a rep the pose model broke off."""
    return r.end_s - r.start_s < SPLIT_SHORT * u.duration_s and r.rom_deg < SPLIT_SMALL * u.rom


def one_rep_together(a: RepInfo, b: RepInfo, u: Usual) -> bool:
    """``a`` then ``b`` close together, lasting about one usual rep between them."""
    return b.start_s - a.end_s < SPLIT_GAP_S and b.end_s - a.start_s < SPLIT_WHOLE * u.duration_s


def broken_at_turn(r: RepInfo, u: Usual) -> bool:
    """Back from its turn at once - far quicker than the set's usual rep and than its own way there:
    the pose model's glitch at the far end of a rep, read as the return."""
    return r.up_s < BROKEN_UP * u.duration_s and r.up_s < BROKEN_QUICK * r.down_s


def is_split(a: RepInfo, b: RepInfo, u: Usual) -> bool:
    """``a`` and ``b`` are one rep broken in two (either may be the small piece, or ``a`` broken
    at its turn)."""
    return (split_piece(a, u) or split_piece(b, u) or broken_at_turn(a, u)) and one_rep_together(a, b, u)


def same_side_twice(a: RepInfo, b: RepInfo, u: Usual) -> bool:
    """In a set counted alternately, ``a`` then ``b`` on the same side, one of them much shorter
    than usual: one rep the pose model read twice (a far arm's pull flickering back mid-rep),
    each piece with nearly the whole range, so neither is a ``split_piece``."""
    return a.side == b.side and min(a.end_s - a.start_s, b.end_s - b.start_s) < SPLIT_SHORT * u.duration_s


def read_twice(a: RepInfo, b: RepInfo, u: Usual, alternate: bool) -> bool:
    """``same_side_twice`` in a set counted alternately (``alternates``), the two about one usual rep."""
    return alternate and same_side_twice(a, b, u) and one_rep_together(a, b, u)


def joined_piece_first(a: RepInfo, b: RepInfo, u: Usual) -> bool:
    """Which of two reps to join is the piece (``join_split``'s ``piece_first``): a ``split_piece``;
    of two reps with nearly the whole range, the one with less."""
    if split_piece(a, u) or split_piece(b, u):
        return split_piece(a, u)
    return a.rom_deg < b.rom_deg


def join_split(a: RepInfo, b: RepInfo, piece_first: bool) -> RepInfo:
    """One rep from two consecutive pieces: the bigger piece's turn and range; ``piece_first``:
    ``a`` is the small piece. Its issues are both pieces', except that a piece lasting
    < JOIN_FRAGMENT of the other (a fragment: a tail, a glitch's quick swing) gives only the issues
    found over its frames (``RepInfo.during``, the throughout rules: they happened in the rep):
    what a fragment was judged on at its own start or turn or on its own range is a fragment's,
    not the rep's - short and mostly small, its range rules fire (a sit-up's or a row's
    short_range, a squat's shallow tail), and its turn is no turn of the rep. The pool's joins
    (480 sets, given mode): fragments' start/turn/range issues were 3 false alarms (0.32-0.52x
    the other piece's time; on the 30-fps twins 2 more, 0.36x and 0.54x) and no fault found;
    two pieces lasting alike (0.95x) were two reps the count took for one, and each piece's own
    issues the faults of those reps. Both pieces' issues were kept before: 30-fps renders split
    more reps, each split adding its fragment's false alarm."""
    big = b if piece_first else a
    t_turn = big.start_s + big.down_s
    keep: set[str] = set()
    for p, q in ((a, b), (b, a)):
        fragment = p.end_s - p.start_s < JOIN_FRAGMENT * (q.end_s - q.start_s)
        keep.update(p.during if fragment else p.issues)
    return dataclasses.replace(big, start_s=a.start_s, end_s=b.end_s, down_s=t_turn - a.start_s,
                               up_s=b.end_s - t_turn,
                               issues=list(dict.fromkeys(i for i in a.issues + b.issues if i in keep)),
                               unjudged=list(dict.fromkeys(a.unjudged + b.unjudged)),
                               during=list(dict.fromkeys(a.during + b.during)))


def winding(r: RepInfo, u: Usual) -> bool:
    """Much smaller and quicker than usual: at a set's edge, setting up or winding down."""
    return r.rom_deg < WINDING_SMALL * u.rom and r.end_s - r.start_s < WINDING_QUICK * u.duration_s


def review_set(reps: list[RepInfo], partials: list[RepInfo], keep_lone_rep: bool = False,
               set_up: Sequence[Condition] = (), put_down: Sequence[Condition] = ()
               ) -> tuple[list[RepInfo], list[RepInfo]]:
    """A whole set known (analyze, eval, the coach at a set's end): what live counting could
    not yet know - a first rep begun at the clip's first frames unlike the set's, split reps
    joined, edge reps winding, a rep's fragments joined, a shallow rep mid-set counted, a first
    rep that was setting up, a last one putting the weights down, a lone rep is no set.

    ``keep_lone_rep``: the coach knows from the plan that a set is under way and has said
    "one" aloud, so a single rep it counted is that set's rep, not a stray movement.
    ``set_up``: the exercise's ``set_up`` conditions (``first_rep_set_up``); ``put_down``: its
    ``put_down`` conditions (``last_rep_put_down``)."""
    reps, partials = edge_first_rep(reps, partials)
    reps, partials = edge_reps_winding(merge_split_reps(reps), partials)
    reps, partials = count_quick_reps(reps, partials)
    reps, partials = join_fragments(reps, partials)
    reps, partials = count_shallow_reps(reps, partials)
    reps, partials = count_other_side_rep(reps, partials)
    reps, partials = count_short_first_rep(reps, partials)
    reps, partials = first_rep_set_up(reps, partials, set_up)
    reps, partials = last_rep_put_down(reps, partials, put_down)
    return (reps, partials) if keep_lone_rep else lone_rep_is_no_set(reps, partials)


def turn_against_usual(rep: RepInfo, reps: list[RepInfo]) -> dict[str, float]:
    """``rep``'s values at its turn (NAME) and against the set's usual turn (NAME_dev: minus the
    median over ``reps``, the set's counted reps); its ``duration_s`` and ``duration_ratio`` (per the
    set's median rep: a slow arm raise before brisk jacks was stretching, not the set's first jack)."""
    out = dict(rep.turn_values)
    for n, v in rep.turn_values.items():
        seen = [x for x in (r.turn_values.get(n, math.nan) for r in reps) if x == x]
        out[n + "_dev"] = v - float(np.median(seen)) if seen and v == v else math.nan
    usual_s = float(np.median([r.end_s - r.start_s for r in reps]))
    out["duration_s"] = rep.end_s - rep.start_s
    out["duration_ratio"] = out["duration_s"] / usual_s if usual_s > 0 else math.nan
    return out


def first_rep_set_up(reps: list[RepInfo], partials: list[RepInfo], set_up: Sequence[Condition]
                     ) -> tuple[list[RepInfo], list[RepInfo]]:
    """A set's first counted rep whose turn meets one of the exercise's ``set_up`` conditions
    (``turn_against_usual``) was setting up, not a rep: kept as a partial rep. Rows: rising from
    the bend for the dumbbells into the hinge moves the hand like a pull, and a real lifter does
    it before every set; at that 'pull' the knees are still bent far more than at the set's own
    pulls. Only the first rep: a set's last rep may be judged at a turn the pose model misread,
    and putting the weights down after it happens after its turn. Needs USUAL_MIN_REPS counted
    reps (nothing is usual before), so rest-only clips and two-rep sets are left as they are."""
    if not set_up or len(reps) < USUAL_MIN_REPS:
        return reps, partials
    values = turn_against_usual(reps[0], reps)
    if not any(cond(values) for cond in set_up if cond.measured(values)):
        return reps, partials
    kept = [dataclasses.replace(r, index=k + 1) for k, r in enumerate(reps[1:])]
    return kept, sorted(partials + [dataclasses.replace(reps[0], partial=True, index=0)], key=lambda r: r.start_s)


def last_rep_put_down(reps: list[RepInfo], partials: list[RepInfo], put_down: Sequence[Condition]
                      ) -> tuple[list[RepInfo], list[RepInfo]]:
    """A set's last counted rep meeting one of the exercise's ``put_down`` conditions
    (``turn_against_usual``: NAME at its turn, NAME_max / NAME_min / NAME_span over it, and each
    against the set's usual) was putting the weights down after the set, not a rep: kept as a
    partial rep. Rows: standing up out of the hinge and bending again to put the dumbbells on the
    floor sweeps the torso (its span over the 'rep') far more than the set's pulls do. Needs
    USUAL_MIN_REPS counted reps, as ``first_rep_set_up``."""
    if not put_down or len(reps) < USUAL_MIN_REPS:
        return reps, partials
    values = turn_against_usual(reps[-1], reps)
    if not any(cond(values) for cond in put_down if cond.measured(values)):
        return reps, partials
    return reps[:-1], sorted(partials + [dataclasses.replace(reps[-1], partial=True, index=0)], key=lambda r: r.start_s)


def join_fragments(reps: list[RepInfo], partials: list[RepInfo]) -> tuple[list[RepInfo], list[RepInfo]]:
    """Two or more partial reps in a row between two counted reps, together lasting and
    reaching about what the set's usual rep does, are one rep: the pose model lost the person
    for a few frames mid-rep (push-ups facing the camera), and the counter rejected the
    pieces as too fast or too small. One partial alone stays partial (the counter judged it
    whole), and nothing before the first or after the last counted rep is joined (setting
    up, winding down), so a set's edges and rest-only clips are never given a rep here."""
    u = usual_rep(reps)
    if u is None or len(partials) < 2:
        return reps, partials
    groups: list[list[RepInfo]] = []
    for p in sorted(partials, key=lambda r: r.start_s):
        before = [r for r in reps if r.end_s <= p.start_s]
        after = [r for r in reps if r.start_s >= p.end_s]
        if not before or not after or len(before) + len(after) != len(reps):
            continue  # at a set's edge, or overlapping a counted rep
        g = groups[-1] if groups else None
        if g and p.start_s - g[-1].end_s < SPLIT_GAP_S and not any(r.start_s >= g[-1].end_s for r in before):
            g.append(p)
        else:
            groups.append([p])
    keep = [g for g in groups if len(g) >= 2 and fragments_of_a_rep(g, u)]
    if not keep:
        return reps, partials
    used = {id(p) for g in keep for p in g}
    out = sorted(reps + [_one_rep(g) for g in keep], key=lambda r: r.start_s)
    return ([dataclasses.replace(r, index=k + 1) for k, r in enumerate(out)],
            [p for p in partials if id(p) not in used])


def count_shallow_reps(reps: list[RepInfo], partials: list[RepInfo]) -> tuple[list[RepInfo], list[RepInfo]]:
    """A partial rep between two counted reps that took about as long as the set's usual rep
    (>= SHALLOW_LONG of it) and moved >= SHALLOW_ROM of its range is a rep done shallow - a
    half rep, a form fault the checker judges and cues on it - not a pose-model flicker: the
    counter kept it partial as too small or short of its gates, and the person's count misses
    it. Nine tuning sets on two pose realisations (MediaPipe confidences 0.5 and 0.2), given
    mode, partial reps mid-set reaching SHALLOW_ROM: from 0.5x the usual rep's time 18 were a
    true rep the count missed (rows' far arm, push-ups, a jack, curls, raises; 0.51-1.2x), one
    was not (0.77x); at 0.3-0.5x true and false mix (9 and 8). SHALLOW_ROM was 0.15: on the twelve
    pool sets (480, given mode) the partials mid-set from 0.5x the usual time short of 0.15x the
    range were three true reps the count missed at 0.140-0.145x (two short rows, a triceps partial
    range), a shallow squat facing the camera at 0.112x, a head-on push-up's piece at 0.118x (the
    counter had counted 3 of 6 push-ups: at 0.1 it became a 7th) and a push-up at 0.078x. A
    partial before the first or after the last counted rep stays partial
    (setting up and winding down are slow small movements too), so rest-only clips are never
    given a rep here. Its issues are kept (the form checker judged it as a rep).

    A shorter partial (>= SHALLOW_ROOM_LONG of a usual rep's time) is counted too where the counted
    reps either side of it lie >= SHALLOW_ROOM x a usual rep's time apart - room for the rep the
    count missed - and it moved < SHALLOW_ROOM_SMALL of the usual range (read small; a quick piece
    moving most of the range is a rep broken up: eval45_tune3 lunges_45_1, 0.8x the range); one such
    partial a gap, the largest, on the side of a rep either side of it (one arm's set: the other
    arm's jitter is no rep). Where the set alternates sides, only between two reps of one side (a
    missed rep breaks the alternation; between a left and a right rep the 45-deg alternating rows
    of tests/test_frame_rate.py played twice as slowly read a piece of a counted rep at 30 fps).
    Both arms at once facing the camera the side read flips, and such a set may read as alternating
    (eval_tune4 front_0: left, right, left, right, right, right). Rows facing the camera: a short pull the pose model reads at the
    noise level of the elbow in the picture (pool eval_tune4 front_0 10.2 s: 0.047 over 0.67 s, 0.35x
    the usual rep, its neighbours 1.53 s = 0.8x apart). Rows, all partials mid-set of 0.3-0.5x the
    usual time reaching SHALLOW_ROM (pool + helper 72/73/79/82's own clips, 152 sets): with the
    neighbours >= 0.8x apart 6, each a rep the count missed; at 0.75-0.77x two side-on pieces of
    counted reps (counted one over)."""
    u = usual_rep(reps)
    if u is None or not partials:
        return reps, partials
    first, last = reps[0].start_s, reps[-1].end_s
    mid = [p for p in partials
           if first <= p.start_s and p.end_s <= last
           and not any(_overlap(p, r) for r in reps)
           and p.rom_deg >= SHALLOW_ROM * u.rom]
    shallow = [p for p in mid if p.end_s - p.start_s >= SHALLOW_LONG * u.duration_s]
    # where the counted reps either side leave room for a whole rep, a shorter partial: one a gap
    # (the largest), and none where a longer one is counted there already
    gaps = {gap_of(reps, p) for p in shallow}
    alternating = alternates(reps)
    for p in sorted(mid, key=lambda p: -p.rom_deg):
        g = gap_of(reps, p)
        sides = {r.side for r in reps if r.end_s == g[0] or r.start_s == g[1]}   # of the reps either side
        if (p.end_s - p.start_s >= SHALLOW_ROOM_LONG * u.duration_s and p.rom_deg < SHALLOW_ROOM_SMALL * u.rom
                and g not in gaps and p.side in sides and not (alternating and len(sides) > 1)
                and g[1] - g[0] >= SHALLOW_ROOM * u.duration_s):
            shallow.append(p); gaps.add(g)
    if not shallow:
        return reps, partials
    return counted_too(reps, partials, shallow)


def gap_of(reps: list[RepInfo], p: RepInfo) -> tuple[float, float]:
    """The gap between counted reps ``p`` lies in: the end of the rep before, the start of the one
    after (``p`` lies between two counted reps)."""
    return max(r.end_s for r in reps if r.end_s <= p.start_s), min(r.start_s for r in reps if r.start_s >= p.end_s)


def count_other_side_rep(reps: list[RepInfo], partials: list[RepInfo]) -> tuple[list[RepInfo], list[RepInfo]]:
    """In a set that alternates sides (its counted reps on the left and on the right, most
    neighbours on different ones), two counted reps in a row on one side with a partial rep of the other side between them: that
    partial is the other arm's rep, read small - side-on the pose model barely follows the far
    arm, a short pull of it reads 0.05-0.07 torso lengths against a usual 0.2-0.3 - when it lasted
    >= OTHER_SIDE_LONG of a usual rep and reached >= SHALLOW_ROM of its range (count_shallow_reps
    asks 0.5x the time of any partial; here the broken alternation says which rep is missing).
    Twelve pool sets (480, given mode): the partials mid-set of the other side than both neighbours
    (same side) reaching SHALLOW_ROM were 6 of 0.34-0.46x a usual rep's time, all on a true rep the
    count missed (rows, side-on far arm and facing the camera), and 4 of 0.18-0.23x (a second piece
    of one of those reps, a triceps and two rows pieces that were no rep); the three 45-deg tuning
    sets: one, a right curl (0.4x the time, 0.55x the range) between two left ones, a true rep too.
    One partial per gap: the biggest. Nothing at a set's edge, nothing where the counted reps are
    all on one side (one-arm sets mostly are; the side is the arm further toward the turn)."""
    u = usual_rep(reps)
    # a set that alternates: most neighbours differ. Both arms at once, the side read flips now and
    # then (blocks of one side): a flicker between two reps of one side is no missed rep (pool
    # eval_tune5 dumbbell_rows_front_1 9 -> 8 of 8, eval_tune16 tricep_extensions_front_0 9 -> 8 of 6;
    # pool, 45-deg tuning sets and helper 72/73/79's rows and triceps clips otherwise identical)
    if u is None or not partials or not alternates(reps):
        return reps, partials
    promoted = []
    for a, b in zip(reps, reps[1:]):
        if a.side != b.side or a.side not in ("left", "right"):
            continue
        other = "right" if a.side == "left" else "left"
        gap = [p for p in partials if p.side == other and a.end_s <= p.start_s and p.end_s <= b.start_s
               and p.end_s - p.start_s >= OTHER_SIDE_LONG * u.duration_s and p.rom_deg >= SHALLOW_ROM * u.rom]
        if gap:
            promoted.append(max(gap, key=lambda p: p.rom_deg))
    if not promoted:
        return reps, partials
    return counted_too(reps, partials, promoted)


def alternates(reps: list[RepInfo]) -> bool:
    """The set's counted reps are on the left and on the right, most neighbours on different sides."""
    return ({"left", "right"} <= {r.side for r in reps}
            and 2 * sum(a.side != b.side for a, b in zip(reps, reps[1:])) >= len(reps) - 1)


def counted_too(reps: list[RepInfo], partials: list[RepInfo],
                promoted: list[RepInfo]) -> tuple[list[RepInfo], list[RepInfo]]:
    """``reps`` with the partial reps ``promoted`` counted among them (in time order, numbered
    again), and ``partials`` without them."""
    out = sorted(reps + [dataclasses.replace(p, partial=False) for p in promoted], key=lambda r: r.start_s)
    return ([dataclasses.replace(r, index=k + 1) for k, r in enumerate(out)],
            [p for p in partials if all(p is not q for q in promoted)])


def count_quick_reps(reps: list[RepInfo], partials: list[RepInfo]) -> tuple[list[RepInfo], list[RepInfo]]:
    """Partial reps between counted reps that were partial only for being quicker than the
    exercise's minimum time (``RepInfo.quick``) count where the set's own reps are that quick: the
    counter's quick-rep rule (``counter.like_quick_reps``), with the whole set known. Live, the counter
    knows the set's pace only after QUICK_AFTER full reps, and a brisk set's first rep is slow (it
    begins with the set-up): the quick reps right after it were partial (benchmarks/fast_tempo.py,
    seed 38512: tricep extensions side-on, three 0.5-s reps between a 2.1-s first rep and the
    next counted one; the review counted one of them, as a shallow rep). The set's pace here: the
    median of its counted reps' times (as the counter measures them, from leaving the start to the
    count), not its quickest reps' (as the counter's recent pace): head-on push-ups broken into
    quick pieces by the pose model set a pace that made a 0.47-s piece a rep (eval_heldout
    pushups_front_1, counted 9 of 6)."""
    u = usual_rep(reps)
    if u is None:
        return reps, partials
    quick = [p for p in partials if p.quick and reps[0].start_s <= p.start_s and p.end_s <= reps[-1].end_s
             and not any(_overlap(p, r) for r in reps)]
    if not quick:
        return reps, partials
    pace = float(np.median([r.count_s for r in reps]))
    promoted = [p for p in quick if like_quick_reps(p.rom_deg, p.count_s, u.rom, pace)]
    return counted_too(reps, partials, promoted) if promoted else (reps, partials)


def count_short_first_rep(reps: list[RepInfo], partials: list[RepInfo]) -> tuple[list[RepInfo], list[RepInfo]]:
    """The partial rep right before a set's first counted rep is the set's first rep, done short
    (a shallow first squat, a short first row, a first curl the counter's ``first_rom`` left out),
    when it took about a usual rep's time (>= FIRST_LONG of it: a set-up movement is quicker, or
    smaller), reached >= FIRST_ROM of the usual range and ended < FIRST_GAP of a usual rep's time
    before the next rep began (the set's rhythm), and lasted < SPLIT_WHOLE of a usual rep (the
    squat counter reading a press set before the squats, tests/test_auto_bouts: 2.2x). Twelve
    tuning sets (480 sets), given mode, partial reps before the first counted rep: a true rep the
    count missed were a curl (0.73x / 0.65x the usual time / range), two short rows (0.97-1.05x /
    0.25-0.36x) and two shallow first squats (0.33-0.41x / 0.18-0.28x: as quick as setting up,
    left out); setting up reaching 0.2x the range lasted <= 0.49x the time, the one as slow as a
    rep (0.85x) reached 0.16x. Only one partial is taken, the last before the first rep, so
    slow set-up movements further back stay partial; with fewer than USUAL_MIN_REPS counted reps
    nothing is usual and rest-only clips are never given a rep here."""
    u = usual_rep(reps)
    if u is None or not partials:
        return reps, partials
    first = reps[0]
    before = [p for p in partials if p.end_s <= first.start_s]
    if not before:
        return reps, partials
    p = max(before, key=lambda r: r.end_s)
    if not (FIRST_LONG * u.duration_s <= p.end_s - p.start_s < SPLIT_WHOLE * u.duration_s
            and p.rom_deg >= FIRST_ROM * u.rom and first.start_s - p.end_s < FIRST_GAP * u.duration_s):
        return reps, partials
    return counted_too(reps, partials, [p])


def fragments_of_a_rep(g: list[RepInfo], u: Usual) -> bool:
    """Consecutive pieces that together last and reach about what a usual rep does."""
    span = g[-1].end_s - g[0].start_s
    return (FRAGMENTS_SPAN * u.duration_s <= span < SPLIT_WHOLE * u.duration_s
            and max(p.rom_deg for p in g) >= FRAGMENTS_ROM * u.rom)


def _overlap(a: RepInfo, b: RepInfo) -> bool:
    return a.start_s < b.end_s and b.start_s < a.end_s


def _one_rep(g: list[RepInfo]) -> RepInfo:
    """One full rep from its pieces: the biggest piece's turn and range. Its form is not
    judged: the form checker saw pieces (a piece's range is half a rep's - each piece was
    called a half rep, a false alarm on 2 clean push-ups of the tuning sets), so the pieces'
    issues become rules not judged on this rep."""
    big = max(g, key=lambda p: p.rom_deg)
    t_turn = big.start_s + big.down_s
    return dataclasses.replace(big, start_s=g[0].start_s, end_s=g[-1].end_s, down_s=t_turn - g[0].start_s,
                               up_s=g[-1].end_s - t_turn, partial=False, issues=[],
                               unjudged=list(dict.fromkeys(i for p in g for i in p.issues + p.unjudged)))


def edge_first_rep(reps: list[RepInfo], partials: list[RepInfo]) -> tuple[list[RepInfo], list[RepInfo]]:
    """A first rep begun at the stream's first frames without the start hold (``from_edge``: a
    clip cut to the set) must look like the set's usual rep, at least EDGE_DURATION of its time and
    EDGE_ROM of its range; else it was a movement the clip began with (a step of walking in place
    read as a 15-deg squat in 0.5 s against 100 deg in 2.4 s), kept as a partial rep. Judged
    against the other reps, before any rep is joined."""
    if not reps or not reps[0].from_edge:
        return reps, partials
    u = usual_rep(reps[1:])
    first = reps[0]
    if u is None or (first.end_s - first.start_s >= EDGE_DURATION * u.duration_s and first.rom_deg >= EDGE_ROM * u.rom):
        return reps, partials
    kept = [dataclasses.replace(r, index=k + 1) for k, r in enumerate(reps[1:])]
    return kept, sorted(partials + [dataclasses.replace(first, partial=True, index=0)], key=lambda r: r.start_s)


def edge_reps_winding(reps: list[RepInfo], partials: list[RepInfo]) -> tuple[list[RepInfo], list[RepInfo]]:
    """The first or last rep of a set, ``winding`` against the set's usual rep (a knee bend
    stepping into a stretch after squats, a tug while picking up the weights), is kept as a
    partial rep; so is a last rep over in < WINDING_ABRUPT of the usual rep's time, whatever
    its range (sitting up off the floor to stand after sit-ups reads as a full sit-up done
    4-6x faster than the set's). A shallow rep that takes its time, or a small rep mid-set,
    still counts. Seven tuning sets, given mode, last counted reps: true ones lasted >= 0.58x
    the usual rep; a first rep is not judged on time (true first reps from 0.21x: the counter
    starts it late, when the body leaves the start position it settled in)."""
    u = usual_rep(reps)
    if u is None:
        return reps, partials
    drop = [r for r in (reps[0], reps[-1]) if winding(r, u)]
    last = reps[-1]
    if last not in drop and last.end_s - last.start_s < WINDING_ABRUPT * u.duration_s:
        drop.append(last)
    if not drop:
        return reps, partials
    kept = [dataclasses.replace(r, index=k + 1) for k, r in enumerate(x for x in reps if x not in drop)]
    moved = [dataclasses.replace(r, partial=True, index=0) for r in drop]
    return kept, sorted(partials + moved, key=lambda r: r.start_s)


def merge_split_reps(reps: list[RepInfo]) -> list[RepInfo]:
    """A ``split_piece`` next to another rep, the two ``one_rep_together``, is one rep the
    pose model broke in two: a limb misread back toward the start mid-rep for a few frames
    (rows, lunges side-on). A fast full-range rep is kept: it is not smaller than usual.
    Judged against the whole set's usual rep; of the two neighbours, the piece joins the
    one that makes the more usual rep. A piece may last up to SPLIT_SHORT = 0.9 of a usual
    rep (was 0.7, the low end of a plateau: nine tuning sets on both pose realisations count
    the same from 0.85 to 1.0; 0.7 split a side-on lunge and a 45-deg push-up in two).
    A rep ``broken_at_turn`` (back from its turn in < BROKEN_UP of a usual rep's time and in
    < BROKEN_QUICK of its own way down: a glitch at the far end read as the return, the rest of the
    rep counted as the next) joins the next rep when the two are ``one_rep_together``, whatever its
    range: side-on lunges whose legs read swapped or folded together at the bottom for 2-3 frames
    (returns of 0.1 s after 0.7-0.9 s down). Twelve tuning sets (480, given mode): eval_tune8
    lunges_side_0 8 -> 7 (truth 7), no other count changed; 45-deg tuning sets identical; 22 own
    side-on lunges (seeds 80001+): one set 9 -> 8 (truth 8). Without the BROKEN_QUICK clause a row
    and a 45-deg push-up set also came nearer the truth, but a rep as quick down as back (0.2 s
    each) is no turn misread, and the coach's scripted reps (test_coach_properties) joined."""
    u = usual_rep(reps)
    if u is None:
        return reps
    out = list(reps)
    alternate = alternates(reps)
    j = 0
    while j < len(out):
        piece = out[j]
        if not split_piece(piece, u):
            nxt = out[j + 1] if j + 1 < len(out) else None
            if nxt is not None and (broken_at_turn(piece, u) and one_rep_together(piece, nxt, u)
                                    or read_twice(piece, nxt, u, alternate)):
                out[j] = join_split(piece, nxt, piece_first=piece.rom_deg < nxt.rom_deg)
                del out[j + 1]
            j += 1
            continue
        joins = []  # (how far the joined rep is from a usual one, index of the first of the two)
        for i in (j - 1, j):
            if 0 <= i and i + 1 < len(out) and one_rep_together(out[i], out[i + 1], u):
                joins.append((abs(out[i + 1].end_s - out[i].start_s - u.duration_s), i))
        if not joins:
            j += 1
            continue
        i = min(joins)[1]
        out[i] = join_split(out[i], out[i + 1], piece_first=piece is out[i])
        del out[i + 1]
        j = i + 1
    if len(out) == len(reps):
        return reps
    return [dataclasses.replace(r, index=k + 1) for k, r in enumerate(out)]


def lone_rep_is_no_set(reps: list[RepInfo], partials: list[RepInfo]) -> tuple[list[RepInfo], list[RepInfo]]:
    """A single full rep with no other is no set - a stretch with the arms overhead,
    squatting down to pick up the weights, look like one rep of something; a real set has
    two or more. The lone rep is kept as a partial rep. (The coach, which knows from the plan
    that a set is under way, keeps it: ``review_set(keep_lone_rep=True)``.)"""
    if len(reps) != 1:
        return reps, partials
    lone = dataclasses.replace(reps[0], partial=True, index=0, lone=True)
    return [], sorted(partials + [lone], key=lambda r: r.start_s)


@dataclass
class LiveChange:
    """What a new full rep did to the live count.

    ``kind``: "new" (counted), "joined" (it was the rest of the last rep: no new count), or
    "rejoined" (with one more rep known, two counted reps in a row turn out to be one rep
    broken in two: they become one, and the new rep takes the number already given)."""

    kind: str
    rep: RepInfo                                            # the live rep the new one is or is part of
    joined: RepInfo | None = None                           # the joined rep ("joined"/"rejoined")
    replaced: list[RepInfo] = field(default_factory=list)   # live reps the joined one replaces


class LiveReps:
    """A set's reps as counted live: the counter's reps in (``raw``), reps with splits
    joined out (``reps``, each its own object, index = its live number). A rep is judged
    with the reps of the set so far (``usual_rep``) when it is added, and two counted reps in
    a row once more with each rep added (``_rejoin_at``); a joined rep is final."""

    def __init__(self) -> None:
        self.raw: list[RepInfo] = []
        self.reps: list[RepInfo] = []
        self._joined: list[bool] = []

    def would_join(self, raw: RepInfo) -> bool:
        """Would adding ``raw`` (already in ``raw``) join it to the last counted rep?"""
        return self.decide(raw) == "joined"

    def decide(self, raw: RepInfo) -> str:
        """What ``add(raw)`` would do: "new", "joined" or "rejoined" (see ``LiveChange``)."""
        u = usual_rep(self.raw)
        if u is None or not self.reps:
            return "new"
        if not self._joined[-1] and (is_split(self.reps[-1], raw, u)
                                     or read_twice(self.reps[-1], raw, u, alternates(self.reps + [raw]))):
            return "joined"
        if self._rejoin_at() is not None:
            return "rejoined"
        return "new"

    def _rejoin_at(self) -> int | None:
        """The latest two counted reps in a row, neither final, that the reps so far show are one
        rep broken in two (``is_split``): their index, else None. Any two, not only the last: two
        reps counted before the set's usual rep was known, or judged against a usual rep made of
        few reps, are judged again with each rep, as the set's review (``merge_split_reps``) judges
        them with the whole set. benchmarks/live_vs_offline.py on pool_a-d, evalpm15_tune,
        evalp20_tune and helper 91's grid (seeds 35001+; 280 sets, given mode): a first sit-up
        counted as two ("one" at its turn, "two" at its end; pool_a situps_front_0), joined two
        reps later, and a lateral raise's two pieces (s35000 lateral_shoulder_raises_front_1),
        joined three reps later: both live counts 8 -> 7 and 9 -> 8, the truth (the first as the
        review joins it; the review counts the second 9); no other set changed. With only the last
        two judged, no two reps were ever joined so."""
        u = usual_rep(self.raw)
        if u is None:
            return None
        alternate = alternates(self.reps)
        for i in range(len(self.reps) - 2, -1, -1):
            a, b = self.reps[i], self.reps[i + 1]
            if not (self._joined[i] or self._joined[i + 1]) and (is_split(a, b, u) or read_twice(a, b, u, alternate)):
                return i
        return None

    def add(self, raw: RepInfo) -> LiveChange:
        """Count ``raw`` (the counter's rep, already appended to ``raw``) live."""
        kind = self.decide(raw)
        u = usual_rep(self.raw)
        rep = dataclasses.replace(raw, issues=list(raw.issues), unjudged=list(raw.unjudged))
        if kind == "joined":
            last = self.reps[-1]
            joined = join_split(last, rep, piece_first=self._piece_first(last, rep, u))
            joined.index = last.index
            self.reps[-1] = joined
            self._joined[-1] = True
            return LiveChange("joined", joined, joined, [last])
        if kind == "rejoined":
            i = self._rejoin_at()
            first, last = self.reps[i:i + 2]
            joined = join_split(first, last, piece_first=self._piece_first(first, last, u))
            joined.index = first.index
            self.reps[i:i + 2] = [joined]
            self._joined[i:i + 2] = [True]
            for k, r in enumerate(self.reps[i + 1:], i + 2):   # the reps after it, numbered again
                r.index = k
            self._append(rep)
            return LiveChange("rejoined", rep, joined, [first, last])
        self._append(rep)
        return LiveChange("new", rep)

    @staticmethod
    def _piece_first(a: RepInfo, b: RepInfo, u: Usual) -> bool:
        """``join_split``'s ``piece_first`` for two live reps being joined: ``a`` if it is the split
        piece of an ``is_split`` pair, else as ``joined_piece_first`` (one rep ``read_twice``)."""
        return split_piece(a, u) if is_split(a, b, u) else joined_piece_first(a, b, u)

    def gap_reps(self, partials: list[RepInfo], nxt: RepInfo) -> list[RepInfo]:
        """The reps the set's review will make of the partial reps between counted reps up to
        ``nxt`` (already in ``raw``, about to be counted as a new rep): pieces of one rep the pose
        model lost the person in (``join_fragments``), a rep done shallow (``count_shallow_reps``):
        the review's own rules over the reps counted so far. They are known once ``nxt`` is, so the
        count said aloud need not wait for the set's end. Tuning pool (480 sets, given mode,
        benchmarks/live_vs_offline.py): sets whose live count fell short of the saved one 29 -> 16,
        live exact 83.5 -> 85.2%, MAE 0.054 -> 0.049; sets counted over it 16 = 16. Every gap since
        the set's first counted rep, not only the last one: a brisk set's first quick reps are
        partial (too quick for the minimum time until the set's pace is known, ``RepCounter._quick_rep``)
        and the review needs USUAL_MIN_REPS counted reps to judge them, so they are counted once the
        third rep is, a few reps after they happened. benchmarks/live_vs_offline.py over the level pool,
        the pitched tuning sets and the brisk grids (280 sets): live MAE 0.0518 -> 0.0472, exact 84.6 ->
        86.8%, live under the saved count 11 -> 6 sets, over it 3 -> 6 (a rows partial counted at the
        third rep against a usual of three reps not yet risen back, that the review does not count; the
        first push-up of two sets that the review drops as getting into the plank). Only the last gap
        judged for shallow reps and fragments: 0.0482, head-on push-ups' pieces counted late. Not the other
        arm's small rep (``count_other_side_rep``): whether a set alternates is only known from enough
        of it (live, it promoted 2 reps the set's review did not)."""
        if not self.reps or self.decide(nxt) != "new":
            return []
        counted = self.reps + [nxt]
        gap = [p for p in partials if self.reps[0].end_s <= p.start_s and p.end_s <= nxt.start_s
               and not any(_overlap(p, r) for r in counted)]
        if not gap:
            return []
        reps, gap = count_quick_reps(merge_split_reps(counted), gap)
        reps, gap = join_fragments(reps, gap)
        reps, _ = count_shallow_reps(reps, gap)
        return [r for r in reps if not any(_overlap(r, c) for c in counted)]

    def count_gap_rep(self, rep: RepInfo) -> RepInfo:
        """Count ``rep`` (from ``gap_reps``) live: final, never joined to the next rep. It takes its
        place in time among the live reps (the reps after it numbered again)."""
        rep = dataclasses.replace(rep, partial=False, issues=list(rep.issues), unjudged=list(rep.unjudged))
        i = sum(r.start_s <= rep.start_s for r in self.reps)
        self.reps.insert(i, rep)
        self._joined.insert(i, True)
        for k, r in enumerate(self.reps[i:], i + 1):
            r.index = k
        return rep

    def _append(self, rep: RepInfo) -> None:
        self.reps.append(rep)
        self._joined.append(False)
        rep.index = len(self.reps)

    def extend_last(self, t_s: float) -> None:
        """The counter's last rep still rising back to the start: it ends at ``t_s`` (and so
        does the counted rep it is, or ends, if it is counted yet)."""
        last = self.raw[-1]
        if self.reps and self.reps[-1] is not last and self.reps[-1].end_s == last.end_s:
            self.reps[-1].up_s += t_s - last.end_s
            self.reps[-1].end_s = t_s
        last.up_s += t_s - last.end_s
        last.end_s = t_s
