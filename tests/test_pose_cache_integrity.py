"""A pose cache stands in for a video's poses only when it is that video's, whole, and made as this
run would make it: a cache of another video (or of none) is refused, an interrupted or failed run
leaves no cache behind, a video cut short says so, and a refused cache names the option that takes it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from deepfit_coach.analysis import load_poses
from deepfit_coach.errors import UserError
from deepfit_coach.pose import DEFAULT_CONFIDENCES
from deepfit_coach.posefile import PoseFile, PoseWriter
from deepfit_coach.skeleton import NUM_LANDMARKS, Skeleton
from deepfit_coach.sources import VideoFileSource
from conftest import run_cli, write_video

RECOVER = (0.9, 0.9, 0.55)   # what PoseEstimator(recover=True).recover records: the default run's cache


def _skeleton(t_ms: int) -> Skeleton:
    img = np.zeros((NUM_LANDMARKS, 5), np.float32)
    img[:, :2], img[:, 3:] = 0.5, 1.0
    return Skeleton(timestamp_ms=t_ms, image=img, world=np.zeros((NUM_LANDMARKS, 3), np.float32), width=64,
                    height=48, frame_index=0)


def _cache(path: Path, video: Path | str, frames: int = 2, **kwargs) -> Path:
    """A pose file as the default run writes it for ``video`` (its size recorded when it exists)."""
    with open(path, "w") as f:
        w = PoseWriter(f, str(video), 15.0, DEFAULT_CONFIDENCES, None, RECOVER, **kwargs)
        for i in range(frames):
            w.write(67 * i, i, _skeleton(67 * i))
    return path


def test_a_cache_of_another_video_is_refused(tmp_path: Path, capsys) -> None:
    squats = write_video(tmp_path / "squats.mp4")
    pushups = write_video(tmp_path / "pushups.mp4", frames=3)
    cache = _cache(tmp_path / "p.jsonl", pushups, frames=3)
    assert PoseFile(cache).source_bytes == pushups.stat().st_size
    before = cache.read_text()
    with pytest.raises(UserError, match=r"p.jsonl was made from pushups.mp4, not squats.mp4: delete it or pass "
                                         r"another --poses path"):
        load_poses(squats, cache=cache)
    assert len(load_poses(pushups, cache=cache).skeletons) == 3
    code, out, err = run_cli(["analyze", str(squats), "--poses", str(cache), "-e", "squats", "--json"], capsys)
    assert code == 2 and out == "" and "made from pushups.mp4" in err and len(err.strip().splitlines()) == 1
    # a video that is not there is not analysed from a cache that is
    code, _, err = run_cli(["analyze", str(tmp_path / "gone.mp4"), "--poses", str(cache), "-e", "squats"], capsys)
    assert code == 2 and "no such video file: " in err and "gone.mp4" in err and f"replay:{cache}" in err
    # another video of the same name (in another folder, or re-recorded): told apart by size
    (tmp_path / "other").mkdir()
    elsewhere = write_video(tmp_path / "other" / "pushups.mp4")
    assert elsewhere.stat().st_size != pushups.stat().st_size
    with pytest.raises(UserError, match=r"made from another pushups.mp4 \(\d+ bytes, this one \d+\)"):
        load_poses(elsewhere, cache=cache)
    assert cache.read_text() == before   # refused, never overwritten
    # the pose file as the source itself is still replayed, whatever video it came from
    assert len(load_poses(f"replay:{cache}").skeletons) == 3


def test_an_older_cache_without_the_size_is_told_apart_by_name(tmp_path: Path) -> None:
    video = write_video(tmp_path / "clip.mp4")
    old = _cache(tmp_path / "old.jsonl", "clip.mp4")   # a relative name, as older caches say it
    assert PoseFile(old).source_bytes is None
    assert len(load_poses(video, cache=old).skeletons) == 2
    with pytest.raises(UserError, match="made from clip.mp4, not other.mp4"):
        load_poses(write_video(tmp_path / "other.mp4"), cache=old)


def test_a_video_that_cannot_be_read_leaves_no_cache(tmp_path: Path, capsys) -> None:
    text = tmp_path / "text.mp4"
    text.write_text("hello\n")
    cache = tmp_path / "bad.jsonl"
    code, _, err = run_cli(["analyze", str(text), "--poses", str(cache), "-e", "squats"], capsys)
    assert code == 2 and "cannot read video" in err
    assert list(tmp_path.iterdir()) == [text]   # no empty cache to be refused next time, no temporary file


@pytest.fixture(scope="module")
def squat_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short rendered squat (about 3 s at 15 fps, small frames)."""
    from deepfit_coach.synth import ClipSpec, write_clip

    out = tmp_path_factory.mktemp("cache_integrity") / "squats.mp4"
    write_clip(ClipSpec(exercise="squats", reps=1, view="45", seed=3, fps=15, width=320, height=240,
                        rest_before=0.4, rest_after=0.2), out)
    return out


