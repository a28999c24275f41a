"""Training splits: the extra side/back pose-model clips and the decision replay used to pick settings."""

from __future__ import annotations

from collections import Counter

import numpy as np

from deepfit_coach.synth import EXERCISES_ORDER, REST_KINDS
from deepfit_coach.training.splits import Budget, split_items


def test_extra_view_clips_are_side_or_back_and_cover_every_exercise() -> None:
    items = split_items("mptrain", 0, Budget(mptrain_clips=6, mptrain_view_clips=36, mptrain_upper_clips=0, mptrain_cells=()))
    base, views = items[:6], items[6:]
    # adding view clips leaves the regular ones (and so their cached poses) as they were
    assert [i.spec for i in base] == [i.spec for i in split_items("mptrain", 0, Budget(
        mptrain_clips=6, mptrain_view_clips=0, mptrain_upper_clips=0, mptrain_cells=()))]
    assert {i.view for i in views} <= {"side", "back", "45"}
    assert Counter(i.view for i in views)["front"] == 0
    assert sum(i.view in ("side", "back") for i in views) >= 0.8 * len(views)
    names = Counter(i.spec.exercise for i in views)
    assert set(EXERCISES_ORDER) <= set(names) and any(n in REST_KINDS for n in names)
    assert len({i.spec.seed for i in items}) == len(items)


def test_replayed_decisions_equal_the_live_ones() -> None:
    """Settings are compared by replaying recorded model answers: it must be the live decision."""
    from deepfit_coach.classifier import TemporalClassifier
    from deepfit_coach.classifier.segment import decide_all
    from deepfit_coach.synth import ClipSpec, joints_only
    from deepfit_coach.training.dataset import exact_clip
    from deepfit_coach.training.evaluate import clip_skeletons
    from deepfit_coach.training.pipeline import record_parts, replay
    from deepfit_coach.training.specs import SpecItem

    spec = ClipSpec("lunges", reps=3, view="45", seed=3, fps=10, rest_before=1.5, rest_after=1.0)
    assert joints_only(spec).frame_count > 40
    clip = exact_clip(SpecItem(spec, "45"), "test_replay", cache_dir=_tmp_cache())
    parts = record_parts([clip], TemporalClassifier(window_weight=1.0))
    for kw in ({"window_weight": 0.7, "first_s": 0.0}, {"window_weight": 1.0, "min_confidence": 0.6}):
        clf = TemporalClassifier(**kw)
        live = decide_all(clip_skeletons(clip), clip.times, clf)
        again = replay(parts, [clip], clf)[0]
        assert [d.label for d in live] == [d.label for d in again]
        assert np.allclose([d.confidence for d in live], [d.confidence for d in again])


def test_a_fresh_clip_is_what_the_cache_gives_back() -> None:
    """A cold start trains on exactly the arrays a warm retrain reads from the cache."""
    from deepfit_coach.synth import ClipSpec
    from deepfit_coach.training.dataset import exact_clip
    from deepfit_coach.training.specs import SpecItem

    item, cache = SpecItem(ClipSpec("squats", reps=2, view="front", seed=5, fps=10), "front"), _tmp_cache()
    fresh, cached = exact_clip(item, "test_fresh", cache_dir=cache), exact_clip(item, "test_fresh", cache_dir=cache)
    for a, b in ((fresh.landmarks, cached.landmarks), (fresh.times, cached.times), (fresh.world, cached.world),
                 (fresh.labels, cached.labels)):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert fresh.meta == cached.meta


def _tmp_cache():
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp(prefix="deepfit-replay-"))


def test_validation_split_is_training_distribution_apart_from_the_held_out_and_training_clips() -> None:
    """The settings search's clips, grown to 240 (benchmarks/classifier_val_split.py): growing the
    split keeps the first ones (their cached poses), every clip kind is in it, and no clip shares a
    seed with the test or pose-model training clips or falls in the held-out camera bands and sizes."""
    from deepfit_coach.training.specs import DISTANCE_HOLDOUT, PITCH_HOLDOUT, TRAIN_SIZES

    val = split_items("val", 0, Budget(val_clips=240))
    assert [i.spec for i in split_items("val", 0)] == [i.spec for i in val[:Budget().val_clips]]
    others = {i.spec.seed for s in ("test", "mptrain") for i in split_items(s, 0)}
    seeds = {i.spec.seed for i in val}
    assert len(seeds) == len(val) and not seeds & others
    for i in val:
        s = i.spec
        assert not PITCH_HOLDOUT[0] <= s.pitch <= PITCH_HOLDOUT[1]
        assert not DISTANCE_HOLDOUT[0] <= s.distance <= DISTANCE_HOLDOUT[1]
        assert (s.width, s.height) in TRAIN_SIZES
    names = Counter(i.spec.exercise for i in val)
    assert set(EXERCISES_ORDER) | set(REST_KINDS) <= set(names)
    assert {"front", "45", "side", "back"} <= {i.view for i in val}


