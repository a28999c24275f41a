"""Which synth clips make up each split, drawn deterministically from the seed.

* train: joints only (no drawing), wide variation: any camera yaw, pitch -5..30 deg
  outside the held-out band, portrait and landscape 4:3 / 16:9 frames, fill 0.5-1.05
  (sometimes cropped), off-centre, rolled, mirrored, all sides, tempos and faults.
* val: rendered and run through MediaPipe, same distribution as train, other seeds.
* test (held out): rendered at resolutions/aspect ratios never used in training
  (960x540, 540x960), camera pitch and distance from bands excluded from training,
  bodies and looks from disjoint seeds with stronger variation, at the named views
  front / 45 / side / back (either side of the body).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from deepfit_coach.synth import EXERCISES, EXERCISES_ORDER, REST_KINDS, ClipSpec

TRAIN_SIZES = ((640, 480), (480, 640), (1280, 720), (720, 1280), (480, 480))
TEST_SIZES = ((960, 540), (540, 960))
PITCH_HOLDOUT = (12.0, 17.0)       # test pitch band, never used in training
DISTANCE_HOLDOUT = (3.3, 3.8)      # test distance band, never used in training
TEST_VIEWS: dict[str, float] = {"front": 0.0, "45": 45.0, "side": 90.0, "back": 180.0}
SEED_BASE = {"train": 1_000_000, "val": 2_000_000, "test": 3_000_000, "mptrain": 4_000_000,
             "mpviews": 5_000_000, "upper": 6_000_000, "mpupper": 7_000_000, "mpcells": 8_000_000}
UPPER_FILL = (1.55, 1.85)          # head-to-waist framing: share of the frame the clip's motion spans
UPPER_OFFSET = (0.38, 0.6)         # ... shifted down by this share of the frame: hips near the lower edge


@dataclass
class SpecItem:
    spec: ClipSpec
    view: str


def _outside(rng: np.random.Generator, lo: float, hi: float, band: tuple[float, float]) -> float:
    while True:
        x = float(rng.uniform(lo, hi))
        if not band[0] <= x <= band[1]:
            return x


def _view_name(yaw: float) -> str:
    a = abs(((yaw + 180) % 360) - 180)
    return min(TEST_VIEWS, key=lambda k: abs(TEST_VIEWS[k] - a))


def _exercise_fields(rng: np.random.Generator, name: str, short: bool = False, shortest: bool = False) -> dict:
    """Exercise or rest-kind fields; ``short``/``shortest`` clips save pose-model time."""
    if name in REST_KINDS:
        return {"exercise": name, "duration": float(rng.uniform(4, 6 if shortest else 7.5 if short else 10))}
    ex = EXERCISES[name]
    return {"exercise": name, "reps": int(rng.integers(3, 5 if shortest else 6 if short else 8)),
            "side": str(rng.choice(ex.sides)),
            "fault_prob": float(rng.choice([0.0, 0.3, 0.6])), "tempo": float(rng.uniform(0.7, 1.45)),
            "rest_before": float(rng.uniform(0.8, 2.0 if shortest else 3.0)),
            "rest_after": float(rng.uniform(0.5, 1.2 if shortest else 2.0)),
            "rest_kind": str(rng.choice(REST_KINDS[:5]))}


def _pick(rng: np.random.Generator, i: int) -> str:
    """Exercises in turn, with a rest-only clip every 4th draw."""
    if i % 4 == 3:
        return str(rng.choice(REST_KINDS))
    return EXERCISES_ORDER[(i - i // 4) % len(EXERCISES_ORDER)]


def train_spec(split_seed: int, i: int, fps: float = 15.0, split: str = "train") -> SpecItem:
    """The i-th training-distribution clip (used for train, mptrain and val)."""
    seed = SEED_BASE[split] + split_seed * 100_000 + i
    rng = np.random.default_rng(seed)
    yaw = float(rng.choice([rng.uniform(-180, 180), rng.normal(0, 25), rng.normal(90, 20) * rng.choice([-1, 1]),
                            rng.normal(45, 15) * rng.choice([-1, 1])]))
    return _spec(rng, seed, lambda: _pick(rng, i), yaw, fps, short=split != "train")


def hard_view_spec(split_seed: int, i: int, fps: float = 10.0) -> SpecItem:
    """The i-th extra pose-model clip filmed from the side or from behind.

    There the pose model is least sure (limbs hidden behind the body, depth towards the
    camera, left and right swapped), so the detector's own errors there need more than
    the share the random yaw gives them: every exercise in turn (and a rest clip every
    6th draw) at a side (60%) or back (40%) view.
    """
    seed = SEED_BASE["mpviews"] + split_seed * 100_000 + i
    rng = np.random.default_rng(seed)
    yaw = float((rng.normal(90, 15) if rng.random() < 0.6 else rng.normal(180, 20)) * rng.choice([-1, 1]))

    def name() -> str:
        return str(rng.choice(REST_KINDS)) if i % 6 == 5 else EXERCISES_ORDER[(i - i // 6) % len(EXERCISES_ORDER)]

    return _spec(rng, seed, name, yaw, fps, short=True)


def cell_specs(split_seed: int, cells: tuple[tuple[str, float, int], ...], fps: float = 10.0) -> list[SpecItem]:
    """Extra pose-model clips for chosen cells: per (exercise or rest kind, yaw, count), ``count``
    clips of that name filmed around that yaw (normal, sd 15 deg, either side of the body), the
    training distribution otherwise. The cells are data (``splits.Budget.mptrain_cells``): the
    held-out weak spots of a model, where the pose model's own errors need more examples than
    the random yaw gives them. Seeds run over the cells in order from their own base, so no
    other clip changes and a cell appended later leaves the earlier ones as they were."""
    items: list[SpecItem] = []
    i = 0
    for name, yaw0, count in cells:
        for _ in range(count):
            seed = SEED_BASE["mpcells"] + split_seed * 100_000 + i
            i += 1
            rng = np.random.default_rng(seed)
            yaw = float((yaw0 + rng.normal(0, 15)) * rng.choice([-1, 1]))
            items.append(_spec(rng, seed, lambda n=name: n, yaw, fps, short=True))
    return items


def upper_names() -> list[str]:
    """Exercises done standing with dumbbells (from the synth's exercise data): the ones people
    film head to waist, hips at the picture's lower edge and legs out of it."""
    return [n for n in EXERCISES_ORDER if EXERCISES[n].dumbbells and not EXERCISES[n].floor]


def upper_body_spec(split_seed: int, i: int, fps: float, split: str = "upper") -> SpecItem:
    """The i-th clip framed head to waist: a standing dumbbell exercise in turn (a rest clip
    every 4th draw), any yaw, the frame's lower edge around the hips.

    Real phone videos of arm exercises are often framed like that; MediaPipe then reports
    the hips at the edge (low presence) and guesses legs outside the picture. ``split``
    "upper": joints only (training), "mpupper": rendered through the pose model.
    """
    seed = SEED_BASE[split] + split_seed * 100_000 + i
    rng = np.random.default_rng(seed)
    yaw = float(rng.choice([rng.uniform(-180, 180), rng.normal(0, 25), rng.normal(90, 20) * rng.choice([-1, 1]),
                            rng.normal(45, 15) * rng.choice([-1, 1])]))
    names = upper_names()

    def name() -> str:
        return str(rng.choice(REST_KINDS)) if i % 4 == 3 else names[(i - i // 4) % len(names)]

    item = _spec(rng, seed, name, yaw, fps, short=split != "upper")
    framing = {"fill": float(rng.uniform(*UPPER_FILL)),
               "offset": (float(rng.normal(0, 0.05)), float(rng.uniform(*UPPER_OFFSET)))}
    return SpecItem(replace(item.spec, **framing), item.view)


def _spec(rng: np.random.Generator, seed: int, name: Callable[[], str], yaw: float, fps: float,
          short: bool) -> SpecItem:
    """A training-distribution clip of ``name()`` seen from ``yaw`` (drawn after the frame
    size, in the order the cached clips were drawn with)."""
    w, h = TRAIN_SIZES[int(rng.integers(len(TRAIN_SIZES)))]
    cropped = rng.random() < 0.15
    spec = ClipSpec(**_exercise_fields(rng, name(), short=short), view="front", yaw=yaw,
                    pitch=_outside(rng, -5, 30, PITCH_HOLDOUT), distance=_outside(rng, 2.4, 5.0, DISTANCE_HOLDOUT),
                    fill=float(rng.uniform(1.0, 1.15) if cropped else rng.uniform(0.5, 0.95)),
                    offset=(float(rng.normal(0, 0.06)), float(rng.normal(0, 0.04))),
                    roll=float(rng.normal(0, 3)), mirror=bool(rng.random() < 0.5), fps=fps, width=w, height=h,
                    seed=seed, variation=float(rng.uniform(0.8, 1.2)))
    return SpecItem(spec, _view_name(yaw))


def heldout_specs(split_seed: int = 0, per_view: int = 2, fps: float = 10.0) -> list[SpecItem]:
    """Held-out grid: every exercise x view x ``per_view`` clips, plus every rest kind x view."""
    items: list[SpecItem] = []
    k = 0
    names = [(n, per_view) for n in EXERCISES_ORDER] + [(n, 1) for n in REST_KINDS]
    for name, count in names:
        for view, yaw0 in TEST_VIEWS.items():
            for _ in range(count):
                seed = SEED_BASE["test"] + split_seed * 100_000 + k
                k += 1
                rng = np.random.default_rng(seed)
                yaw = (yaw0 + rng.normal(0, 6)) * rng.choice([-1, 1])
                w, h = TEST_SIZES[int(rng.integers(len(TEST_SIZES)))]
                spec = ClipSpec(**_exercise_fields(rng, name, shortest=True), view="front", yaw=float(yaw),
                                pitch=float(rng.uniform(*PITCH_HOLDOUT)), distance=float(rng.uniform(*DISTANCE_HOLDOUT)),
                                fill=float(rng.uniform(0.6, 0.9)), offset=(float(rng.normal(0, 0.04)), 0.0),
                                mirror=bool(rng.random() < 0.3), fps=fps, width=w, height=h, seed=seed,
                                variation=1.3)
                items.append(SpecItem(spec, view))
    return items
