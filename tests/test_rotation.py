"""Videos stored sideways or upside down: a pose turned as its picture turns, through the real pose model."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from deepfit_coach.cli import cli
from deepfit_coach.rotation import turn_image
from deepfit_coach.skeleton import LM, Skeleton

MAIN = [int(p) for p in (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_ELBOW, LM.RIGHT_ELBOW, LM.LEFT_WRIST,
                         LM.RIGHT_WRIST, LM.LEFT_HIP, LM.RIGHT_HIP, LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_ANKLE,
                         LM.RIGHT_ANKLE)]


def _skeleton(rng) -> Skeleton:
    image = np.concatenate([rng.uniform(0.05, 0.95, (33, 2)), rng.normal(0, 0.1, (33, 1)), np.ones((33, 2))], axis=1)
    return Skeleton(0, image, rng.normal(0, 0.4, (33, 3)), 640, 480)


def test_a_quarter_turn_clockwise_moves_right_to_down():
    rng = np.random.default_rng(3)
    s = _skeleton(rng)
    t = s.rotated(1)
    assert (t.width, t.height) == (480, 640)
    # a point right of the hips ends up below them, one above them to their right
    x, y = s.image[0, :2]
    assert np.allclose(t.image[0, :2], (1 - y, x))
    assert np.allclose(t.world[0], (-s.world[0, 1], s.world[0, 0], s.world[0, 2]))
    for k in range(4):
        back = s.rotated(k).rotated(4 - k)
        assert np.allclose(back.image, s.image, atol=1e-6) and np.allclose(back.world, s.world, atol=1e-6)
    assert np.allclose(s.rotated(1).rotated(1).image, s.rotated(2).image, atol=1e-6)
    assert s.rotated(0) is s


def test_the_picture_turns_as_the_pose_does():
    rng = np.random.default_rng(4)
    s = _skeleton(rng)
    img = np.zeros((480, 640, 3), np.uint8)
    px = np.floor(s.pixels[0]).astype(int)     # the pixel the point lies in
    img[px[1], px[0]] = 255
    for k in (1, 2, 3):
        turned = turn_image(img, k)
        t = s.rotated(k)
        ys, xs = np.nonzero(turned[:, :, 0])
        assert turned.shape[:2] == (t.height, t.width)
        assert abs(xs[0] + 0.5 - t.pixels[0, 0]) <= 1.0 and abs(ys[0] + 0.5 - t.pixels[0, 1]) <= 1.0


@pytest.fixture(scope="module")
def squat_clip():
    from deepfit_coach.synth import ClipSpec, render_clip

    return render_clip(ClipSpec("squats", reps=3, view="45", seed=4711, fps=10, width=320, height=240,
                                rest_before=1.0, rest_after=0.5))


@pytest.mark.slow
def test_the_pose_model_reads_a_turned_person_as_the_upright_one_turned(squat_clip, pose_model_path):
    """Why turning the pose model's answer stands in for running it on a turned picture."""
    from deepfit_coach.pose import PoseEstimator

    def run(frames):
        with PoseEstimator(model_path=pose_model_path, progress=False, scan_people=False) as est:
            return [est.process(f, i * 100, i) for i, f in enumerate(frames)]

    upright = run(squat_clip.frames)
    for stored in (1, 2):
        turned = run([turn_image(f, stored) for f in squat_clip.frames])
        pairs = [(a, b.rotated(4 - stored)) for a, b in zip(upright, turned) if a is not None and b is not None]
        assert len(pairs) >= 0.9 * len(upright)
        px = np.median([np.abs(a.pixels[MAIN] - b.pixels[MAIN]).mean() for a, b in pairs])
        world = np.median([np.abs(a.world[MAIN] - b.world[MAIN]).mean() for a, b in pairs])
        assert px < 3.0 and world < 0.02, (stored, px, world)


@pytest.mark.slow
def test_analyze_and_start_count_a_sideways_video_with_rotate(squat_clip, pose_model_path, tmp_path):
    from deepfit_coach.videowriter import VideoWriter

    video = tmp_path / "sideways.mp4"
    with VideoWriter(video, 10.0, (240, 320)) as writer:     # stored a quarter turn anticlockwise
        for k, f in enumerate(squat_clip.frames):
            writer.write(turn_image(f, 3), k * 100)
    poses, annotated = tmp_path / "p.jsonl", tmp_path / "upright.mp4"
    res = CliRunner().invoke(cli, ["analyze", str(video), "--json", "--poses", str(poses), "--pose-model",
                                   str(pose_model_path)])
    out = json.loads(res.stdout)     # as stored: two push-ups (the person lies in the picture)
    assert out["total_reps"] < 3 and out["warnings"][-1].endswith(
        "as the video is stored, but turned 90 degrees clockwise it counts 3 squats: it may be stored sideways. "
        "Count it so with --rotate 90.")
    res = CliRunner().invoke(cli, ["analyze", str(video), "-e", "squats", "--json", "--rotate", "90", "--poses",
                                   str(poses), "--annotate", str(annotated)])
    assert json.loads(res.stdout)["total_reps"] == 3
    import cv2

    cap = cv2.VideoCapture(str(annotated))
    ok, frame = cap.read()
    cap.release()
    assert ok and frame.shape[:2] == (240, 320)             # written upright
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: Turned\nblocks:\n  - {exercise: squats, sets: 1, reps: 3}\n")
    said = tmp_path / "said.jsonl"
    res = CliRunner().invoke(cli, ["start", str(plan), "--source", f"replay:{poses}", "--rotate", "90", "--voice",
                                   f"record:{said}", "--speed", "0", "--dashboard", "log", "--no-history"])
    assert res.exit_code == 0, res.output
    assert "summary: 3 reps, 1 set" in res.output


@pytest.mark.slow
def test_eval_turns_a_hand_counted_video_as_its_row_says(squat_clip, pose_model_path, tmp_path):
    """A phone video stored sideways in a folder of hand counts counted 0 without a word: the turn that
    counts it is said, and a rotate column applies it (QA pass 8)."""
    from deepfit_coach.videowriter import VideoWriter

    d = tmp_path / "own"
    d.mkdir()
    with VideoWriter(d / "phone.mp4", 10.0, (240, 320)) as writer:
        for k, f in enumerate(squat_clip.frames):
            writer.write(turn_image(f, 3), k * 100)
    cache = tmp_path / "cache"
    args = ["eval", str(d), "--json", "--no-auto", "--cache", str(cache), "--pose-model", str(pose_model_path)]
    (d / "counts.csv").write_text("video,exercise,reps\nphone.mp4,squats,3\n")
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["sets"][0]["given"] == 0
    assert ("counts.csv:2: phone.mp4: nothing counted as stored, but turned 90 degrees clockwise it counts 3 squats: "
            "it may be stored sideways; a 'rotate' column of 90 in counts.csv turns it") in res.stderr
    (d / "counts.csv").write_text("video,exercise,reps,rotate\nphone.mp4,squats,3,90\n")
    res = CliRunner().invoke(cli, args)
    assert json.loads(res.stdout)["sets"][0]["given"] == 3 and "sideways" not in res.stderr