def test_an_interrupted_run_leaves_no_half_cache(squat_clip: Path, pose_model_path: Path, tmp_path: Path) -> None:
    """Ctrl-C after a few frames: nothing at the cache's path (nor a temporary file beside it), so the next
    run makes the whole cache instead of reporting the few frames as the clip."""
    cache = tmp_path / "partial.jsonl"

    def interrupt(done: int, total: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_poses(squat_clip, cache=cache, progress=interrupt)
    assert list(tmp_path.iterdir()) == []
    whole = load_poses(squat_clip, cache=cache)
    with VideoFileSource(squat_clip) as src:
        frames = src.frame_count
    assert len(whole.skeletons) == frames > 5
    assert len(cache.read_text().splitlines()) == frames + 1 and PoseFile(cache).source_frames == frames
    assert len(load_poses(squat_clip, cache=cache).skeletons) == frames   # and it is reused


def _truncated(tmp_path: Path) -> tuple[Path, int]:
    whole = write_video(tmp_path / "whole.mp4", frames=60, size=(160, 120))
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return cut, 60


def test_a_truncated_video_says_it_ends_early(tmp_path: Path, capfd) -> None:
    cut, announced = _truncated(tmp_path)
    with VideoFileSource(cut) as src:
        assert src.frame_count == announced
        read = len(list(src))
    assert 0 < read < announced
    err = capfd.readouterr().err
    # by time: the video stream's own duration against the last frame read (its time plus one frame)
    assert err.splitlines() == [f"warning: {cut} ends early: read {read / 15:.1f} of {announced / 15:.1f} s "
                                f"({read} frames); the file may be truncated"]
    # (FFmpeg's own lines about the cut - "partial file", "Invalid NAL unit size" - are not shown)
    with VideoFileSource(tmp_path / "whole.mp4") as src:
        assert len(list(src)) == announced
    assert capfd.readouterr().err == ""


def test_a_cache_of_a_truncated_video_says_so_again(tmp_path: Path, capsys) -> None:
    cut, announced = _truncated(tmp_path)
    cache = _cache(tmp_path / "cut.jsonl", cut, frames=20, source_frames=announced)
    assert len(load_poses(cut, cache=cache).skeletons) == 20
    assert capsys.readouterr().err == f"warning: {cut} ends early: read 20 of {announced} frames (1.3 of 4.0 s); " \
                                      "the file may be truncated\n"
    whole = _cache(tmp_path / "whole.jsonl", cut, frames=announced, source_frames=announced)
    load_poses(cut, cache=whole)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("made_with, reuse_with", [(["--no-pose-recover"], "add --no-pose-recover"),
                                                   (["--alone"], "add --alone"),
                                                   (["--pose-fallback", "0.2"], "add --pose-fallback 0.2")])
def test_a_pose_file_from_the_pose_command_names_the_option_that_reuses_it(
        made_with: list[str], reuse_with: str, squat_clip: Path, pose_model_path: Path, tmp_path: Path,
        capsys) -> None:
    """`pose VIDEO -o Y.jsonl` then `analyze VIDEO --poses Y.jsonl`: taken as is when made as analyze
    makes poses, else refused in words - which setting differs, which analyze option takes it - and that
    option does."""
    recorded = tmp_path / "Y.jsonl"
    code, _, err = run_cli(["pose", str(squat_clip), "-o", str(recorded), *made_with], capsys)
    assert code == 0, err
    analyze = ["analyze", str(squat_clip), "--poses", str(recorded), "-e", "squats", "--json"]
    code, out, err = run_cli(analyze, capsys)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    assert reuse_with in err and "pass another --poses path" in err and "--cache" not in err
    assert err.count("0.5, 0.5, 0.5") == 0   # the settings that are the same are not listed
    code, out, err = run_cli([*analyze, *reuse_with.split()[1:]], capsys)
    assert code == 0, err
    assert json.loads(out)["frames"] == len(recorded.read_text().splitlines()) - 1


def test_a_pose_file_made_as_analyze_makes_poses_is_reused(squat_clip: Path, pose_model_path: Path,
                                                           tmp_path: Path, capsys) -> None:
    recorded = tmp_path / "Y.jsonl"
    code, _, err = run_cli(["pose", str(squat_clip), "-o", str(recorded)], capsys)
    assert code == 0, err
    code, out, err = run_cli(["analyze", str(squat_clip), "--poses", str(recorded), "-e", "squats", "--json"],
                             capsys)
    assert code == 0, err
    assert json.loads(out)["frames"] == len(recorded.read_text().splitlines()) - 1


def test_a_pose_file_records_its_videos_frame_count(tmp_path, pose_model_path, capsys):
    """`pose -o` keeps what it saw when killed; with the video's frame count in its header, reusing
    such a partial file with `analyze --poses` says it ends early instead of passing for the whole."""
    from conftest import run_cli, write_video

    video = write_video(tmp_path / "v.mp4", frames=10)
    out = tmp_path / "v.poses.jsonl"
    code, _, err = run_cli(["pose", str(video), "-o", str(out), "--pose-model", str(pose_model_path)], capsys)
    assert code == 0, err
    lines = out.read_text().splitlines()
    assert json.loads(lines[0])["source_frames"] == 10 and len(lines) == 11
    out.write_text("\n".join(lines[:4]) + "\n")            # killed after three frames
    code, _, err = run_cli(["analyze", str(video), "-e", "squats", "--json", "--poses", str(out)], capsys)
    assert code == 0 and "ends early: read 0.2 of 0.7 s (3 frames)" in err
