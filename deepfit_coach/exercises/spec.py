"""The data an exercise is made of: how to measure it, count it and correct it.

Everything exercise-specific lives in YAML (``deepfit_coach/exercises/*.yaml`` or a
user's file); these dataclasses are the validated, typed form that the counter and the
form checker read. No code branches on an exercise's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deepfit_coach.exercises.conditions import Condition

SIGNAL_KINDS = ("angle", "incline", "lean", "distance", "between", "difference", "travel", "presence")
SOURCES = ("image", "world")
SIDE_MODES = ("left", "right", "both", "best", "alternating", "min", "max")
PHASES = ("start", "turn", "throughout", "rep")
# "top"/"bottom" in a rule are resolved to start/turn through ExerciseSpec.start_position.
PHASE_ALIASES = ("top", "bottom")
SEVERITIES = ("safety", "tip")
VIEWS = ("side", "front", "45", "any")
# Per-rep values usable in conditions of phase "rep" (and at later phases).
REP_VALUES = ("rom", "duration_s", "down_s", "up_s", "relative_rom")


@dataclass(frozen=True)
class SignalSpec:
    """A scalar measured per frame, per side when its points mention ``{side}``.

    * ``angle``: three points, angle at the middle one (degrees).
    * ``incline``: two points (top, bottom), angle of bottom->top against vertical up.
    * ``lean``: two points (top, bottom), *signed* angle of bottom->top against vertical
      up in the person's own forward/back plane: positive leaning forward (the way the
      hips and nose face), negative leaning back. Unlike ``incline`` it does not fold
      over at vertical, so a torso swinging back from a slight forward lean is seen.
      ``world``: the facing comes from the hip line and the nose; ``image``: the angle in
      the picture, positive toward the image right (which way is forward is not known
      there: use it in symmetric conditions, e.g. ``lean_change > 10 or lean_change < -10``).
    * ``between``: four points a, b, c, d: angle between a->b and c->d (e.g. the twist
      of the shoulder line against the hip line).
    * ``difference``: two other signals' names: first minus second (e.g. how much the
      legs incline more than the torso: hips sagging in a plank); with ``weights: [a, b]``
      a x first - b x second (e.g. a squat's knee angle plus twice its hip angle).
    * ``distance``: two points, |b - a| along ``axis`` (x, y or xy), divided by the
      distance between the two ``per`` points (body scale) so it does not depend on
      how far the person stands; ``signed`` keeps the sign of b - a (y grows downwards).
      Four ``per`` points are two segments whose lengths' root sum square is the scale: in
      the picture one segment foreshortens as the view turns while the other grows (the
      shoulder width side-on, a bent-over torso head-on), so their combination stays near
      the body's size from any view.
      ``along`` (two points c, d) measures along the body's own direction c->d instead of
      an image axis, signed (e.g. how far an elbow sits outside its shoulder along
      mid_shoulder->shoulder, whatever the camera angle); with ``axis`` x or y as well, only
      that axis's part of b - a, signed by the direction's (a pitched camera slopes the
      shoulder line in the picture: along it an elbow's height would read as outward).
    * ``travel``: one point (no ``{side}``), or two (their midpoint, e.g. the torso's
      centre ``[mid_shoulder, mid_hip]``), in the picture only: how far it has moved along
      ``axis`` (x or y, signed) since it was first seen, in body lengths (the ``per``
      segment, default the torso, as its running median over the frames seen: a torso
      foreshortened for a moment does not inflate it). Each frame's move is divided by the
      body length of the moment, so neither where the person stands nor how big they are
      in the picture matters. Only its changes mean something: ``NAME_span`` is how far
      the point travelled over a rep (``confirm``: walking across the picture is no rep).

    * ``presence``: landmarks (no ``{side}``): the least of their presence in the picture, 0-1
      (MediaPipe's own: 0 for a point outside the frame), measured whenever a person is: which
      way to count (a counting ``variant``'s ``if``) when a phone films the body without its feet.

    ``seen_gap`` (sides ``min``, ``max``, ``alternating``): where one side's points have been
    seen (the pose model's visibility, the least of the signal's points, averaged over the frames
    of the last 4 s) more than this much worse than the other side's, only the better-seen side
    counts, unless that side is hardly seen at all (mean < 0.3: the far limb side-on, kept as
    the rules were measured). Turned 45 degrees from the camera the far limb is partly hidden
    behind the body and the pose model misplaces it (a far elbow read up at the shoulder in a
    clean curl): the more extreme side is then its misreading, not the person. Facing the
    camera both sides are seen alike (an elbow hidden for a moment does not move the mean) and
    it changes nothing.

    ``own_start`` (side ``alternating``, seconds): each side is measured from its own start level
    (the 10% quantile toward the start of its values of the last this-many seconds' frames, at the
    clip's frame rate: where that arm hangs); a side whose level lies further toward the turn
    than the other's by 0.09 or more is moved to 0.02 short of the other's level (under 0.06
    apart nothing moves, a ramp between) before the side further toward the turn is taken.
    Turned 45 degrees from the camera the pose model reads the far arm's hang nearer the turn
    than the near arm's (rows: far elbow 0.07-0.17 upper-body sizes higher): the more extreme
    side then sits on the far arm's hang between reps and the near arm's return never shows
    (two reps joined). 6 s: 90 frames at 15 fps (the tuning clips), 180 at 30.
    """

    name: str
    kind: str
    points: tuple[str, ...]
    source: str = "world"
    side: str = "both"
    axis: str = "xy"
    per: tuple[str, ...] | None = None   # 2 points, or 4 (two segments) for a distance
    signed: bool = False
    along: tuple[str, str] | None = None
    seen_gap: float | None = None
    own_start: float | None = None   # seconds
    weights: tuple[float, float] | None = None   # a difference's a x first - b x second (None: 1, 1)

    @property
    def sided(self) -> bool:
        if self.kind in ("difference", "presence"):
            return False
        return any("{side}" in p for p in self.points + (self.per or ()) + (self.along or ()))


@dataclass(frozen=True)
class CountingSpec:
    """How a rep is recognised in the driving signal.

    ``start`` is the value in the rest position a rep begins and ends in, ``turn`` the
    textbook value at the far end of the movement; the sign of ``turn - start`` gives the
    direction. Gates are deliberately lenient absolute limits (real people rarely reach
    textbook angles); the amplitude is judged against ``min_rom`` and against the
    person's own recent full reps (``partial_below`` of their median range).
    """

    signal: SignalSpec
    start: float
    turn: float
    start_gate: float          # the start extreme must be at least this far toward start
    turn_gate: float           # the turn extreme must be at least this far toward turn
    min_rom: float             # minimum range (signal units) of a full rep
    first_rom: float = 0.0     # the first full rep of a set moves at least this much (0: min_rom);
                               # later ones are judged against it, so a stray small movement is no set
    partial_below: float = 0.6 # a rep smaller than this share of the usual range is partial
    # ... unless it reaches shallow_rep[0] of the usual range and lasts shallow_rep[1] of the usual
    # rep's time (None: never): a slow small swing the pose model under-reads, not a quick twitch
    shallow_rep: tuple[float, float] | None = None
    leave_start: float = 0.3   # leaving the start by this share of min_rom begins a rep
    return_share: float = 0.6  # coming back by this share of the rep's own range ends it
    return_hold_s: float = 0.12  # ... held this long once the set's first rep is counted (a glitch back is no return)
    min_rep_s: float = 0.4
    max_rep_s: float = 10.0
    side_signal: str = ""      # report a rep's side from this signal (default: the driving one)
    turn_limit: float | None = None  # a turn beyond this is another movement (arms overhead in a stretch)
    start_limit: float | None = None  # a start beyond this is another movement (arms hanging before a press)
    # the pose model's misreadings while this way of counting is used (beside the exercise's own
    # ``misread``): what is a misreading from one view is the movement itself from another
    misread: tuple[Condition, ...] = ()
    # another way to count (its own signal and values) where ``variant_if`` holds on the frames
    # before a set's first rep (the view: a movement the pose model reads in depth from one side
    # and across the picture from another); chosen while the counter waits for the start position
    variant: CountingSpec | None = None
    variant_if: Condition | None = None
    # optional: the variant is chosen on this many seconds of frames, and (again) until a set's first
    # rep begins, not only while the counter waits for the start position (which a set's first frame
    # may end at once, so that frame alone chose); None: over 1 s while waiting (tracker.VARIANT_WINDOW_S)
    variant_window_s: float | None = None

    def variants(self) -> list[tuple[Condition, "CountingSpec"]]:
        """The chain of counting variants, in order: a variant may hold its own ``variant``, tried
        when the one before does not hold (the first whose condition holds is chosen)."""
        out, c = [], self
        while c.variant is not None and c.variant_if is not None:
            out.append((c.variant_if, c.variant))
            c = c.variant
        return out

    @property
    def direction(self) -> float:
        """+1 when the signal grows toward the turn, -1 when it falls."""
        return 1.0 if self.turn > self.start else -1.0


@dataclass(frozen=True)
class FormRule:
    """A fault: a condition on signals at a phase of the rep, and what to say."""

    name: str
    phase: str                 # start | turn | throughout | rep
    when: Condition
    cue: str
    severity: str = "tip"
    cooldown_s: float = 10.0
    hold_s: float = 0.2        # throughout: how long the condition must hold
    better: str = "Better!"
    # the view lets this fault be judged (e.g. side-on for a knee past the toes); where it
    # does not, the rule stays quiet and the rep records the fault as not judged
    judge_if: Condition | None = None
    # its NAME_dev names compare against the person's usual reps without those this fault was
    # found in (a run of faulty reps does not drag the usual toward the fault)
    usual_clean: bool = False
    # "high" / "low": the side of the person's reps that is good for this fault; its NAME_dev
    # names then compare against the quartile of their usual reps on that side, not the median
    usual_good: str = ""


@dataclass(frozen=True)
class ExerciseSpec:
    """One exercise of the catalogue (built-in or custom)."""

    name: str
    display_name: str
    counting: CountingSpec
    aliases: tuple[str, ...] = ()
    camera_advice: str = ""
    view: str = "any"                         # the view the camera advice asks for first (the demo films it)
    views: tuple[str, ...] = ("any",)         # every view the advice allows ("face the camera or stand at 45")
    poor_views: tuple[str, ...] = ()          # "head_on", "side_on": counted badly so: the coach says the advice
    required: tuple[str, ...] = ()            # body parts / landmarks, "{side}" allowed
    start_position: str = "top"               # what "top"/"bottom" in rules mean
    signals: dict[str, SignalSpec] = field(default_factory=dict)
    position: tuple[Condition, ...] = ()      # must hold throughout a rep for it to count
    confirm: tuple[Condition, ...] = ()       # must hold at the turn / over the rep (NAME_max ...)
    misread: tuple[Condition, ...] = ()       # a frame where one holds is the pose model's misreading: no person
    set_up: tuple[Condition, ...] = ()        # a set's first rep whose turn meets one is setting up (review)
    put_down: tuple[Condition, ...] = ()      # a set's last rep meeting one is putting the weights down (review)
    settle: tuple[Condition, ...] = ()        # before a set's first rep, the start position needs these (live)
    form: tuple[FormRule, ...] = ()
    description: str = ""
    origin: str = ""                          # file it came from, for messages

    @property
    def signal(self) -> SignalSpec:
        return self.counting.signal

    def all_signals(self) -> dict[str, SignalSpec]:
        """Driving signal first, then the named extra signals."""
        out = {self.counting.signal.name: self.counting.signal}
        for _, var in self.counting.variants():
            out[var.signal.name] = var.signal
        out.update(self.signals)
        return out
