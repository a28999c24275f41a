"""Timelines of joint angles: sets of reps with realistic variation, rests and transitions.

A ``Timeline`` holds one parameter vector per frame (see ``kinematics.PARAM_KEYS``) plus
labels and rep boundaries; ``place`` turns it into 3D joints. No drawing happens here,
so a classifier can get thousands of labelled poses cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from deepfit_coach.synth.body import Body
from deepfit_coach.synth.exercises import EXERCISES, STAND, Exercise, Pose
from deepfit_coach.synth.kinematics import INDEX, PARAM_KEYS, forward, vec

REST_KINDS: tuple[str, ...] = ("standing", "walk_in_place", "walk_across", "stretching", "pick_up_weights",
                               "get_into_position")


@dataclass
class RepTruth:
    """One rep: frames of its start, turning point ("bottom") and end; side; faults."""

    index: int
    start_frame: int
    bottom_frame: int
    end_frame: int
    side: str
    faults: list[str]
    rom: float

    def to_dict(self) -> dict:
        return {"index": self.index, "start_frame": self.start_frame, "bottom_frame": self.bottom_frame,
                "end_frame": self.end_frame, "side": self.side, "faults": list(self.faults),
                "rom": round(self.rom, 3)}


@dataclass
class Timeline:
    """Per-frame parameter vectors and labels of a clip, before any geometry."""

    fps: float
    params: list[np.ndarray] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)       # exercise name or "rest"
    activities: list[str] = field(default_factory=list)   # exercise name or the rest kind
    anchors: list[str] = field(default_factory=list)      # what stays on the floor
    reach: list[float] = field(default_factory=list)      # hand target for planted hands
    reps: list[RepTruth] = field(default_factory=list)
    sets: list[dict] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.params)

    def add(self, p: np.ndarray, label: str, activity: str, anchor: str = "feet", reach: float = 0.0) -> None:
        self.params.append(p)
        self.labels.append(label)
        self.activities.append(activity)
        self.anchors.append(anchor)
        self.reach.append(reach)

    @property
    def last(self) -> np.ndarray:
        return self.params[-1] if self.params else vec(resolve(STAND, "both"))


def ease(u: np.ndarray | float) -> np.ndarray | float:
    """Smooth 0->1 with zero velocity at both ends (minimum-jerk profile)."""
    u = np.clip(u, 0.0, 1.0)
    return u * u * u * (10 - 15 * u + 6 * u * u)


def resolve(pose: Pose, side: str) -> dict[str, float]:
    """Map W_/O_ keys to l_/r_ for a side: "left", "right" or "both" (W on both limbs)."""
    out: dict[str, float] = {}
    order = sorted(pose, key=lambda k: 0 if k.startswith("O_") else 1)  # W overrides O for "both"
    for k in order:
        v = pose[k]
        if k.startswith(("W_", "O_")):
            work = k[0] == "W"
            if side == "both":
                targets = ["l_", "r_"]
            else:
                mine = "l_" if side == "left" else "r_"
                other = "r_" if side == "left" else "l_"
                targets = [mine if work else other]
            for t in targets:
                out[t + k[2:]] = v
        else:
            out[k] = v
    return out


def _flat_feet(v: np.ndarray, sides: tuple[str, ...] = ("l", "r")) -> None:
    """Set ankles so the soles stay level (pitch - hip flexion + knee flexion)."""
    for s in sides:
        v[INDEX[f"{s}_ankle"]] = v[INDEX["pitch"]] - v[INDEX[f"{s}_hip_flex"]] + v[INDEX[f"{s}_knee"]]


class Wobble:
    """Smooth random sway and breathing: a few sines with random phases per parameter."""

    AMP = {"px": 0.012, "pz": 0.01, "spine_side": 1.2, "spine_flex": 0.8, "neck_flex": 2.0, "neck_turn": 3.0,
           "yaw": 1.5, "l_sh_abd": 1.5, "r_sh_abd": 1.5, "l_elbow": 2.0, "r_elbow": 2.0}

    def __init__(self, rng: np.random.Generator, amount: float = 1.0) -> None:
        self.keys = [INDEX[k] for k in self.AMP]
        self.amp = np.array(list(self.AMP.values())) * amount
        self.freq = rng.uniform(0.12, 0.45, size=(len(self.keys), 2))
        self.phase = rng.uniform(0, 2 * np.pi, size=(len(self.keys), 2))
        self.breath_f = rng.uniform(0.2, 0.3)

    def __call__(self, t: float) -> np.ndarray:
        d = np.zeros(len(PARAM_KEYS))
        d[self.keys] = self.amp * 0.5 * np.sin(2 * np.pi * self.freq * t + self.phase).sum(axis=1)
        d[INDEX["spine_flex"]] += 0.6 * np.sin(2 * np.pi * self.breath_f * t)
        return d


def _ankle_offsets(body: Body, v: np.ndarray) -> np.ndarray:
    """Sideways distance of each ankle from the pelvis centre (left, right), pelvis axes."""
    from deepfit_coach.skeleton import LM

    pose = forward(body, v)
    rx, pelvis = pose.extra["root_x"], pose.extra["pelvis"]
    return np.array([np.dot(pose.landmarks[LM.LEFT_ANKLE] - pelvis, rx),
                     np.dot(pose.landmarks[LM.RIGHT_ANKLE] - pelvis, rx)])


def keep_stance(body: Body, v: np.ndarray, target: np.ndarray) -> None:
    """Adjust knee_abd (secant steps) so both ankles stay at the stance width ``target``."""
    keys = [INDEX["l_knee_abd"], INDEX["r_knee_abd"]]
    for _ in range(2):
        cur = _ankle_offsets(body, v)
        if np.all(np.abs(target - cur) < 0.005):
            return
        probe = v.copy()
        probe[keys] += 5.0
        slope = (_ankle_offsets(body, probe) - cur) / 5.0
        ok = np.abs(slope) > 1e-5
        step = np.where(ok, (target - cur) / np.where(ok, slope, 1.0), 0.0)
        v[keys] += np.clip(step, -40, 40)


def _hand_reach(body: Body, start: np.ndarray) -> float:
    """Horizontal distance from toes to shoulders in the push-up top pose (hands go there)."""
    p = start.copy()
    p[INDEX["hands_planted"]] = 0
    pose = forward(body, p)
    from deepfit_coach.skeleton import LM
    lm = pose.landmarks
    toes = 0.5 * (lm[LM.LEFT_FOOT_INDEX] + lm[LM.RIGHT_FOOT_INDEX])
    sh = 0.5 * (lm[LM.LEFT_SHOULDER] + lm[LM.RIGHT_SHOULDER])
    heading = pose.extra["root_z"].copy()
    heading[1] = 0
    heading /= np.linalg.norm(heading)
    return float(np.dot(sh - toes, heading)) + 0.03


def _sides(ex: Exercise, mode: str | None, reps: int, rng: np.random.Generator) -> list[str]:
    mode = mode or ex.sides[0]
    if mode == "alternating":
        first = "left" if rng.random() < 0.5 else "right"
        other = "right" if first == "left" else "left"
        return [first if i % 2 == 0 else other for i in range(reps)]
    return [mode] * reps


@dataclass
class SetSpec:
    """One set of one exercise; see ``ClipSpec`` for the meaning of the fields."""

    exercise: str
    reps: int = 5
    side: str | None = None
    faults: tuple[str, ...] = ()
    rep_faults: dict[int, tuple[str, ...]] = field(default_factory=dict)
    fault_prob: float = 0.0
    tempo: float = 1.0
    tempo_drift: float | None = None
    yaw: float = 0.0


def add_set(tl: Timeline, body: Body, spec: SetSpec, rng: np.random.Generator, wobble: Wobble) -> None:
    """Append a set: a short hold, then reps with tempo drift, pauses, ROM jitter and faults."""
    ex = EXERCISES[spec.exercise]
    fps = tl.fps
    sides = _sides(ex, spec.side, spec.reps, rng)
    yaw = {"yaw": spec.yaw}
    drift = spec.tempo_drift if spec.tempo_drift is not None else rng.uniform(-0.2, 0.25)
    base_tempo = spec.tempo * rng.uniform(0.85, 1.2)

    one_sided = (spec.side or ex.sides[0]) in ("left", "right")
    idle = ex.idle_arm if one_sided else {}

    def start_pose(side: str, faults: list[str], limits: list[str] | None = None) -> np.ndarray:
        """The start pose with ``faults``' start deltas (``limits``: only the range limits of these)."""
        v = vec({**resolve({**ex.start, **idle}, side), **yaw, "dumbbells": float(ex.dumbbells)})
        for f in faults:
            v += vec(resolve(ex.faults[f].start, side))
        for f in limits or []:
            if not ex.faults[f].held:
                v += vec(resolve(ex.faults[f].start, side))
        return v

    rep_faults: list[list[str]] = []
    for i in range(spec.reps):
        names = list(spec.rep_faults.get(i, spec.faults))
        if spec.fault_prob > 0 and not names and ex.faults and rng.random() < spec.fault_prob:
            names = [str(rng.choice(list(ex.faults)))]
        rep_faults.append(names)
    starts = [start_pose(sides[i], rep_faults[i]) for i in range(spec.reps)]
    starts.append(start_pose(sides[-1] if sides else "both", []))
    # where each rep's return ends: its own held postures, the next rep's range limits
    returns = [start_pose(sides[i], [f for f in rep_faults[i] if ex.faults[f].held],
                          rep_faults[i + 1] if i + 1 < spec.reps else []) for i in range(spec.reps)]
    # planted hands go under the shoulders of each rep's start pose (a piked rep moves them)
    reaches = [_hand_reach(body, s) if ex.solver == "pushup" else 0.0 for s in starts]
    reach_now = [reaches[0]]
    stance = _ankle_offsets(body, starts[0]) if ex.keep_stance else None
    t0 = len(tl) / fps

    def emit(v: np.ndarray, amount: float = 0.0) -> None:
        v = v + wobble(len(tl) / fps)
        if ex.bounce:
            v[INDEX["lift"]] = max(0.0, ex.bounce * np.sin(2 * np.pi * amount) ** 2) if amount > 0 else 0.0
        if stance is not None:
            keep_stance(body, v, stance)
        if ex.flat_feet:
            if ex.rear_foot_free and side_now[0] in ("left", "right"):
                # blend: flat while standing, free as the rear knee bends
                free = "r" if side_now[0] == "left" else "l"
                keep = v[INDEX[f"{free}_ankle"]]
                _flat_feet(v)
                w = min(1.0, 2 * min(amount, 1 - amount)) if amount > 0 else 0.0
                v[INDEX[f"{free}_ankle"]] = (1 - w) * v[INDEX[f"{free}_ankle"]] + w * keep
            else:
                _flat_feet(v)
        tl.add(v, ex.name, ex.name, anchor_for(ex, side_now[0]), reach_now[0])

    side_now = [sides[0] if sides else "both"]
    first = len(tl)
    for _ in range(int(rng.uniform(0.4, 0.9) * fps)):       # settle into the start position
        emit(starts[0].copy())
    for i in range(spec.reps):
        side_now[0] = sides[i]
        dur = ex.rep_s * base_tempo * (1 + drift * i / max(spec.reps - 1, 1)) * rng.uniform(0.92, 1.08)
        rom = rng.uniform(0.9, 1.04)
        for f in rep_faults[i]:
            rom *= ex.faults[f].rom
        peak = vec({**resolve({**ex.peak, **idle}, sides[i]), **yaw, "dumbbells": float(ex.dumbbells)})
        for f in rep_faults[i]:
            peak += vec(resolve(ex.faults[f].peak, sides[i]))
        jitter = np.zeros(len(PARAM_KEYS))
        changing = np.abs(peak - starts[i]) > 1e-6
        jitter[changing] = rng.normal(0, ex.jitter, size=int(changing.sum()))
        jitter[[INDEX["px"], INDEX["pz"], INDEX["lift"], INDEX["hands_planted"], INDEX["dumbbells"]]] = 0
        top, nxt = starts[i], starts[i + 1]
        bottom = top + rom * (peak - top) + jitter
        n_down = max(2, int(round(dur * ex.down_share * fps)))
        n_up = max(2, int(round(dur * (1 - ex.down_share) * fps)))
        n_hold_bottom = int(round(rng.choice([0, 0, rng.uniform(0.05, 0.35)]) * fps))
        n_hold_top = int(round(rng.choice([0, rng.uniform(0.05, 0.5)]) * fps))
        start_frame = len(tl)
        reach_now[0] = reaches[i]
        for k in range(n_down):
            a = float(ease((k + 1) / n_down))
            emit(top + a * (bottom - top), 0.5 * a)
        bottom_frame = len(tl) - 1 + n_hold_bottom // 2
        for _ in range(n_hold_bottom):
            emit(bottom.copy(), 0.5)
        # the rep returns to its own held posture: a fault drawn as a posture (hips_sag, rounded_back...)
        # lasts the whole rep and the neighbouring clean reps stay clean in every frame
        ret = returns[i]
        for k in range(n_up):
            a = float(ease((k + 1) / n_up))
            emit(bottom + a * (ret - bottom), 0.5 + 0.5 * a)
        end_frame = len(tl) - 1
        n_hold = n_hold_top if i < spec.reps - 1 else 0
        if np.abs(nxt - ret).max() > 1e-6:
            # change posture between reps (outside every rep's truth span): at least 0.4 s, eased
            n_move = max(n_hold, int(round(0.4 * fps)), 2)
            for k in range(n_move):
                a = float(ease((k + 1) / n_move))
                reach_now[0] = reaches[i] + a * (reaches[i + 1] - reaches[i])
                emit(ret + a * (nxt - ret))
            n_hold = 0
        for _ in range(n_hold):
            emit(nxt.copy())
        tl.reps.append(RepTruth(index=len(tl.reps) + 1, start_frame=start_frame,
                                bottom_frame=bottom_frame, end_frame=end_frame, side=sides[i],
                                faults=rep_faults[i], rom=float(rom)))
    tl.sets.append({"exercise": ex.name, "start_frame": first, "end_frame": len(tl) - 1, "reps": spec.reps,
                    "t0_s": round(t0, 3)})