def test_head_to_waist_clips_put_the_hips_at_the_lower_edge_and_keep_the_rest_of_the_split() -> None:
    """Arm exercises filmed head to waist (issue 4): the extra training clips are standing dumbbell
    exercises and rest, with the hips near the picture's lower edge and the knees outside it;
    adding them leaves the other clips (and their caches) as they were, and every band held out."""
    from deepfit_coach.synth import EXERCISES, joints_only
    from deepfit_coach.training.dataset import truth_landmarks
    from deepfit_coach.training.specs import DISTANCE_HOLDOUT, PITCH_HOLDOUT

    small = Budget(train_clips=8, train_upper_clips=0, mptrain_clips=4, mptrain_view_clips=4, mptrain_upper_clips=0,
                   mptrain_cells=())
    grown = Budget(train_clips=8, train_upper_clips=12, mptrain_clips=4, mptrain_view_clips=4, mptrain_upper_clips=8,
                   mptrain_cells=())
    for split in ("train", "mptrain"):
        assert [i.spec for i in split_items(split, 0, small)] == [i.spec for i in split_items(split, 0, grown)][
            :len(split_items(split, 0, small))]
    upper = split_items("train", 0, grown)[8:] + split_items("mptrain", 0, grown)[8:]
    names = Counter(i.spec.exercise for i in upper)
    assert any(n in REST_KINDS for n in names)
    assert all(n in REST_KINDS or (EXERCISES[n].dumbbells and not EXERCISES[n].floor) for n in names)
    seeds = {i.spec.seed for s in ("train", "mptrain", "val", "test") for i in split_items(s, 0, grown)}
    assert len(seeds) == sum(len(split_items(s, 0, grown)) for s in ("train", "mptrain", "val", "test"))
    for item in upper:
        assert not PITCH_HOLDOUT[0] <= item.spec.pitch <= PITCH_HOLDOUT[1]
        assert not DISTANCE_HOLDOUT[0] <= item.spec.distance <= DISTANCE_HOLDOUT[1]
    for item in upper[:2]:  # a curl and a triceps clip: joints only, no pose model
        lm = truth_landmarks(joints_only(item.spec))
        hips, knees, nose = lm[:, 23:25, 1].mean(), lm[:, 25:27, 1].mean(), lm[:, 0, 1].mean()
        assert 0.75 < hips < 1.25 and knees > 1.0 and 0.0 < nose < 0.9


def test_weak_cell_clips_are_the_named_cells_and_leave_the_other_clips_alone() -> None:
    """The extra rendered clips of chosen (exercise or rest kind, yaw) cells (Budget.mptrain_cells):
    each cell gives its count of clips of that name near that yaw, from its own seeds, outside the
    held-out bands; the other training clips (and their cached poses) stay as they were."""
    from deepfit_coach.training.specs import DISTANCE_HOLDOUT, PITCH_HOLDOUT, TEST_VIEWS

    cells = (("pushups", 0.0, 3), ("tricep_extensions", 90.0, 2), ("walk_across", 180.0, 2))
    plain = Budget(mptrain_clips=4, mptrain_view_clips=4, mptrain_upper_clips=0, mptrain_cells=())
    grown = Budget(mptrain_clips=4, mptrain_view_clips=4, mptrain_upper_clips=0, mptrain_cells=cells)
    base, extra = split_items("mptrain", 0, grown)[:8], split_items("mptrain", 0, grown)[8:]
    assert [i.spec for i in base] == [i.spec for i in split_items("mptrain", 0, plain)]
    assert [(i.spec.exercise, i.view) for i in extra] == [("pushups", "front")] * 3 + [
        ("tricep_extensions", "side")] * 2 + [("walk_across", "back")] * 2
    for item, (_, yaw0, _) in zip(extra, [c for c in cells for _ in range(c[2])]):
        off = abs(((abs(item.spec.yaw) - yaw0 + 180) % 360) - 180)
        assert off < 60 and item.view in TEST_VIEWS
        assert not PITCH_HOLDOUT[0] <= item.spec.pitch <= PITCH_HOLDOUT[1]
        assert not DISTANCE_HOLDOUT[0] <= item.spec.distance <= DISTANCE_HOLDOUT[1]
    # a cell appended later leaves the earlier cells' clips as they were
    more = Budget(mptrain_clips=4, mptrain_view_clips=4, mptrain_upper_clips=0,
                  mptrain_cells=cells + (("bicep_curls", 90.0, 2),))
    assert [i.spec for i in split_items("mptrain", 0, more)][:15] == [i.spec for i in base + extra]
    seeds = {i.spec.seed for s in ("train", "mptrain", "val", "test") for i in split_items(s, 0, more)}
    assert len(seeds) == sum(len(split_items(s, 0, more)) for s in ("train", "mptrain", "val", "test"))
    # the default budget has none (the shipped models' data); every weak cell names an exercise or a rest kind
    from deepfit_coach.training.splits import SIDE_ARM_CELLS, WEAK_CELLS

    assert Budget().mptrain_cells == ()
    assert all(name in EXERCISES_ORDER or name in REST_KINDS for name, _, _ in WEAK_CELLS + SIDE_ARM_CELLS)
