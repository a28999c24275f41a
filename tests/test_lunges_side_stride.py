"""Lunges side-on are counted on the stride across the picture (MediaPipe's 3D x only: the
``stance_x`` counting variant), not on the feet's 3D distance, whose height and depth the pose
model misreads when the legs overlap: standing feet together side-on, one body of the tuning
pool (eval_tune5 lunges_side_0, seed 11007) reads its near leg folded up behind it (the ankle
0.75 m above the other, 0.2-0.5 m away in depth; the picture puts the ankle above the knee),
so the feet's distance rose and fell again after every lunge: 15 reps counted for 7."""

import stored_poses
from deepfit_coach.counting import ExerciseTracker
from deepfit_coach.exercises import get_exercise

FOLD = stored_poses.load("lunges_side_fold_poses.npz")   # eval_tune5 lunges_side_0, 1.0-14.1 s: 3 lunges


def test_side_on_lunges_of_a_body_read_with_a_leg_folded_up_count_once_each():
    """Between lunges the near leg reads folded up (standing, feet together): the old count
    (3D feet distance) took each such moment for another rep - live 5, offline 4 of 3."""
    from deepfit_coach.analysis import track_segment

    sk, t = stored_poses.clip(FOLD, "fold")
    tr = ExerciseTracker(get_exercise("lunges"))
    for s, ts in zip(sk, t):
        tr.update(s, ts)
    assert tr.reps == 3, [(r.start_s, r.end_s, r.rom_deg) for r in tr.rep_log + tr.partial_log]
    seg = track_segment(get_exercise("lunges"), sk, t, t[0], t[-1])
    assert len(seg.reps) == 3, [(r.start_s, r.end_s, r.rom_deg) for r in seg.reps]
    assert all(r.rom_deg > 1.0 for r in seg.reps)


def test_the_stride_variant_is_chosen_side_on_only():
    """The variant counts on ``stance_x`` where the shoulders read narrow in the picture
    (facing < 0.25: side-on 0.01-0.08, at 45 deg and facing 0.45-0.6); facing the camera the
    stride lies in depth and the 3D distance counts as before."""
    spec = get_exercise("lunges").counting
    assert spec.signal.name == "stance"
    assert spec.variant is not None and spec.variant.signal.name == "stance_x"
    assert spec.variant.signal.axis == "x" and spec.variant.signal.source == "world"
    assert spec.variant_if({"facing": 0.05}) and not spec.variant_if({"facing": 0.7})