def anchor_for(ex: Exercise, side: str) -> str:
    if ex.anchor == "other_foot":
        return "right_foot" if side == "left" else "left_foot"
    return ex.anchor


# ---------------------------------------------------------------- rest / other motion

def _standing_idle(t: float, rng_phase: float) -> dict[str, float]:
    shift = 4 * np.sin(2 * np.pi * 0.1 * t + rng_phase)
    return {"roll": 0.6 * shift, "l_hip_abd": 4 + shift, "r_hip_abd": 4 - shift}


# half-way pose between standing and the floor: squatting down with hands reaching forward
CROUCH: Pose = {"pitch": 40, "spine_flex": 15, "W_hip_flex": 120, "O_hip_flex": 120, "W_knee": 125,
                "O_knee": 125, "W_sh_flex": 60, "O_sh_flex": 60, "W_elbow": 15, "O_elbow": 15, "W_hip_abd": 10,
                "O_hip_abd": 10, "neck_flex": -25}


def _via(a: np.ndarray, mid: np.ndarray, b: np.ndarray, u: float) -> np.ndarray:
    """Blend a -> mid -> b (0 <= u <= 1), each half eased: getting down to / up from the floor."""
    if u < 0.5:
        return a + float(ease(2 * u)) * (mid - a)
    return mid + float(ease(2 * u - 1)) * (b - mid)


