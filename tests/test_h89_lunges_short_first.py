"""Lunges: a set may start with a short lunge (helper 89, stop 25; lunges.yaml first_rom 0.7 -> 0.45).
evalp20_tune lunges_front_1 (camera looking down 20 deg, facing it, seed 27500+ grid, 6 lunges: the first
of half depth, 3.3-6.5 s): its feet spread 0.53 hip-knee lengths, left partial under the old first_rom."""

from stored_poses import load, replay

DATA = load("h89_lunges_short_first_poses.npz")


def test_a_short_first_lunge_starts_the_set():
    tracker = replay(DATA, "lunges_front_down20", "lunges")
    starts = [r.start_s for r in tracker.rep_log]
    assert starts and starts[0] < 6.5, starts
    assert tracker.reps >= 5, starts
