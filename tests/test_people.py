"""Several people in the picture: the rules that keep the exerciser (``people``), and the real
pose model following the exerciser past a person standing behind them (``PoseEstimator``)."""

from __future__ import annotations

import numpy as np
import pytest

from deepfit_coach import people
from deepfit_coach.skeleton import LM

W, H = 640, 480


def person(x: float, y: float = 0.6, torso: float = 0.25) -> np.ndarray:
    """(33, 2) normalised landmarks: hips at (x, y), shoulders ``torso`` above them."""
    pts = np.tile([x, y], (33, 1)).astype(float)
    for lm in (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
        pts[lm] = (x, y - torso)
    pts[LM.LEFT_HIP] = (x - 0.02, y)
    pts[LM.RIGHT_HIP] = (x + 0.02, y)
    return pts


def test_match_keeps_the_same_person_and_refuses_a_stranger() -> None:
    me = person(0.5)
    assert people.match([person(0.9, torso=0.15), person(0.52)], me, W, H) == 1
    # someone walking past right in front: nearby but much larger, or far away: not me
    assert people.match([person(0.55, torso=0.5)], me, W, H) is None
    assert people.match([person(0.05)], me, W, H) is None
    assert people.match([], me, W, H) is None


def test_choose_prefers_the_middle_among_the_larger_people() -> None:
    assert people.choose([person(0.9), person(0.45)], W, H) == 1
    # a small person in the middle (far behind) is not chosen over a near one at the side
    assert people.choose([person(0.8, torso=0.3), person(0.5, torso=0.1)], W, H) == 0
    assert people.choose([], W, H) is None


def test_still_followed_keeps_a_central_or_chosen_person_and_drops_a_bystander() -> None:
    found = [person(0.9, torso=0.15), person(0.5)]
    assert people.still_followed(found, person(0.5), W, H)                   # the middle: the exerciser
    assert not people.still_followed(found, person(0.9, torso=0.15), W, H)   # a bystander found first
    assert people.still_followed([person(0.85)], person(0.85), W, H)         # off-centre, but the one chosen
    assert not people.still_followed(found, None, W, H)


def test_several_needs_two_distinct_people() -> None:
    assert not people.several([person(0.5)], W, H)
    assert not people.several([person(0.5), person(0.505)], W, H)     # one person read twice
    assert people.several([person(0.5), person(0.85, torso=0.15)], W, H)


def test_scan_schedule_confirms_soon_and_forgets_a_single_double_reading() -> None:
    sched = people.ScanSchedule()
    assert sched.due(0) and not sched.saw(0, False)
    assert not sched.due(999) and sched.due(1000)
    assert not sched.saw(1000, True)                  # one scan seeing two: check again soon
    assert sched.due(1000 + int(1000 * people.CONFIRM_AFTER_S)) and not sched.due(1100)
    assert not sched.saw(1200, False)                 # missed the second person: once a second again
    assert not sched.due(2100) and sched.due(2200)
    assert sched.saw(2200, True)                      # a second sighting within CONFIRM_WITHIN_S: follow several
    late = people.ScanSchedule()
    assert not late.saw(0, True) and not late.saw(int(1000 * people.CONFIRM_WITHIN_S) + 1, True)   # too far apart


def test_jumped_is_a_move_no_body_makes_in_a_frame() -> None:
    me = person(0.5)
    assert not people.jumped(person(0.53), me, W, H)                 # moving: hips a fraction of a torso
    assert not people.jumped(person(0.5, y=0.65, torso=0.22), me, W, H)   # squatting down
    assert people.jumped(person(0.3, y=0.5, torso=0.2), me, W, H)    # a torso length and more away
    # on the spot the size may change fast (a torso facing the camera foreshortens in a squat): no jump
    assert not people.jumped(person(0.5, torso=0.05), me, W, H)
    # a torso length of the larger of the two: a big person nearby is not a jump from a small one
    assert not people.jumped(person(0.6, torso=0.5), person(0.5, torso=0.1), W, H)
    assert people.jumped(person(0.9, torso=0.5), person(0.5, torso=0.1), W, H)


def test_take_jump_trusts_a_scan_that_still_sees_the_exerciser() -> None:
    me, there = person(0.5), person(0.2, torso=0.2)
    # the scan shows someone where I was: the landmarker went to someone else (or misread)
    assert not people.take_jump(there, me, [person(0.51), there], False, W, H)
    assert not people.take_jump(there, me, [person(0.51)], False, W, H)
    # it shows the person where the landmarker has them, and nobody where I was: I moved
    assert people.take_jump(there, me, [there], True, W, H)
    # it shows neither: taken unless others were about lately
    assert people.take_jump(there, me, [], False, W, H)
    assert not people.take_jump(there, me, [person(0.9, torso=0.1)], True, W, H)


def test_scan_schedule_allows_a_check_out_of_turn_and_remembers_others() -> None:
    sched = people.ScanSchedule()
    assert sched.may_check(0) and not sched.others_about(0)
    sched.saw(0, False)
    assert not sched.may_check(100) and sched.may_check(int(1000 * people.CONFIRM_AFTER_S))
    assert not sched.others_about(500)
    sched.saw(500, True)                              # someone else seen (not yet confirmed)
    assert sched.others_about(500) and sched.others_about(500 + int(1000 * people.CONFIRM_WITHIN_S))
    assert not sched.others_about(501 + int(1000 * people.CONFIRM_WITHIN_S))
    assert not sched.may_check(600)


def test_follower_drops_a_jump_while_the_scan_still_sees_the_exerciser() -> None:
    f = people.Follower()
    me, walker = person(0.5), person(0.2, torso=0.2)
    assert f.take(me, 0, W, H, scan=lambda: pytest.fail("no scan without a jump"))
    scans = []

    def scan() -> list:   # as PoseEstimator._scan: the scan records itself
        scans.append(1)
        f.scanned([person(0.51), walker], 100, W, H)
        return [person(0.51), walker]

    assert not f.take(walker, 100, W, H, scan=scan)
    assert scans == [1] and f.points is me                  # still following me
    # within CONFIRM_AFTER_S of that scan, the next jump is judged by its people, with no new scan
    assert not f.take(walker, 133, W, H, scan=lambda: pytest.fail("scanned again too soon"))
    assert f.take(person(0.51), 166, W, H, scan=lambda: [])  # back where I was: no jump, taken
    # gone for longer than LOST_S: whoever the landmarker shows is taken
    assert f.take(walker, 166 + int(1000 * people.LOST_S) + 1, W, H, scan=lambda: pytest.fail("no jump"))


def test_follower_switches_to_several_and_then_picks_the_exerciser() -> None:
    f = people.Follower()
    me, other = person(0.5), person(0.85, torso=0.15)
    f.take(me, 0, W, H, scan=lambda: [])
    assert not f.scanned([me, other], 0, W, H) and f.several_since_ms is None
    assert f.scanned([other, me], 200, W, H) and f.several_since_ms == 200
    assert f.pick([other, person(0.52)], 233, W, H) == 1     # nearest the one followed
    assert f.pick([other], 266, W, H) is None                # not among them
    assert f.pick([other, person(0.55)], 300 + int(1000 * people.LOST_S), W, H) == 1   # chosen afresh: the middle


@pytest.fixture(scope="module")
def stand_behind():
    """A side-on squat set with a person standing behind, facing the camera: the single-person
    landmarker finds them first and stays on them (benchmarks/bystander.py: 0 of 8 squats)."""
    from deepfit_coach.synth import ClipSpec, plan
    from deepfit_coach.synth.clip import FrameDrawer

    p = plan(ClipSpec("squats", reps=3, view="side", seed=45002, tempo=1.2, rest_before=2.0, rest_after=1.0,
                      bystander="stand_behind", fps=15))
    drawer = FrameDrawer(p)
    return p, [drawer.draw(i) for i in range(len(p.poses))]


def _on_exerciser(p, frames, scan: bool, model: str, first: int = 0) -> tuple[int, int | None, int]:
    """(frames on the exerciser, when the pose stage began following several people, frames on
    someone else); ``frames`` are the plan's from frame ``first`` on."""
    from deepfit_coach.pose import PoseEstimator

    on = off = 0
    with PoseEstimator(model, progress=False, scan_people=scan) as est:
        for k, img in enumerate(frames):
            i = first + k
            s = est.process(img, int(i * 1000 / p.spec.fps), i)
            if s is None:
                continue
            hx = 0.5 * (s.image[LM.LEFT_HIP, 0] + s.image[LM.RIGHT_HIP, 0]) * p.spec.width
            tx = 0.5 * (p.truth.joints_2d[i, LM.LEFT_HIP, 0] + p.truth.joints_2d[i, LM.RIGHT_HIP, 0])
            on += abs(hx - tx) < 40
            off += abs(hx - tx) >= 40
    return on, est.crowd_since_ms, off


def test_pose_stage_follows_the_exerciser_not_the_bystander(stand_behind, pose_model_path) -> None:
    p, frames = stand_behind
    alone, never, _ = _on_exerciser(p, frames, False, pose_model_path)
    scanned, since, _ = _on_exerciser(p, frames, True, pose_model_path)
    assert never is None
    assert alone < 0.1 * len(frames)                 # the old behaviour: the bystander all along
    assert since is not None and scanned > 0.6 * len(frames)


def test_a_passer_by_behind_does_not_take_the_landmarker_with_them(pose_model_path) -> None:
    """Side-on presses, someone walking past close behind (benchmarks/bystander.py's clip, frames 120-330
    at 30 fps): the single-person landmarker went with them for 34 frames (1.1 s, the set 4 of 6). Its
    jump is checked by a scan, the frames are dropped, and the scans then follow everyone."""
    from deepfit_coach.synth import ClipSpec, plan
    from deepfit_coach.synth.clip import FrameDrawer

    p = plan(ClipSpec("dumbbell_shoulder_press", reps=6, view="side", seed=45024, fault_prob=0.0, tempo=0.8,
                      rest_before=2.0, rest_after=1.5, bystander="walk_behind"))
    drawer = FrameDrawer(p)
    first = 120
    on, since, off = _on_exerciser(p, [drawer.draw(i) for i in range(first, 330)], True, pose_model_path, first)
    assert off == 0 and on > 0.9 * (330 - first)
    assert since is not None
