"""Rendered ground truth: truth agrees with the pixels, determinism, labels, faults, files."""

from __future__ import annotations

import hashlib
import json

import cv2
import numpy as np
import pytest

from deepfit_coach.features import joint_angles
from deepfit_coach.skeleton import LM
from deepfit_coach.synth import (EXERCISES_ORDER, FAULTS, ClipSpec, SetSpec, Truth, WorkoutSpec, iter_frames,
                                 joints_only, plan, render_clip, truth_path, write_clip)
from deepfit_coach.synth.clip import FrameDrawer

SMALL = dict(fps=8, width=240, height=180)
LIMBS = ((LM.LEFT_SHOULDER, LM.LEFT_ELBOW), (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW), (LM.LEFT_ELBOW, LM.LEFT_WRIST),
         (LM.RIGHT_ELBOW, LM.RIGHT_WRIST), (LM.LEFT_HIP, LM.LEFT_KNEE), (LM.RIGHT_HIP, LM.RIGHT_KNEE),
         (LM.LEFT_KNEE, LM.LEFT_ANKLE), (LM.RIGHT_KNEE, LM.RIGHT_ANKLE))


@pytest.mark.parametrize("exercise,mirror", [(e, False) for e in EXERCISES_ORDER] + [("bicep_curls", True)])
def test_projected_joints_land_on_drawn_body(exercise: str, mirror: bool) -> None:
    """Every projected joint and limb midpoint inside the frame is covered by the mannequin."""
    p = plan(ClipSpec(exercise, reps=1, view="45", seed=11, rest_before=0.0, rest_after=0.0, mirror=mirror,
                      side="left" if mirror else None, **SMALL))
    drawer = FrameDrawer(p)
    rep = p.truth.reps[0]
    checked = covered = 0
    for i in (rep.start_frame, rep.bottom_frame):
        img = drawer.draw(i)
        diff = np.abs(img.astype(int) - drawer.bg.astype(int)).sum(axis=2) > 30
        diff = cv2.dilate(diff.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        pts = p.truth.joints_2d[i]
        probes = [pts[j] for a, b in LIMBS for j in (a, b)] + [0.5 * (pts[a] + pts[b]) for a, b in LIMBS]
        for x, y in probes:
            if 0 <= x < p.spec.width and 0 <= y < p.spec.height:
                checked += 1
                covered += bool(diff[int(y), int(x)])
    assert checked >= 30
    assert covered / checked >= 0.97, f"{exercise}: only {covered}/{checked} probes on the body"


def test_nothing_drawn_far_from_the_truth() -> None:
    """The reverse check: the changed pixels hug the projected skeleton."""
    p = plan(ClipSpec("jumping_jacks", reps=1, seed=3, rest_before=0.0, rest_after=0.0, **SMALL))
    drawer = FrameDrawer(p)
    i = p.truth.reps[0].bottom_frame
    diff = np.abs(drawer.draw(i).astype(int) - drawer.bg.astype(int)).sum(axis=2) > 30
    ys, xs = np.nonzero(diff)
    pts = p.truth.joints_2d[i]
    d = np.min(np.hypot(xs[:, None] - pts[None, :, 0], ys[:, None] - pts[None, :, 1]), axis=1)
    # nothing further from a joint than a fifth of the body height (dumbbells, torso centre)
    assert np.max(d) < 0.2 * p.truth.body_height_px[i]


def _digest(spec: ClipSpec) -> tuple[str, str]:
    clip = render_clip(spec)
    h = hashlib.sha256()
    for f in clip.frames:
        h.update(f.tobytes())
    return h.hexdigest(), json.dumps(clip.truth.to_dict(), sort_keys=True)


def test_same_seed_same_video_and_truth() -> None:
    spec = ClipSpec("lunges", reps=2, seed=42, fault_prob=0.5, **SMALL)
    a = _digest(spec)
    b = _digest(ClipSpec("lunges", reps=2, seed=42, fault_prob=0.5, **SMALL))
    c = _digest(ClipSpec("lunges", reps=2, seed=43, fault_prob=0.5, **SMALL))
    assert a == b
    assert a[0] != c[0] and a[1] != c[1]


def test_labels_reps_and_sides() -> None:
    t = joints_only(ClipSpec("bicep_curls", reps=6, side="alternating", rest_before=2.0, rest_after=1.0, seed=5,
                             fps=20))
    assert len(t.reps) == 6
    assert [r.side for r in t.reps][:2] in (["left", "right"], ["right", "left"])
    assert all(a.side != b.side for a, b in zip(t.reps, t.reps[1:]))
    assert t.labels[0] == "rest" and t.labels[-1] == "rest"
    for r in t.reps:
        assert r.start_frame < r.bottom_frame < r.end_frame
        assert all(lbl == "bicep_curls" for lbl in t.labels[r.start_frame:r.end_frame + 1])
    for a, b in zip(t.reps, t.reps[1:]):
        assert a.end_frame < b.start_frame
    # the working elbow really bends at the turning point and is straight at the start
    for r in t.reps:
        key = f"{r.side}_elbow"
        ang = joint_angles(t.joints_3d)[key]
        assert ang[r.bottom_frame] < 70 < ang[r.start_frame]


def _min_angle(t: Truth, name: str) -> float:
    ang = joint_angles(t.joints_3d)[name]
    return float(np.mean([ang[r.bottom_frame] for r in t.reps]))


@pytest.mark.parametrize("exercise,fault,angle,direction", [
    ("squats", "shallow", "left_knee", +1),          # knee stays straighter
    ("pushups", "half_rep", "left_elbow", +1),
    ("pushups", "hips_sag", "left_hip", +1),          # hip angle opens past straight -> measured smaller
    ("bicep_curls", "elbow_drift", "right_shoulder", +1),
    ("lateral_shoulder_raises", "arms_too_high", "left_shoulder", +1),
    ("lateral_shoulder_raises", "bent_elbows", "left_elbow", -1),
    ("lunges", "short_range", "left_knee", +1),
    ("dumbbell_shoulder_press", "incomplete_lockout", "left_elbow", -1),
])
def test_faults_change_the_movement(exercise: str, fault: str, angle: str, direction: int) -> None:
    common = dict(reps=2, seed=9, fps=15, side="both" if exercise in ("bicep_curls",) else None)
    if exercise == "lunges":
        common["side"] = "left"
    clean = joints_only(ClipSpec(exercise, **common))
    bad = joints_only(ClipSpec(exercise, faults=(fault,), **common))
    assert all(r.faults == [fault] for r in bad.reps) and all(not r.faults for r in clean.reps)
    a_clean, a_bad = _min_angle(clean, angle), _min_angle(bad, angle)
    if fault == "hips_sag":  # sag bends the hip the other way; any clear change of the body line
        assert abs(a_bad - a_clean) > 8
    else:
        assert direction * (a_bad - a_clean) > 10, (a_clean, a_bad)


@pytest.mark.parametrize("exercise", EXERCISES_ORDER)
def test_every_fault_is_visible_at_the_turning_point(exercise: str) -> None:
    """Each fault moves some joint by >= 5 cm at the turning point (or start) of its rep."""
    clean = joints_only(ClipSpec(exercise, reps=1, seed=2, fps=15))
    for fault in FAULTS[exercise]:
        bad = joints_only(ClipSpec(exercise, reps=1, seed=2, fps=15, faults=(fault,)))
        rc, rb = clean.reps[0], bad.reps[0]
        moved = max(np.max(np.linalg.norm(bad.joints_3d[fb] - clean.joints_3d[fc], axis=1))
                    for fc, fb in ((rc.bottom_frame, rb.bottom_frame), (rc.start_frame, rb.start_frame)))
        assert moved > 0.05, f"{exercise}/{fault} barely changes the pose ({moved:.3f} m)"


@pytest.mark.parametrize("exercise,fault", [("pushups", "hips_sag"), ("dumbbell_rows", "rounded_back"),
                                           ("lateral_shoulder_raises", "bent_elbows")])
def test_start_offset_fault_stays_inside_its_own_rep(exercise: str, fault: str) -> None:
    """A fault drawn as a start-pose offset changes posture between reps: the clean rep before
    it moves exactly as in a clean set, and the faulty rep ends in the posture it started in."""
    common = dict(reps=3, seed=5, fps=15, side="both")
    clean = joints_only(ClipSpec(exercise, **common))
    bad = joints_only(ClipSpec(exercise, rep_faults={1: (fault,)}, **common))
    r0c, r0b = clean.reps[0], bad.reps[0]
    assert (r0c.start_frame, r0c.end_frame) == (r0b.start_frame, r0b.end_frame)
    span = slice(r0c.start_frame, r0c.end_frame + 1)
    assert np.abs(bad.joints_3d[span] - clean.joints_3d[span]).max() < 1e-6
    r1 = bad.reps[1]
    assert np.abs(bad.joints_3d[r1.end_frame] - bad.joints_3d[r1.start_frame]).max() < 0.03
    assert r1.end_frame < bad.reps[2].start_frame - 1  # the posture change lies between the reps


def test_range_limit_at_the_start_is_reached_by_the_previous_return() -> None:
    """An arm that never straightens (partial_extension) is one that stopped short on the way back."""
    common = dict(reps=3, seed=5, fps=15, side="both")
    clean = joints_only(ClipSpec("bicep_curls", **common))
    bad = joints_only(ClipSpec("bicep_curls", rep_faults={1: ("partial_extension",)}, **common))
    elbow = lambda t, i: joint_angles(t.joints_3d)["left_elbow"][i]  # noqa: E731
    assert elbow(bad, bad.reps[0].end_frame) < elbow(clean, clean.reps[0].end_frame) - 30
    assert abs(elbow(bad, bad.reps[1].start_frame - 1) - elbow(bad, bad.reps[0].end_frame)) < 3


def test_rep_faults_per_rep() -> None:
    t = joints_only(ClipSpec("squats", reps=3, rep_faults={1: ("knees_cave", "torso_lean")}, seed=1, fps=10))
    assert [r.faults for r in t.reps] == [[], ["knees_cave", "torso_lean"], []]


def test_workout_strings_sets_with_rests() -> None:
    spec = WorkoutSpec(sets=[SetSpec("squats", 2), SetSpec("pushups", 2), SetSpec("jumping_jacks", 3)],
                       rest_s=2.0, seed=4, fps=10)
    t = joints_only(spec)
    order = [lbl for i, lbl in enumerate(t.labels) if i == 0 or lbl != t.labels[i - 1]]
    assert order == ["rest", "squats", "rest", "pushups", "rest", "jumping_jacks", "rest"]
    assert t.counts() == {"squats": 2, "pushups": 2, "jumping_jacks": 3}
    assert len(t.reps) == 7


def test_views_and_mirror_move_the_projection() -> None:
    base = dict(reps=1, seed=8, fps=6)
    front = joints_only(ClipSpec("squats", view="front", **base))
    side = joints_only(ClipSpec("squats", view="side", **base))
    mirror = joints_only(ClipSpec("squats", view="front", mirror=True, **base))
    i = 0
    # from the front the shoulders are far apart in x; from the side nearly on top of each other
    fw = abs(front.joints_2d[i, LM.LEFT_SHOULDER, 0] - front.joints_2d[i, LM.RIGHT_SHOULDER, 0])
    sw = abs(side.joints_2d[i, LM.LEFT_SHOULDER, 0] - side.joints_2d[i, LM.RIGHT_SHOULDER, 0])
    assert fw > 3 * sw
    # facing the camera, the person's left shoulder is on the image right; mirrored, on the left
    assert front.joints_2d[i, LM.LEFT_SHOULDER, 0] > front.joints_2d[i, LM.RIGHT_SHOULDER, 0]
    assert mirror.joints_2d[i, LM.LEFT_SHOULDER, 0] < mirror.joints_2d[i, LM.RIGHT_SHOULDER, 0]


def test_write_clip_video_and_truth_file(tmp_path) -> None:
    out = tmp_path / "clip.mp4"
    truth = write_clip(ClipSpec("jumping_jacks", reps=2, seed=1, **SMALL), out)
    cap = cv2.VideoCapture(str(out))
    n = 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        assert frame.shape == (180, 240, 3)
        n += 1
    cap.release()
    assert n == truth.frame_count
    loaded = Truth.load(truth_path(out))
    assert loaded.frame_count == truth.frame_count and loaded.labels == truth.labels
    assert [r.to_dict() for r in loaded.reps] == [r.to_dict() for r in truth.reps]
    assert np.allclose(loaded.joints_2d, truth.joints_2d, atol=0.01)
    d = json.loads(truth_path(out).read_text())
    assert d["schema"] == "deepfit-synth-truth/1" and len(d["frames"]["joints_2d"][0]) == 33


def test_truth_skeleton_feeds_the_feature_code() -> None:
    t = joints_only(ClipSpec("squats", reps=1, seed=0, fps=6))
    sk = t.skeleton(0)
    assert sk.width == 640 and np.allclose(sk.pixels, t.joints_2d[0], atol=0.01)
    assert sk.visibility.min() == 1.0


def test_iter_frames_yields_images_with_truth() -> None:
    spec = ClipSpec("pushups", reps=1, seed=1, noise=4.0, **SMALL)
    frames = list(iter_frames(spec))
    assert len(frames) == joints_only(spec).frame_count
    img, tf = frames[0]
    assert img.shape == (180, 240, 3) and img.dtype == np.uint8
    assert tf.joints_2d.shape == (33, 2) and tf.label == "rest"


@pytest.mark.parametrize("bad,message", [
    (dict(exercise="burpees"), "unknown exercise"),
    (dict(exercise="squats", faults=("hips_sag",)), "unknown fault"),
    (dict(exercise="squats", view="top"), "unknown view"),
    (dict(exercise="pushups", side="left"), "cannot be done"),
])
def test_bad_specs_fail_with_one_line(bad: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan(ClipSpec(**bad))


def test_frame_source_feeds_like_a_video() -> None:
    from deepfit_coach.synth import frame_source

    spec = ClipSpec("squats", reps=1, seed=2, **SMALL)
    src = frame_source(spec)
    frames = list(src)
    assert len(frames) == src.frame_count == src.truth.frame_count
    assert [f.timestamp_ms for f in frames[:3]] == [0, 125, 250]
    assert frames[0].image.shape == (180, 240, 3)


def test_partly_out_of_frame_is_flagged_and_drawn_where_the_truth_says() -> None:
    p = plan(ClipSpec("jumping_jacks", reps=1, seed=6, fill=1.5, offset=(0.2, 0.1), rest_before=0.0,
                      rest_after=0.0, **SMALL))
    i = p.truth.reps[0].bottom_frame
    inside = p.truth.in_frame[i]
    assert 0 < inside.sum() < 33  # cropped on purpose
    drawer = FrameDrawer(p)
    diff = np.abs(drawer.draw(i).astype(int) - drawer.bg.astype(int)).sum(axis=2) > 30
    diff = cv2.dilate(diff.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    pts = p.truth.joints_2d[i]
    body = [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_ELBOW, LM.RIGHT_ELBOW, LM.LEFT_HIP, LM.RIGHT_HIP,
            LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_ANKLE, LM.RIGHT_ANKLE, LM.LEFT_WRIST, LM.RIGHT_WRIST]
    hits = [bool(diff[int(pts[j, 1]), int(pts[j, 0])]) for j in body if inside[j]]
    assert len(hits) >= 4 and all(hits)


def _every_combo() -> list[tuple[str, str | None, tuple[str, ...]]]:
    from deepfit_coach.synth import EXERCISES

    out: list[tuple[str, str | None, tuple[str, ...]]] = []
    for name, ex in EXERCISES.items():
        out += [(name, side, ()) for side in ex.sides]
        out += [(name, None, (fault,)) for fault in ex.faults]
    return out


@pytest.mark.parametrize("exercise,side,faults", _every_combo())
def test_every_side_and_fault_plans_cleanly(exercise: str, side: str | None, faults: tuple[str, ...]) -> None:
    """No combination crashes, every rep is labelled, and the body stays on the floor."""
    t = joints_only(ClipSpec(exercise, reps=3, side=side, faults=faults, seed=13, fps=8))
    assert len(t.reps) == 3 and all(r.faults == list(faults) for r in t.reps)
    assert np.isfinite(t.joints_2d).all() and np.isfinite(t.joints_3d).all()
    expected = {"left", "right"} if side == "alternating" else {side or "both"} if side else None
    if expected:
        assert {r.side for r in t.reps} == expected
    # nothing sinks through the floor or floats away: lowest scene point ~0 in every frame
    plan_ = plan(ClipSpec(exercise, reps=1, side=side, faults=faults, seed=13, fps=4))
    lows = [float(p.landmarks[:, 1].min()) for p in plan_.poses]
    assert min(lows) > -0.02 and max(lows) < 0.35


def test_occlusion_flags_follow_the_view() -> None:
    front = joints_only(ClipSpec("bicep_curls", reps=1, view="front", seed=1, fps=5, variation=0))
    side = joints_only(ClipSpec("bicep_curls", reps=1, view="side", seed=1, fps=5, variation=0))  # sees the left
    back = joints_only(ClipSpec("bicep_curls", reps=1, view="back", seed=1, fps=5, variation=0))
    assert not front.occluded[0].any()
    assert side.occluded[0, LM.RIGHT_SHOULDER] and side.occluded[0, LM.RIGHT_KNEE]
    assert not side.occluded[0, LM.LEFT_SHOULDER] and not side.occluded[0, LM.LEFT_KNEE]
    assert back.occluded[0, LM.NOSE] and not back.occluded[0, LM.LEFT_SHOULDER]
    sk = side.skeleton(0, occluded_visibility=0.3)
    assert sk.visibility[LM.RIGHT_SHOULDER] < 0.5 < sk.visibility[LM.LEFT_SHOULDER]
    assert side.skeleton(0).visibility.min() == 1.0  # default: every in-frame joint visible


def test_motion_blur_smears_moving_limbs_only() -> None:
    base = dict(reps=1, seed=3, rest_before=0.0, rest_after=0.0, **SMALL)
    sharp = plan(ClipSpec("jumping_jacks", **base))
    blurred = plan(ClipSpec("jumping_jacks", motion_blur=5, **base))
    r = sharp.truth.reps[0]
    moving = (r.start_frame + r.bottom_frame) // 2
    still = r.start_frame - 2  # inside the hold before the first rep (its shutter too)
    a, b = FrameDrawer(sharp), FrameDrawer(blurred)

    def changed(i: int) -> int:  # pixels that clearly differ (sub-pixel sway only changes edges a little)
        return int((np.abs(a.draw(i).astype(int) - b.draw(i).astype(int)).sum(axis=2) > 60).sum())

    assert changed(moving) > 100 and changed(moving) > 5 * changed(still)
    assert np.array_equal(blurred.truth.joints_2d, sharp.truth.joints_2d)


def _closer_to(px: np.ndarray, a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return float(np.linalg.norm(px - np.array(a))) < float(np.linalg.norm(px - np.array(b)))


def test_chest_hides_the_pelvis_seen_from_the_head_end() -> None:
    """Lying on the back, filmed from behind the head: the shirt shows between shoulders and
    hips (the trousers used to be painted over the chest); in a plank the trousers stay in view."""
    from deepfit_coach.synth.body import Body

    body = Body(shirt=(40, 40, 200), pants=(200, 90, 30))
    p = plan(ClipSpec("situps", reps=1, view="back", seed=5, rest_before=0.0, rest_after=0.0, body=body, **SMALL))
    drawer = FrameDrawer(p)
    i = p.truth.reps[0].start_frame
    lm = p.poses[i].landmarks
    assert lm[[LM.LEFT_HIP, LM.RIGHT_HIP], 1].mean() < 0.3  # lying down
    img = drawer.draw(i)
    pts = p.truth.joints_2d[i]
    sh = 0.5 * (pts[LM.LEFT_SHOULDER] + pts[LM.RIGHT_SHOULDER])
    hip = 0.5 * (pts[LM.LEFT_HIP] + pts[LM.RIGHT_HIP])
    x, y = np.round(sh + 0.75 * (hip - sh)).astype(int)  # (the head covers the near half)
    shirt, pants = drawer.painter.body.shirt, drawer.painter.body.pants
    assert _closer_to(img[y, x].astype(float), shirt, pants), f"{img[y, x]} is not the shirt {shirt}"

    p = plan(ClipSpec("pushups", reps=1, view="front", seed=5, rest_before=0.0, rest_after=0.0, body=body, **SMALL))
    drawer = FrameDrawer(p)
    img = drawer.draw(p.truth.reps[0].bottom_frame).astype(float)
    pants = np.array(drawer.painter.body.pants)
    assert (np.linalg.norm(img - pants, axis=2) < 40).sum() >= 100  # the trousers show behind the shoulders


def test_trousers_are_kept_apart_from_the_top() -> None:
    from deepfit_coach.synth.body import Body, _dist, with_contrast

    b = with_contrast(Body(shirt=(30, 30, 30), pants=(35, 32, 30)), [(200, 205, 210), (120, 140, 160)])
    assert _dist(b.shirt, b.pants) >= 100
    same = Body(shirt=(40, 40, 200), pants=(200, 90, 30))
    assert with_contrast(same, [(200, 205, 210), (120, 140, 160)]).pants == same.pants  # already distinct
