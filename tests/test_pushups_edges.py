"""Getting into the plank before a push-up set and getting up after it are no reps (pushups.yaml
``set_up`` / ``put_down``): the shoulders drop and rise with the arms straight, which a camera looking
up reads as a push-up.

The clips: MediaPipe poses (pose recovery on) of rendered push-up sets side-on, the camera looking up
15 deg (evalpm15_tune seed 28507: 7 reps, then getting up) and down 20 deg (evalp20_tune seed 27508:
getting down, then 8 reps). Over the extra 'rep' the 3D elbow bent least to 141 / 142 deg, 50-68 deg
straighter than the set's own push-ups.
"""

import dataclasses

import pytest

from deepfit_coach.analysis import track_segment
from deepfit_coach.exercises.catalogue import get_exercise
from stored_poses import clip, load

DATA = load("pushups_edges_poses.npz")


@pytest.mark.parametrize("key,truth,edge", [("getting_up", 7, "last"), ("getting_down", 8, "first")])
def test_the_plank_in_and_out_is_no_push_up(key, truth, edge):
    sk, ts = clip(DATA, key)
    spec = get_exercise("pushups")
    seg = track_segment(spec, sk, ts, ts[0], ts[-1])
    assert len(seg.reps) == truth, [(r.start_s, r.end_s) for r in seg.reps]
    bare = dataclasses.replace(spec, set_up=(), put_down=())
    old = track_segment(bare, sk, ts, ts[0], ts[-1]).reps
    assert len(old) == truth + 1
    extra = old[-1] if edge == "last" else old[0]
    assert not any(r.start_s == extra.start_s for r in seg.reps)
    assert any(p.start_s == extra.start_s for p in seg.partial)   # kept, as a partial rep
