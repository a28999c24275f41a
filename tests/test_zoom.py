"""A person small in the picture: the landmarker is shown a crop around them (``zoom``), through the real pose
model on a rendered far-away set; and the window's choice on scripted landmarks."""

from __future__ import annotations

import numpy as np
import pytest

from deepfit_coach.zoom import LOST_FRAMES, SEARCH_AFTER, Window, Zoom, person_height

W, H = 640, 480


def _standing(height_px: float, cx: float = 320.0, top: float = 100.0) -> np.ndarray:
    """(33, 5) normalised landmarks of an upright person ``height_px`` tall (shoulders, hips, knees,
    ankles, elbows in their usual proportions), all seen."""
    lm = np.zeros((33, 5), np.float32)
    lm[:, 3:] = 1.0
    y = {11: 0.18, 12: 0.18, 13: 0.35, 14: 0.35, 23: 0.48, 24: 0.48, 25: 0.72, 26: 0.72, 27: 0.97, 28: 0.97}
    half = {11: 0.105, 12: 0.105, 13: 0.12, 14: 0.12}     # shoulder width 0.21 of the height, hips 0.11
    for k in range(33):
        lm[k, 1] = (top + y.get(k, 0.05) * height_px) / H
        lm[k, 0] = (cx + (1 if k % 2 else -1) * half.get(k, 0.055) * height_px) / W
    return lm


def test_the_size_is_the_longest_looking_segment():
    assert person_height(_standing(300), W, H) == pytest.approx(300, rel=0.1)
    # lying head-on (a push-up): the legs hidden, the torso seen end-on, the shoulders as wide as ever
    lm = _standing(300)
    lm[[23, 24, 25, 26, 27, 28], 3] = 0.0
    lm[[11, 12], 1] = lm[13, 1]
    assert person_height(lm, W, H) == pytest.approx(300, rel=0.15)
    lm[:, 3] = 0.0
    assert person_height(lm, W, H) is None


def test_a_small_person_is_followed_in_a_window_and_a_tall_one_is_not():
    z = Zoom()
    assert z.view(W, H) is None
    z.found(_standing(400), W, H)
    assert z.view(W, H) is None                      # tall: the whole frame
    for _ in range(30):
        z.missed()
    assert z.view(W, H) is None                      # a tall person lost (walked out): no search
    z = Zoom()
    z.found(_standing(110, cx=500, top=300), W, H)   # 23% of the frame's height, lower right
    win = z.view(W, H)
    assert win is not None and win.h == pytest.approx(2.2 * 110, rel=0.15)
    assert win.x0 <= 500 <= win.x0 + win.w and win.y0 <= 355 <= win.y0 + win.h
    assert win.w / win.h == pytest.approx(W / H, rel=0.02)
    assert win.x0 + win.w <= W and win.y0 + win.h <= H
    for _ in range(LOST_FRAMES):
        z.missed()
    assert z.window is None                           # given up: searched for again


def test_nobody_found_yet_is_searched_for_in_windows_between_whole_frames():
    z = Zoom()
    views = []
    for _ in range(SEARCH_AFTER + 12):
        views.append(z.view(W, H))
        z.missed()
    assert views[:SEARCH_AFTER] == [None] * SEARCH_AFTER     # someone walking in is found whole first
    later = views[SEARCH_AFTER:]
    assert later[1::2] == [None] * len(later[1::2])           # every other frame the whole frame
    windows = later[0::2]
    assert len({(v.x0, v.y0) for v in windows}) == 5 and all(v.h == round(0.6 * H) for v in windows)


def test_landmarks_come_back_in_the_whole_frames_coordinates():
    win = Window(100, 50, 320, 240)
    lm = np.zeros((33, 5), np.float32)
    lm[0] = (0.5, 0.25, -0.2, 0.9, 0.8)
    back = win.to_frame(lm, W, H)
    assert back[0, 0] * W == pytest.approx(100 + 0.5 * 320) and back[0, 1] * H == pytest.approx(50 + 0.25 * 240)
    assert back[0, 2] == pytest.approx(-0.2 * 320 / W) and tuple(back[0, 3:]) == pytest.approx((0.9, 0.8))


@pytest.mark.slow
def test_a_far_away_person_is_found_with_the_zoom(pose_model_path):
    """Jumping jacks filmed from across the room (a quarter of the frame's height, seed 82 as QA pass 7's
    far_jacks, which the pose model found in 0% of frames): found with the zoom, and counted."""
    from deepfit_coach.analysis import track_segment
    from deepfit_coach.exercises import get_exercise
    from deepfit_coach.pose import PoseEstimator
    from deepfit_coach.synth import ClipSpec, render_clip

    clip = render_clip(ClipSpec("jumping_jacks", reps=4, fill=0.25, view="front", seed=82, fps=10, width=480,
                                height=360, rest_before=1.0, rest_after=0.5))

    def run(zoom: bool):
        with PoseEstimator(model_path=pose_model_path, progress=False, zoom=zoom) as est:
            return [est.process(f, i * 100, i) for i, f in enumerate(clip.frames)]

    plain, zoomed = run(False), run(True)
    found = [sum(s is not None for s in run_) / len(run_) for run_ in (plain, zoomed)]
    assert found[0] < 0.3 and found[1] > 0.8, found
    # where the truth put the joints: the landmarks, back in the whole frame, lie on them
    idx = [11, 12, 23, 24, 25, 26]
    err = [np.abs(s.pixels[idx] - clip.truth.joints_2d[i][idx]).mean() for i, s in enumerate(zoomed) if s is not None]
    assert np.median(err) < 4.0
    times = [i / 10 for i in range(len(zoomed))]
    seg = track_segment(get_exercise("jumping_jacks"), zoomed, times, 0.0, times[-1])
    assert len(seg.reps) == 4


def test_a_pose_cache_says_when_it_was_made_without_the_zoom(tmp_path):
    """Only off is written (caches from before the key read as with it); one made without it is not reused."""
    import json

    from deepfit_coach.analysis import _check_cache
    from deepfit_coach.errors import UserError
    from deepfit_coach.posefile import PoseFile, PoseWriter

    for zoom in (True, False):
        path = tmp_path / f"z{zoom}.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            PoseWriter(f, "clip.mp4", 15.0, zoom=zoom)
        header = json.loads(path.read_text().splitlines()[0])
        assert ("zoom" in header) is (not zoom) and PoseFile(path).zoom is zoom
    _check_cache(PoseFile(tmp_path / "zTrue.jsonl"))
    with pytest.raises(UserError, match="made without the zoom on a person small in the picture"):
        _check_cache(PoseFile(tmp_path / "zFalse.jsonl"))
