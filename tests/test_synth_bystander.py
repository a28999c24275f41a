"""A second person in rendered clips: the exerciser and the truth stay as they were, the
bystander is drawn where it stands or walks, nearer people hide farther ones, and the
pose stage keeps following the exerciser past someone standing behind them."""

from __future__ import annotations

import numpy as np
import pytest

from deepfit_coach.skeleton import LM
from deepfit_coach.synth import ClipSpec, plan
from deepfit_coach.synth.bystander import BYSTANDER_KINDS
from deepfit_coach.synth.clip import FrameDrawer, validate

SMALL = dict(fps=10, width=320, height=240)


def _hips_uv(p, poses) -> np.ndarray:
    lm = np.stack([0.5 * (q.landmarks[LM.LEFT_HIP] + q.landmarks[LM.RIGHT_HIP]) for q in poses])
    return p.camera.project(lm)[0]


@pytest.mark.parametrize("kind", BYSTANDER_KINDS)
def test_exerciser_and_truth_unchanged(kind: str) -> None:
    base = plan(ClipSpec("squats", reps=2, view="45", seed=3, **SMALL))
    other = plan(ClipSpec("squats", reps=2, view="45", seed=3, bystander=kind, **SMALL))
    assert np.array_equal(base.truth.joints_2d, other.truth.joints_2d)
    assert np.array_equal(base.truth.joints_3d, other.truth.joints_3d)
    assert base.truth.labels == other.truth.labels
    assert np.allclose(base.camera.rotation, other.camera.rotation) and base.camera.focal == other.camera.focal
    assert other.truth.meta["bystander"]["kind"] == kind and "bystander" not in base.truth.meta
    assert len(other.others) == 1 and len(other.others[0].poses) == len(other.poses)


def test_no_bystander_draws_the_same_frames() -> None:
    spec = ClipSpec("bicep_curls", reps=1, view="front", seed=4, **SMALL)
    a, b = FrameDrawer(plan(spec)), FrameDrawer(plan(ClipSpec(**{**spec.__dict__, "bystander": None})))
    assert all(np.array_equal(a.draw(i), b.draw(i)) for i in (0, 5, 12))


def test_walker_crosses_the_picture_behind() -> None:
    p = plan(ClipSpec("bicep_curls", reps=6, view="front", seed=8, bystander="walk_behind", **SMALL))
    walker = p.others[0]
    u = _hips_uv(p, walker.poses)[:, 0]
    w = p.spec.width
    start = int(walker.start_s * p.spec.fps)
    assert u[0] < 0 or u[0] > w                       # off screen before it enters
    inside = (u > 0) & (u < w)
    assert inside.any() and not inside[:start].any()  # walks in only after its start
    assert np.all(np.diff(u[start:]) * np.sign(u[-1] - u[start]) >= -1e-6)   # one way across
    # behind the exerciser: further from the camera all along
    cam = p.camera
    d_ex = cam.to_cam(np.stack([q.extra["pelvis"] for q in p.poses]))[:, 2]
    d_by = cam.to_cam(np.stack([q.extra["pelvis"] for q in walker.poses]))[:, 2]
    assert np.all(d_by > d_ex + 0.9)


def test_stander_faces_the_camera_and_is_in_the_picture() -> None:
    p = plan(ClipSpec("lateral_shoulder_raises", reps=2, view="side", seed=9, bystander="stand_behind", **SMALL))
    q = p.others[0].poses[10]
    nose = q.landmarks[LM.NOSE] - 0.5 * (q.landmarks[LM.LEFT_EAR] + q.landmarks[LM.RIGHT_EAR])
    towards_camera = -p.camera.rotation[2]
    assert nose @ towards_camera > 0.8 * np.linalg.norm(nose)
    u = _hips_uv(p, p.others[0].poses)
    assert np.all((u[:, 0] > 0) & (u[:, 0] < p.spec.width))


def test_nearer_person_is_drawn_over_the_farther() -> None:
    """Where the walker in front crosses the exerciser, the exerciser's pixels are hidden."""
    spec = dict(exercise="squats", reps=3, view="front", seed=12, **SMALL)
    alone = FrameDrawer(plan(ClipSpec(**spec)))
    p = plan(ClipSpec(**spec, bystander="walk_in_front"))
    both = FrameDrawer(p)
    ex_u = _hips_uv(p, p.poses)[:, 0]
    by_u = _hips_uv(p, p.others[0].poses)[:, 0]
    i = int(np.argmin(np.abs(ex_u - by_u)))          # the walker right in front of the exerciser
    a, b = alone.draw(i).astype(int), both.draw(i).astype(int)
    x, y = np.round(p.truth.joints_2d[i, LM.LEFT_HIP]).astype(int)
    assert np.abs(a[y, x] - b[y, x]).sum() > 30       # the exerciser's hip is covered


def test_unknown_bystander_is_one_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown bystander 'dog'; choose from walk_behind"):
        validate(ClipSpec("squats", bystander="dog"))
