"""The 10 exercises as data: a start pose, a turning-point pose and how the rep is done.

Keys use ``W_`` for the working side's limb and ``O_`` for the other one (resolved to
``l_``/``r_`` per rep, or both for two-sided moves), plain keys for the trunk and root.
A rep moves start -> peak (the turning point, called "bottom" in the truth) -> start.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Pose = dict[str, float]

EXERCISES_ORDER: tuple[str, ...] = (
    "squats", "lunges", "bicep_curls", "situps", "pushups", "tricep_extensions",
    "dumbbell_rows", "jumping_jacks", "dumbbell_shoulder_press", "lateral_shoulder_raises",
)

STAND: Pose = {"W_sh_abd": 8, "O_sh_abd": 8, "W_elbow": 8, "O_elbow": 8, "W_hip_abd": 4, "O_hip_abd": 4,
               "W_knee": 3, "O_knee": 3}


def _pose(*parts: Pose, **kw: float) -> Pose:
    out: Pose = {}
    for p in parts:
        out.update(p)
    out.update(kw)
    return out


@dataclass(frozen=True)
class Exercise:
    """How one exercise moves.

    ``sides``: the allowed side modes; the first is the default. "both" moves both
    limbs together, "alternating" switches the working side every rep, "left"/"right"
    works one side only. ``anchor``: what stays put on the floor ("feet", "other_foot",
    "toes"). ``rep_s``: typical seconds per rep. ``flat_feet``: keep soles on the floor.
    ``bounce``: jump height in metres (twice per rep).
    """

    name: str
    start: Pose
    peak: Pose
    rep_s: float
    sides: tuple[str, ...] = ("both",)
    dumbbells: bool = False
    floor: bool = False
    anchor: str = "feet"
    flat_feet: bool = True
    bounce: float = 0.0
    solver: str = ""        # name of a post-solver (pushups keep hands on the floor)
    down_share: float = 0.45  # share of the rep spent going to the turning point
    idle_arm: Pose = field(default_factory=dict)  # the other arm in one-sided sets (left/right)
    keep_stance: bool = False  # squats: knee_abd solved per frame so the feet do not slide sideways
    rear_foot_free: bool = False  # lunges: only the front sole stays flat, the back foot rolls onto its toes
    jitter: float = 2.5  # std (degrees) of the per-rep random change of each moving angle at the turning point
    faults: dict[str, "Fault"] = field(default_factory=dict)


@dataclass(frozen=True)
class Fault:
    """A form fault: pose deltas added at the start/peak of a rep and a range-of-motion scale.

    ``held``: the start delta is a posture kept through the rep (a sagging back), taken up
    and dropped in the pause between reps; False: it is a range limit at the start (an arm
    that never straightens), reached by the previous rep's return as a person would."""

    doc: str
    peak: Pose = field(default_factory=dict)
    start: Pose = field(default_factory=dict)
    rom: float = 1.0
    held: bool = True


_HANG: Pose = {"O_sh_flex": 0, "O_sh_abd": 8, "O_sh_twist": 0, "O_elbow": 8}
_SQUAT_STAND = _pose(STAND, W_hip_abd=7, O_hip_abd=7, W_hip_twist=-6, O_hip_twist=-6)
_ROW_START = _pose(STAND, pitch=50, spine_flex=8, W_hip_flex=60, O_hip_flex=60, W_knee=25, O_knee=25,
                   W_sh_flex=58, O_sh_flex=58, W_sh_abd=6, O_sh_abd=6, W_elbow=10, O_elbow=10,
                   W_hip_abd=8, O_hip_abd=8, neck_flex=-25)
_PUSHUP_TOP = {"pitch": 72.0, "hands_planted": 1.0, "W_hip_abd": 4, "O_hip_abd": 4, "W_ankle": 60, "O_ankle": 60,
               "W_sh_abd": 12, "O_sh_abd": 12, "neck_flex": -40}
_SITUP_DOWN = {"pitch": -90.0, "W_hip_flex": 55, "O_hip_flex": 55, "W_knee": 110, "O_knee": 110,
               "W_hip_abd": 6, "O_hip_abd": 6, "W_sh_flex": 20, "O_sh_flex": 20, "W_sh_abd": 10,
               "O_sh_abd": 10, "W_elbow": 10, "O_elbow": 10, "neck_flex": 10}

