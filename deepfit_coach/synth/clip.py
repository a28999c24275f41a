"""The synth API: specs in, frames and truth out (in memory or as mp4 + truth JSON).

    from deepfit_coach.synth import ClipSpec, render_clip, iter_frames, joints_only
    clip = render_clip(ClipSpec("squats", reps=3, view="side", seed=1, faults=("shallow",)))
    for image_bgr, truth_frame in iter_frames(spec): ...
    truth = joints_only(spec)        # no drawing: thousands of labelled poses per second

A spec is planned first (``plan``: motion, 3D poses, camera, scene), which is cheap
and fully determined by the seed; drawing is the only per-frame cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from deepfit_coach.skeleton import LM
from deepfit_coach.synth.body import Body, sample_body, with_contrast
from deepfit_coach.synth.bystander import BYSTANDER_KINDS, Bystander, make_bystander
from deepfit_coach.synth.camera import VIEWS, Camera, fit_camera
from deepfit_coach.synth.exercises import EXERCISES, EXERCISES_ORDER
from deepfit_coach.synth.kinematics import Pose3D
from deepfit_coach.synth.motion import REST_KINDS, SetSpec, Timeline, Wobble, add_rest, add_set
from deepfit_coach.synth.occlusion import occluded
from deepfit_coach.synth.render import Painter
from deepfit_coach.synth.scene import Look, degrade, draw_background, sample_look
from deepfit_coach.synth.truth import Truth, TruthFrame
from deepfit_coach.synth.world import world_poses


@dataclass(kw_only=True)
class Shot:
    """Camera, image and scene options shared by clips and workouts.

    ``view`` is front/side/45/back (or a yaw in degrees given by ``yaw``, which wins);
    ``pitch`` > 0 looks down; ``fill`` is the share of the frame the whole clip's motion
    spans (> 1 crops the body); ``offset`` moves the person off-centre (fractions of the
    frame). ``body``/``look`` None = random from the seed, scaled by ``variation``.
    ``noise``: pixel noise std; ``blur``: horizontal blur in pixels (defocus / shake);
    ``motion_blur``: sub-frames averaged over a half-frame shutter centred on each frame
    (moving limbs smear, the truth stays at the frame's instant). ``bystander``: a second
    person in the picture (``BYSTANDER_KINDS``: walking past behind or in front, standing
    behind); the truth stays the exerciser's.
    """

    view: str = "front"
    yaw: float | None = None
    pitch: float = 8.0
    distance: float = 3.5
    fill: float = 0.8
    offset: tuple[float, float] = (0.0, 0.0)
    roll: float = 0.0
    mirror: bool = False
    fps: float = 30.0
    width: int = 640
    height: int = 480
    seed: int = 0
    body: Body | None = None
    look: Look | None = None
    variation: float = 1.0
    noise: float = 0.0
    blur: int = 0
    motion_blur: int = 0
    bystander: str | None = None

    def camera_yaw(self) -> float:
        if self.yaw is not None:
            return float(self.yaw)
        if self.view not in VIEWS:
            raise ValueError(f"unknown view {self.view!r}; choose from {', '.join(VIEWS)}")
        return VIEWS[self.view]


@dataclass
class ClipSpec(Shot):
    """One set of one exercise between rests (or only non-exercise motion).

    ``exercise``: one of ``EXERCISES_ORDER`` or a rest kind (``REST_KINDS``; then the clip
    lasts ``duration`` seconds). ``faults``: fault names applied to every rep;
    ``rep_faults``: {0-based rep: faults} overrides; ``fault_prob``: chance of one random
    fault per otherwise clean rep. ``side``: both/left/right/alternating (None = the
    exercise's default). ``tempo`` > 1 is slower.
    """

    exercise: str = "squats"
    reps: int = 5
    side: str | None = None
    faults: tuple[str, ...] = ()
    rep_faults: dict[int, tuple[str, ...]] = field(default_factory=dict)
    fault_prob: float = 0.0
    tempo: float = 1.0
    rest_before: float = 1.0
    rest_after: float = 0.5
    rest_kind: str = "standing"
    duration: float = 6.0

    def set_spec(self) -> SetSpec:
        """The one set this clip performs."""
        return SetSpec(self.exercise, self.reps, self.side, tuple(self.faults), dict(self.rep_faults),
                       self.fault_prob, self.tempo)


@dataclass
class WorkoutSpec(Shot):
    """Several sets strung together, with ``rest_s`` seconds of rest motion between them.

    ``rest_kinds`` are cycled through (None: random per rest); a set of a floor exercise
    is preceded by getting into position."""

    sets: list[SetSpec] = field(default_factory=list)
    rest_s: float = 4.0
    rest_before: float = 1.5
    rest_after: float = 1.0
    rest_kinds: tuple[str, ...] | None = None


@dataclass
class Plan:
    """Everything but the pixels: motion, 3D poses, camera, scene and truth."""

    spec: Shot
    body: Body
    look: Look
    camera: Camera
    poses: list[Pose3D]
    timeline: Timeline
    truth: Truth
    others: list[Bystander] = field(default_factory=list)


def exercise_choices(rest: bool = True) -> str:
    """The names a clip may render, exercises and rest motions apart (a rest motion is no exercise)."""
    rests = f"; rest motions: {', '.join(REST_KINDS)}" if rest else ""
    return f"exercises: {', '.join(EXERCISES_ORDER)}{rests}"


def unknown_exercise(name: str, rest: bool = False) -> str:
    """One line for a name the synth cannot render: the nearest exercise, then the choices."""
    from deepfit_coach.yamlfile import did_you_mean

    names = list(EXERCISES_ORDER) + (list(REST_KINDS) if rest else [])
    return f"unknown exercise {name!r}{did_you_mean(name, names)}; {exercise_choices(rest)}"


def validate(spec: Shot) -> None:
    """Raise ValueError with a one-line reason for a spec that cannot be rendered."""
    spec.camera_yaw()
    if spec.bystander is not None and spec.bystander not in BYSTANDER_KINDS:
        raise ValueError(f"unknown bystander {spec.bystander!r}; choose from {', '.join(BYSTANDER_KINDS)}")
    if spec.width < 32 or spec.height < 32 or spec.fps <= 0:
        raise ValueError("resolution must be at least 32x32 and fps > 0")
    sets = spec.sets if isinstance(spec, WorkoutSpec) else (
        [] if spec.exercise in REST_KINDS else [spec.set_spec()])
    if isinstance(spec, ClipSpec) and spec.exercise not in EXERCISES and spec.exercise not in REST_KINDS:
        raise ValueError(unknown_exercise(spec.exercise, rest=True))
    for s in sets:
        if s.exercise not in EXERCISES:
            raise ValueError(unknown_exercise(s.exercise))
        ex = EXERCISES[s.exercise]
        bad = [f for f in list(s.faults) + [f for fs in s.rep_faults.values() for f in fs] if f not in ex.faults]
        if bad:
            raise ValueError(f"unknown fault {bad[0]!r} for {s.exercise}; choose from {', '.join(ex.faults)}")
        if s.side is not None and s.side not in ex.sides:
            raise ValueError(f"{s.exercise} cannot be done with side {s.side!r}; choose from {', '.join(ex.sides)}")
        if s.reps < 1:
            raise ValueError("reps must be at least 1")


def _timeline(spec: Shot, body: Body, rng: np.random.Generator) -> Timeline:
    tl = Timeline(fps=spec.fps)
    wobble = Wobble(np.random.default_rng(rng.integers(2**31)), spec.variation)
    if isinstance(spec, ClipSpec):
        if spec.exercise in REST_KINDS:
            add_rest(tl, body, spec.exercise, spec.duration, rng, wobble,
                     next_exercise="pushups" if spec.exercise == "get_into_position" else None)
            return tl
        nxt = spec.exercise
        kind = "get_into_position" if EXERCISES[nxt].floor and spec.rest_kind == "standing" else spec.rest_kind
        add_rest(tl, body, kind, max(spec.rest_before, 2.5 if EXERCISES[nxt].floor else 0.0), rng, wobble,
                 next_exercise=nxt)
        add_set(tl, body, spec.set_spec(), rng, wobble)
        add_rest(tl, body, spec.rest_kind if not EXERCISES[nxt].floor else "standing",
                 max(spec.rest_after, 2.0) if EXERCISES[nxt].floor else spec.rest_after, rng, wobble)
        return tl
    assert isinstance(spec, WorkoutSpec)
    kinds = spec.rest_kinds
    for i, s in enumerate(spec.sets):
        seconds = spec.rest_before if i == 0 else spec.rest_s
        if kinds:
            kind = kinds[i % len(kinds)]
        else:
            kind = str(rng.choice(["standing", "walk_in_place", "walk_across", "stretching"])) if i else "standing"
        if EXERCISES[s.exercise].floor or (i and EXERCISES[spec.sets[i - 1].exercise].floor):
            seconds = max(seconds, 3.5)
        add_rest(tl, body, kind, seconds, rng, wobble, next_exercise=s.exercise)
        add_set(tl, body, s, rng, wobble)
    add_rest(tl, body, "standing", spec.rest_after, rng, wobble)
    return tl


def plan(spec: Shot) -> Plan:
    """Motion, 3D poses, camera and truth for a spec; deterministic in ``spec.seed``."""
    validate(spec)
    root = np.random.default_rng(spec.seed)
    r_body, r_look, r_motion = (np.random.default_rng(s) for s in root.integers(0, 2**63 - 1, size=3))
    look = spec.look or sample_look(r_look, spec.variation)
    body = spec.body or with_contrast(sample_body(r_body, spec.variation), [look.wall, look.floor])
    if spec.noise or spec.blur:
        look = Look(**{**{f.name: getattr(look, f.name) for f in fields(Look)}, "noise": spec.noise,
                       "blur": spec.blur})
    tl = _timeline(spec, body, r_motion)
    poses = world_poses(tl, body)
    pts = np.concatenate([np.stack([p.landmarks for p in poses]).reshape(-1, 3),
                          np.stack([p.extra["head_c"] + [0, body.head_radius * 1.1, 0] for p in poses])])
    cam = fit_camera(pts, spec.width, spec.height, spec.camera_yaw(), spec.pitch, spec.distance, spec.fill,
                     tuple(spec.offset), spec.roll, spec.mirror)
    truth = _truth(spec, tl, poses, cam, body)
    truth.meta["look"] = look.to_dict()
    others = [make_bystander(spec.bystander, spec.seed, len(poses), spec.fps, poses, cam, [look.wall, look.floor])
              ] if spec.bystander else []
    if others:
        truth.meta["bystander"] = others[0].to_dict()
    return Plan(spec, body, look, cam, poses, tl, truth, others)


def _truth(spec: Shot, tl: Timeline, poses: list[Pose3D], cam: Camera, body: Body) -> Truth:
    lm = np.stack([p.landmarks for p in poses])                  # (T, 33, 3) scene metres
    uv, depth = cam.project(lm)
    mid_hip = 0.5 * (lm[:, LM.LEFT_HIP] + lm[:, LM.RIGHT_HIP])
    world = (lm - mid_hip[:, None, :]) @ cam.rotation.T          # camera axes, hip-centred
    if cam.mirror:
        world[..., 0] *= -1
    inside = (uv[..., 0] >= 0) & (uv[..., 0] < spec.width) & (uv[..., 1] >= 0) & (uv[..., 1] < spec.height)
    hip_depth = 0.5 * (depth[:, LM.LEFT_HIP] + depth[:, LM.RIGHT_HIP])
    meta = {"generator": "deepfit_coach.synth", "seed": spec.seed, "spec": _spec_dict(spec),
            "body": body.to_dict(), "camera": cam.to_dict()}
    return Truth(fps=spec.fps, width=spec.width, height=spec.height, labels=list(tl.labels),
                 activities=list(tl.activities), joints_2d=uv.astype(np.float32), joints_3d=world.astype(np.float32),
                 in_frame=inside, body_height_px=(body.height * cam.focal / hip_depth).astype(np.float32),
                 reps=list(tl.reps), sets=list(tl.sets), meta=meta,
                 occluded=occluded(lm, np.stack([p.extra["head_c"] for p in poses]), body, cam))


def _spec_dict(spec: Shot) -> dict:
    d = asdict(spec)
    d.pop("body", None)
    d.pop("look", None)
    d["type"] = type(spec).__name__
    if "rep_faults" in d:
        d["rep_faults"] = {str(k): list(v) for k, v in d["rep_faults"].items()}
    return d


def _person_box(p: Plan) -> tuple[float, float, float, float]:
    uv = p.truth.joints_2d.reshape(-1, 2)
    m = float(np.max(p.truth.body_height_px)) * 0.12
    return float(uv[:, 0].min() - m), float(uv[:, 1].min() - 2 * m), float(uv[:, 0].max() + m), \
        float(uv[:, 1].max() + m)


class FrameDrawer:
    """Draws any frame of a plan; the background is drawn once."""

    def __init__(self, p: Plan) -> None:
        self.plan = p
        self.bg = draw_background(p.camera, p.look, _person_box(p))
        look = p.look
        scale = np.array(look.tint) * look.light

        def tone(c: tuple[int, int, int]) -> tuple[int, int, int]:
            return tuple(int(min(255, v * k)) for v, k in zip(c, scale))

        self.painter = Painter(p.body, p.camera, tone)
        self.people = [(self.painter, p.poses)] + [(Painter(o.body, p.camera, tone), o.poses) for o in p.others]
        self.rng = np.random.default_rng(p.spec.seed + 7)

    def _paint(self, img: np.ndarray, t: float) -> None:
        """Everyone at fractional frame ``t``, the farthest first (nearer people hide them)."""
        cam = self.plan.camera
        posed = [(painter, poses[int(t)] if float(t).is_integer() else _pose_at(poses, t))
                 for painter, poses in self.people]
        if len(posed) > 1:
            posed.sort(key=lambda pp: -float(cam.to_cam(pp[1].extra["pelvis"])[2]))
        for painter, pose in posed:
            painter.draw(img, pose)  # the camera's projection already mirrors

    def draw(self, i: int) -> np.ndarray:
        p = self.plan
        k = int(getattr(p.spec, "motion_blur", 0))
        if k > 1:
            acc = np.zeros(self.bg.shape, np.float32)
            for s in np.linspace(-0.25, 0.25, k):
                img = self.bg.copy()
                self._paint(img, i + float(s))
                acc += img
            img = (acc / k + 0.5).astype(np.uint8)
        else:
            img = self.bg.copy()
            self._paint(img, float(i))
        return degrade(img, p.look, self.rng)


def _pose_at(poses: list[Pose3D], t: float) -> Pose3D:
    """Pose at fractional frame ``t`` (linear between neighbouring frames), for motion blur."""
    a = int(np.clip(np.floor(t), 0, len(poses) - 1))
    b = min(a + 1, len(poses) - 1)
    u = float(np.clip(t - a, 0.0, 1.0)) if b != a else 0.0
    pa, pb = poses[a], poses[b]
    extra = {key: (1 - u) * v + u * pb.extra[key] for key, v in pa.extra.items()}
    return Pose3D((1 - u) * pa.landmarks + u * pb.landmarks, extra, pa.dumbbells if u < 0.5 else pb.dumbbells)


def iter_frames(spec: Shot | Plan) -> Iterator[tuple[np.ndarray, TruthFrame]]:
    """Yield (BGR image, TruthFrame) per frame, drawing lazily."""
    p = spec if isinstance(spec, Plan) else plan(spec)
    drawer = FrameDrawer(p)
    for i in range(len(p.poses)):
        yield drawer.draw(i), p.truth.frame(i)


def frame_source(spec: Shot | Plan):
    """The clip as a ``sources.IterableSource`` (lazy frames, timestamps from fps), to feed
    the pose stage or the coach exactly like a video file; ``.truth`` holds the truth."""
    from deepfit_coach.sources import IterableSource

    p = spec if isinstance(spec, Plan) else plan(spec)
    src = IterableSource((img for img, _ in iter_frames(p)), fps=p.spec.fps, name=f"synth:{_name(p.spec)}",
                         frame_count=p.truth.frame_count)
    src.truth = p.truth  # type: ignore[attr-defined]
    return src


def _name(spec: Shot) -> str:
    return spec.exercise if isinstance(spec, ClipSpec) else "+".join(s.exercise for s in spec.sets)


@dataclass
class Clip:
    frames: list[np.ndarray]
    truth: Truth

    @property
    def fps(self) -> float:
        return self.truth.fps


def render_clip(spec: Shot) -> Clip:
    """All frames in memory plus the truth (keep clips short: 640x480x3 bytes per frame)."""
    p = plan(spec)
    frames = [img for img, _ in iter_frames(p)]
    return Clip(frames, p.truth)


def joints_only(spec: Shot) -> Truth:
    """Truth without drawing: labels, reps, projected 2D and 3D joints."""
    return plan(spec).truth


def write_clip(spec: Shot, out: str | Path, on_frame: Callable[[int, int], None] | None = None) -> Truth:
    """Write ``out`` (mp4) and ``out.truth.json`` beside it; returns the truth."""
    from deepfit_coach.synth.truth import truth_path
    from deepfit_coach.videowriter import VideoWriter

    out = Path(out)
    p = plan(spec)
    out.parent.mkdir(parents=True, exist_ok=True)
    with VideoWriter(out, spec.fps, (spec.width, spec.height)) as writer:
        n = p.truth.frame_count
        for i, (img, _) in enumerate(iter_frames(p)):
            writer.write(img)
            if on_frame:
                on_frame(i + 1, n)
    p.truth.save(truth_path(out))
    return p.truth