def add_rest(tl: Timeline, body: Body, kind: str, seconds: float, rng: np.random.Generator, wobble: Wobble,
             yaw: float = 0.0, next_exercise: str | None = None) -> None:
    """Append ``seconds`` of non-exercise motion labelled "rest", ending in a blend towards
    the next exercise's start pose (so sets begin smoothly)."""
    fps = tl.fps
    n = int(round(seconds * fps))
    if n <= 0:
        return
    stand = vec({**resolve(STAND, "both"), "yaw": yaw})
    prev = tl.last.copy()
    nxt_ex = EXERCISES.get(next_exercise or "")
    target = vec({**resolve(nxt_ex.start, "both"), "yaw": yaw, "dumbbells": float(nxt_ex.dumbbells)}) \
        if nxt_ex else stand
    from_floor = abs(prev[INDEX["pitch"]]) > 45
    to_floor = bool(nxt_ex and nxt_ex.floor)
    n_in = (min(n // 2, int(1.6 * fps)) if from_floor else min(n // 3, int(0.8 * fps))) if len(tl) else 0
    n_out = (min(n // 2, int(1.8 * fps)) if to_floor else min(n // 3, int(0.7 * fps))) if nxt_ex else 0
    crouch = vec({**resolve(CROUCH, "both"), "yaw": yaw})
    phase = rng.uniform(0, 2 * np.pi)
    step_hz = rng.uniform(0.8, 1.0)
    direction = rng.choice([-1.0, 1.0])
    rng.uniform(0.25, 0.4)  # (a retired walking-speed draw, kept so seeds give the same clips)
    holds_weights = bool(prev[INDEX["dumbbells"]] > 0.5)
    reach = _hand_reach(body, target) if (nxt_ex and nxt_ex.solver == "pushup") else 0.0
    for k in range(n):
        t = k / fps
        d: dict[str, float] = {}
        anchor = "feet"
        if kind == "standing":
            d = _standing_idle(t, phase)
        elif kind in ("walk_in_place", "walk_across"):
            w = np.sin(2 * np.pi * step_hz * t)
            c = np.cos(2 * np.pi * step_hz * t)
            lift_l, lift_r = max(0.0, w), max(0.0, -w)
            d = {"l_hip_flex": 35 * lift_l, "l_knee": 60 * lift_l, "r_hip_flex": 35 * lift_r, "r_knee": 60 * lift_r,
                 "l_sh_flex": -20 * w, "r_sh_flex": 20 * w, "l_elbow": 25, "r_elbow": 25}
            if kind == "walk_across":
                # swing leg moves forward while lifted; the planted foot pushes the body along
                turn = float(ease((t - seconds / 2 + 0.3) / 0.6))
                d["yaw"] = yaw + 90 * direction - 180 * direction * turn
                d["l_hip_flex"] = -28 * c
                d["r_hip_flex"] = 28 * c
                d["l_knee"] = 45 * lift_l
                d["r_knee"] = 45 * lift_r
                d["l_sh_flex"] = 20 * c
                d["r_sh_flex"] = -20 * c
                anchor = "walk"
        elif kind == "stretching":
            c = 0.5 - 0.5 * np.cos(2 * np.pi * t / 4.0)
            side = np.sin(2 * np.pi * t / 8.0)
            d = {"l_sh_abd": 8 + 160 * c, "r_sh_abd": 8 + 160 * c, "l_elbow": 10, "r_elbow": 10,
                 "spine_side": 25 * c * side, "neck_flex": -10 * c}
        elif kind == "pick_up_weights":
            c = 0.5 - 0.5 * np.cos(2 * np.pi * min(t / 3.0, 1.0))
            d = {"pitch": 45 * c, "spine_flex": 30 * c, "l_hip_flex": 95 * c, "r_hip_flex": 95 * c,
                 "l_knee": 90 * c, "r_knee": 90 * c, "l_sh_flex": 70 * c, "r_sh_flex": 70 * c, "neck_flex": -20 * c}
            holds_weights = holds_weights or t > 1.5
        elif kind == "get_into_position":
            d = _standing_idle(t, phase)
        else:
            raise ValueError(f"unknown rest kind {kind!r}; choose from {', '.join(REST_KINDS)}")
        base = stand.copy()
        for key, val in d.items():
            base[INDEX[key]] = val
        base[INDEX["dumbbells"]] = float(holds_weights)
        v = base
        if k < n_in:
            u_in = (k + 1) / n_in
            v = _via(prev, crouch, v, u_in) if from_floor else prev + float(ease(u_in)) * (v - prev)
        if n_out and k >= n - n_out:
            a = (k - (n - n_out) + 1) / n_out
            v = _via(v, crouch, target, a) if to_floor else v + float(ease(a)) * (target - v)
            a = float(ease(a))
            if a > 0.5 and nxt_ex:
                anchor = anchor_for(nxt_ex, "both") if nxt_ex.anchor != "other_foot" else "feet"
        v = v + wobble(len(tl) / fps)
        if not (nxt_ex and not nxt_ex.flat_feet and n_out and k >= n - n_out):
            _flat_feet(v)
        tl.add(v, "rest", kind, anchor, reach)
