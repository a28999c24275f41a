"""The pose recovery as a user reaches it: ``--pose-recover`` on the commands that run the pose
model, never together with ``--pose-fallback``, and caches made with and without it kept apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from deepfit_coach.posefile import PoseFile, PoseWriter
from deepfit_coach.skeleton import NUM_LANDMARKS, Skeleton
from conftest import run_cli

RECOVER = (0.9, 0.9, 0.55)   # what PoseEstimator(recover=True).recover records (min_flag, min_visible, after_s)


def _skeleton(t_ms: int) -> Skeleton:
    img = np.zeros((NUM_LANDMARKS, 5), np.float32)
    img[:, :2], img[:, 3:] = 0.5, 1.0
    return Skeleton(timestamp_ms=t_ms, image=img, world=np.zeros((NUM_LANDMARKS, 3), np.float32), width=64,
                    height=48, frame_index=0)


def _write(cache: Path, recover) -> None:
    from deepfit_coach.pose import DEFAULT_CONFIDENCES

    with open(cache, "w") as f:
        w = PoseWriter(f, "clip.mp4", 15.0, DEFAULT_CONFIDENCES, None, recover)
        w.write(0, 0, _skeleton(0))
        w.write(67, 1, None)


def test_caches_with_and_without_recovery_are_not_mixed(tmp_path: Path, clip_video: Path) -> None:
    from deepfit_coach.analysis import load_poses
    from deepfit_coach.errors import UserError

    cache = tmp_path / "clip.poses.jsonl"
    for made in (None, RECOVER):
        _write(cache, made)
        assert PoseFile(cache).recover == made
        before = cache.read_text()
        for run in (False, True):
            if (made is not None) == run:
                assert len(load_poses(clip_video, cache=cache, recover=run).skeletons) == 2
            else:
                with pytest.raises(UserError, match=r"poses made with(out)? the pose recovery, this run with(out)? the pose recovery: .*another --poses path") as exc:
                    load_poses(clip_video, cache=cache, recover=run)
                assert "with the pose recovery" in str(exc.value)
        assert cache.read_text() == before   # nothing overwritten
    _write(cache, RECOVER)   # a recovered cache never stands in for a fallback run either
    with pytest.raises(UserError, match="this run with the pose fallback at 0.2"):
        load_poses(clip_video, cache=cache, fallback=0.2)


@pytest.mark.parametrize("command", [["analyze", "clip.mp4"], ["classify", "clip.mp4"], ["pose", "clip.mp4"],
                                     ["eval", "."], ["demo", "--fast"]])
def test_fallback_and_recovery_are_one_or_the_other(command: list[str], capsys) -> None:
    code, out, err = run_cli([*command, "--pose-fallback", "0.2", "--pose-recover"], capsys)
    assert code == 2
    assert "--pose-fallback and --pose-recover" in err and "choose one" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_start_refuses_both_before_opening_the_camera(capsys) -> None:
    plan = Path(__file__).resolve().parents[1] / "workouts" / "quick_10_minute.yaml"
    code, _, err = run_cli(["start", str(plan), "--pose-fallback", "0.2", "--pose-recover"], capsys)
    assert code == 2 and "choose one" in err


def test_recover_flag_is_offered(capsys) -> None:
    for command in ("analyze", "classify", "pose", "eval", "demo", "start"):
        code, out, _ = run_cli([command, "--help"], capsys)
        assert code == 0 and "--pose-recover" in out, command


def test_recovery_is_on_by_default_and_can_be_turned_off(tmp_path: Path, clip_video: Path, capsys) -> None:
    """The default (nothing said) is the recovery, except with a pose fallback in its place: a cache
    made without it is refused by a default run (never silently reused) and taken with --no-pose-recover."""
    from deepfit_coach.analysis import load_poses
    from deepfit_coach.errors import UserError
    from deepfit_coach.pose import recover_setting

    assert recover_setting(None) and recover_setting(True) and not recover_setting(False)
    assert not recover_setting(None, 0.2) and recover_setting(True, 0.2)
    plain = tmp_path / "plain.poses.jsonl"
    _write(plain, None)
    with pytest.raises(UserError, match="this run with the pose recovery: add --no-pose-recover"):
        load_poses(clip_video, cache=plain)
    assert len(load_poses(clip_video, cache=plain, recover=False).skeletons) == 2
    made = tmp_path / "made.poses.jsonl"
    _write(made, RECOVER)
    assert len(load_poses(clip_video, cache=made).skeletons) == 2
    code, _, err = run_cli(["analyze", str(clip_video), "--poses", str(plain), "-e", "squats"], capsys)
    assert code == 2 and "add --no-pose-recover" in err and "--cache" not in err
    code, out, err = run_cli(["analyze", str(clip_video), "--poses", str(plain), "-e", "squats",
                              "--no-pose-recover", "--json"], capsys)
    assert code == 0, err
    for command in ("analyze", "classify", "pose", "eval", "demo", "start"):
        code, out, _ = run_cli([command, "--help"], capsys)
        assert code == 0 and "--no-pose-recover" in out, command