EXERCISES: dict[str, Exercise] = {e.name: e for e in (
    Exercise(
        "squats", start=_SQUAT_STAND,
        peak=_pose(_SQUAT_STAND, pitch=32, spine_flex=8, W_hip_flex=122, O_hip_flex=122, W_knee=118,
                   O_knee=118, W_hip_abd=18, O_hip_abd=18, W_sh_flex=80, O_sh_flex=80, W_sh_abd=5, O_sh_abd=5, neck_flex=-20),
        rep_s=2.4, keep_stance=True,
        faults={
            "shallow": Fault("hips stay well above the knees", rom=0.45),
            "knees_cave": Fault("knees collapse inwards (valgus)",
                                peak={"W_hip_abd": -22, "O_hip_abd": -22, "W_knee_abd": -24, "O_knee_abd": -24}),
            "torso_lean": Fault("chest drops, torso leans far forward",
                                peak={"pitch": 26, "W_hip_flex": 26, "O_hip_flex": 26, "spine_flex": 8}),
        }),
    Exercise(
        "lunges", start=STAND,
        peak=_pose(STAND, pitch=4, W_hip_flex=88, W_knee=92, O_hip_flex=-22, O_knee=95, O_ankle=10,
                   W_sh_abd=12, O_sh_abd=12),
        rep_s=2.6, sides=("alternating", "left", "right"), anchor="other_foot", rear_foot_free=True,
        faults={
            "knee_past_toes": Fault("front knee travels well past the toes",
                                    peak={"W_knee": 32, "W_hip_flex": 4, "O_hip_flex": 12, "O_knee": -25}),
            "short_range": Fault("back knee stays far from the floor", rom=0.45),
        }),
    Exercise(
        "bicep_curls", start=_pose(STAND, W_elbow=10, O_elbow=10, W_sh_abd=6, O_sh_abd=6),
        peak=_pose(STAND, W_elbow=142, W_sh_flex=10, W_sh_abd=6, O_sh_abd=6, O_elbow=10),
        rep_s=2.2, sides=("alternating", "both", "left", "right"), dumbbells=True,
        faults={
            "torso_swing": Fault("torso swings back to heave the weight", peak={"spine_flex": -16, "pitch": -5}),
            "elbow_drift": Fault("elbow drifts forward, shoulder takes over", peak={"W_sh_flex": 45}),
            "partial_extension": Fault("arm never straightens at the bottom", start={"W_elbow": 55}, held=False),
        }),
    Exercise(
        "situps", start=_SITUP_DOWN,
        peak=_pose(_SITUP_DOWN, spine_flex=78, W_sh_flex=55, O_sh_flex=55, neck_flex=20),
        rep_s=2.6, floor=True,
        faults={
            "short_range": Fault("torso only curls part way up", rom=0.45),
            "neck_pull": Fault("chin pulled hard to the chest", peak={"neck_flex": 35}),
        }),
    Exercise(
        "pushups", start=_PUSHUP_TOP, peak=_pose(_PUSHUP_TOP, pitch=86.0, W_sh_abd=28, O_sh_abd=28),
        rep_s=2.0, floor=True, anchor="toes", flat_feet=False, solver="pushup",
        jitter=1.0,  # the whole descent is only 14 deg of body pitch
        faults={
            "hips_sag": Fault("hips sag towards the floor",
                              start={"W_hip_flex": -16, "O_hip_flex": -16, "spine_flex": -8},
                              peak={"W_hip_flex": -16, "O_hip_flex": -16, "spine_flex": -8}),
            # inverted V: hips well above the shoulder-ankle line, torso sloping down to the hands
            # (the hands are re-planted under the shoulders for the rep, see motion.add_set)
            "hips_pike": Fault("hips piked up high",
                               start={"W_hip_flex": 45, "O_hip_flex": 45, "pitch": 25},
                               peak={"W_hip_flex": 45, "O_hip_flex": 45, "pitch": 25}),
            # stops about half way down: elbows ~90 deg instead of ~50 (~140 at the top), shoulders half way to the floor
            "half_rep": Fault("chest stops far above the floor", rom=0.45),
        }),
    Exercise(
        "tricep_extensions",
        start=_pose(STAND, W_sh_flex=168, O_sh_flex=168, W_sh_abd=8, O_sh_abd=8, W_elbow=12, O_elbow=12),
        peak=_pose(STAND, W_sh_flex=162, O_sh_flex=162, W_sh_abd=10, O_sh_abd=10, W_elbow=135, O_elbow=135),
        rep_s=2.4, sides=("both", "left", "right"), dumbbells=True, idle_arm=_HANG,
        faults={
            # with the arm raised past 90 deg of flexion, *less* abduction moves the elbow outwards
            "elbow_flare": Fault("elbows flare out to the sides", peak={"W_sh_abd": -36, "O_sh_abd": -36}),
            "partial_range": Fault("weight not lowered behind the head", rom=0.45),
        }),
    Exercise(
        "dumbbell_rows", start=_ROW_START,
        peak=_pose(_ROW_START, W_sh_flex=-8, W_elbow=95, W_sh_abd=14),
        rep_s=2.2, sides=("both", "alternating", "left", "right"), dumbbells=True,
        faults={
            "short_range": Fault("elbow stops short of the torso", rom=0.45),
            "torso_rotation": Fault("torso twists open to pull", peak={"spine_twist": 28}),
            "rounded_back": Fault("back rounds instead of staying flat",
                                  start={"spine_flex": 22, "neck_flex": 15}, peak={"spine_flex": 22, "neck_flex": 15}),
        }),
    Exercise(
        "jumping_jacks", start=_pose(STAND, W_hip_abd=3, O_hip_abd=3),
        peak=_pose(STAND, W_sh_abd=165, O_sh_abd=165, W_elbow=15, O_elbow=15, W_hip_abd=17, O_hip_abd=17,
                   W_knee=8, O_knee=8),
        rep_s=1.1, bounce=0.07, down_share=0.5, flat_feet=True,
        faults={
            "half_arms": Fault("arms stop at shoulder height", peak={"W_sh_abd": -78, "O_sh_abd": -78}),
            "narrow_legs": Fault("feet barely leave hip width", peak={"W_hip_abd": -11, "O_hip_abd": -11}),
        }),
    Exercise(
        "dumbbell_shoulder_press",
        start=_pose(STAND, W_sh_abd=80, O_sh_abd=80, W_sh_twist=90, O_sh_twist=90, W_elbow=105, O_elbow=105,
                    W_sh_flex=10, O_sh_flex=10),
        peak=_pose(STAND, W_sh_abd=168, O_sh_abd=168, W_sh_twist=90, O_sh_twist=90, W_elbow=10, O_elbow=10,
                   W_sh_flex=8, O_sh_flex=8),
        rep_s=2.4, sides=("both", "alternating", "left", "right"), dumbbells=True, idle_arm=_HANG,
        faults={
            "incomplete_lockout": Fault("arms stop bent at the top", peak={"W_elbow": 55, "W_sh_abd": -30,
                                                                           "O_elbow": 55, "O_sh_abd": -30}),
            "arched_back": Fault("lower back arches, chest leans back", peak={"spine_flex": -20, "pitch": -4}),
        }),
    Exercise(
        "lateral_shoulder_raises", start=_pose(STAND, W_sh_abd=10, O_sh_abd=10, W_elbow=10, O_elbow=10),
        peak=_pose(STAND, W_sh_abd=88, O_sh_abd=88, W_elbow=14, O_elbow=14, W_sh_flex=12, O_sh_flex=12),
        rep_s=2.2, sides=("both", "left", "right"), dumbbells=True, idle_arm=_HANG,
        faults={
            "arms_too_high": Fault("arms raised well above shoulder height", peak={"W_sh_abd": 42, "O_sh_abd": 42}),
            "bent_elbows": Fault("elbows bent, weight pulled in",
                                 start={"W_elbow": 45, "O_elbow": 45}, peak={"W_elbow": 60, "O_elbow": 60}),
        }),
)}

FAULTS: dict[str, tuple[str, ...]] = {name: tuple(e.faults) for name, e in EXERCISES.items()}
