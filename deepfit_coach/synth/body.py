"""Body proportions and looks of the mannequin, randomisable per clip.

Lengths are in metres. Proportions follow typical adult anthropometry (segment lengths
as fractions of stature), jittered so a classifier never sees one body only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Body:
    """Segment lengths and radii in metres; colours are BGR."""

    height: float = 1.75
    head_radius: float = 0.105
    neck: float = 0.07
    torso: float = 0.52          # mid hip -> mid shoulder
    shoulder_width: float = 0.36
    hip_width: float = 0.20
    upper_arm: float = 0.29
    forearm: float = 0.26
    hand: float = 0.09
    thigh: float = 0.43
    shin: float = 0.42
    foot: float = 0.22
    ankle_height: float = 0.075
    # radii used by the renderer (limb thickness) and by floor contact
    arm_radius: float = 0.045
    leg_radius: float = 0.065
    torso_depth: float = 0.11
    skin: tuple[int, int, int] = (140, 170, 215)
    shirt: tuple[int, int, int] = (160, 80, 40)
    pants: tuple[int, int, int] = (60, 50, 40)
    hair: tuple[int, int, int] = (30, 40, 60)
    shoes: tuple[int, int, int] = (40, 40, 40)

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else round(float(v), 4)) for k, v in asdict(self).items()}


SKIN_TONES = [(189, 214, 245), (140, 180, 225), (105, 145, 200), (75, 110, 160), (50, 75, 115), (160, 195, 235)]
HAIR = [(20, 20, 25), (30, 45, 70), (50, 90, 140), (120, 160, 190), (60, 60, 60), (200, 200, 200)]


def _vivid(rng: np.random.Generator, lo: int = 30, hi: int = 220) -> tuple[int, int, int]:
    """A random clothing colour, kept away from grey so limbs stand out from walls."""
    c = rng.integers(lo, hi, size=3)
    c[rng.integers(0, 3)] = rng.integers(170, 250)
    return tuple(int(v) for v in c)


def _dist(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    return float(np.linalg.norm(np.subtract(a, b, dtype=float)))


def with_contrast(body: Body, backgrounds: list[tuple[int, int, int]], min_dist: float = 110.0) -> Body:
    """Recolour clothes that nearly match the wall or floor, and trousers that match the top:
    a person in a shirt the colour of the wall (or one colour from neck to ankle) is a real
    but separate problem, not what the truth grid should measure. Draws no random numbers,
    so proportions and motion for a seed are unchanged."""
    from dataclasses import replace

    def fix(c: tuple[int, int, int]) -> tuple[int, int, int]:
        if min(_dist(c, bg) for bg in backgrounds) >= min_dist:
            return c
        best = c
        for cand in (tuple(255 - v for v in c), tuple(int(v * 0.35) for v in c),
                     tuple(min(255, int(v * 0.5 + 128)) for v in c), (40, 40, 200), (200, 90, 30), (30, 30, 30)):
            if min(_dist(cand, bg) for bg in backgrounds) > min(_dist(best, bg) for bg in backgrounds):
                best = cand
        return tuple(int(v) for v in best)

    shirt, pants = fix(body.shirt), fix(body.pants)
    if _dist(shirt, pants) < 100.0:
        # a top and trousers of one colour merge into one blob: the waist line is a cue
        cands = [tuple(int(v * 0.4) for v in shirt), tuple(min(255, int(v * 0.5 + 128)) for v in shirt),
                 (40, 40, 40), (60, 45, 30), (150, 110, 60), (200, 200, 200)]
        pants = max(cands, key=lambda c: min([_dist(c, shirt)] + [_dist(c, bg) * 1.5 for bg in backgrounds]))
    return replace(body, shirt=shirt, pants=pants, shoes=fix(body.shoes))


def sample_body(rng: np.random.Generator, variation: float = 1.0) -> Body:
    """A random adult: stature 1.50-1.95 m, limb ratios +-6%, widths +-12%, random looks."""
    h = float(np.clip(rng.normal(1.72, 0.09 * variation), 1.50, 1.95))

    def j(x: float, s: float = 0.06) -> float:
        return float(x * (1.0 + np.clip(rng.normal(0, s * variation), -2 * s, 2 * s)))

    s = h / 1.75
    girth = float(np.clip(rng.normal(1.0, 0.12 * variation), 0.8, 1.3))
    pants = _vivid(rng) if rng.random() < 0.5 else tuple(int(v) for v in rng.integers(20, 90, size=3))
    return Body(
        height=h, head_radius=j(0.105 * s, 0.04), neck=j(0.07 * s), torso=j(0.52 * s, 0.05),
        shoulder_width=j(0.36 * s, 0.08), hip_width=j(0.20 * s, 0.10),
        upper_arm=j(0.29 * s), forearm=j(0.26 * s), hand=j(0.09 * s, 0.04),
        thigh=j(0.43 * s, 0.05), shin=j(0.42 * s, 0.05), foot=j(0.22 * s, 0.04),
        ankle_height=0.075 * s,
        arm_radius=0.045 * s * girth, leg_radius=0.065 * s * girth, torso_depth=0.11 * s * girth,
        skin=SKIN_TONES[int(rng.integers(len(SKIN_TONES)))], shirt=_vivid(rng), pants=pants,
        hair=HAIR[int(rng.integers(len(HAIR)))],
        shoes=tuple(int(v) for v in rng.integers(20, 230, size=3)),
    )
