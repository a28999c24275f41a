"""Phone-style videos and the files written beside them (QA pass 5): a variable-frame-rate mkv, a
stream whose timestamps start late, an animated GIF, outputs naming the input, a full disk.
Real files through OpenCV and PyAV; only the full disk is simulated (no small disk here)."""

from __future__ import annotations

import errno
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from conftest import run_cli, write_video
from deepfit_coach.errors import UserError
from deepfit_coach.outfile import written_whole
from deepfit_coach.sources import SourceError, VideoFileSource


def _mkv(path: Path, times_s: list[float], size=(96, 64)) -> Path:
    """An H.264 mkv whose frames are shown at ``times_s`` (a phone drops its rate in the dark)."""
    import av

    rng = np.random.default_rng(len(times_s))
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.time_base = Fraction(1, 1000)
        for t in times_s:
            img = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(img, format="bgr24")
            frame.pts, frame.time_base = int(round(t * 1000)), Fraction(1, 1000)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def _read(path: Path) -> list[int]:
    with VideoFileSource(path) as src:
        return [f.timestamp_ms for f in src]


def test_a_variable_frame_rate_file_is_whole_and_a_cut_one_is_not(tmp_path: Path, capfd) -> None:
    # 30 fps, then 10 fps for 2 s, then 30 again: 4 s with far fewer frames than 4 s x its average rate
    times = [i / 30 for i in range(30)] + [1 + i / 10 for i in range(20)] + [3 + i / 30 for i in range(30)]
    whole = _mkv(tmp_path / "vfr.mkv", times)
    stamps = _read(whole)
    assert len(stamps) == len(times) and stamps[-1] == pytest.approx(times[-1] * 1000, abs=2)
    assert capfd.readouterr().err == ""          # it was "ends early: read 80 of 120 frames; may be truncated"
    late = _mkv(tmp_path / "late.mkv", [10 + t for t in times])   # timestamps from 10 s, as a cut stream keeps
    assert len(_read(late)) == len(times) and capfd.readouterr().err == ""
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    read = len(_read(cut))
    assert read < len(times)
    err = capfd.readouterr().err
    assert f"{cut} ends early: read " in err and "of 4.0 s" in err and "the file may be truncated" in err


def test_an_animated_gif_is_a_video_and_a_photo_is_not(tmp_path: Path) -> None:
    from PIL import Image

    frames = [Image.fromarray(np.full((48, 64, 3), 40 * i, dtype=np.uint8)) for i in range(6)]
    frames[0].save(tmp_path / "a.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert len(_read(tmp_path / "a.gif")) == 6    # it was "a.gif is a still image, not a video"
    frames[0].save(tmp_path / "p.png")
    with pytest.raises(SourceError, match="p.png is a still image, not a video"):
        VideoFileSource(tmp_path / "p.png")
    (tmp_path / "p.png").rename(tmp_path / "photo")        # no suffix to tell: one frame is what it holds
    with pytest.raises(SourceError, match="photo holds a single frame, not a video"):
        VideoFileSource(tmp_path / "photo")


@pytest.mark.parametrize("args,needle", [
    (["analyze", "{v}", "--annotate", "{v}"], "--annotate {v} is the file being read: it would be overwritten"),
    (["analyze", "{v}", "--poses", "{v}"], "--poses {v} is the file being read"),
    (["classify", "{v}", "--poses", "{v}"], "--poses {v} is the file being read"),
    (["pose", "{v}", "-o", "{v}"], "-o {v} is the file being read"),
    (["pose", "replay:{d}/p.jsonl", "-o", "{d}/p.jsonl"], "-o {d}/p.jsonl is the file being read"),
    (["analyze", "{v}", "--plot", "{d}/p.mp4"], "--plot {d}/p.mp4: end the name in .png, .jpg, .jpeg, .svg or .pdf"),
    (["analyze", "{v}", "--plot", "{d}/plot"], "end the name in .png"),
    (["analyze", "{v}", "--annotate", "{d}/a.webm"], "--annotate {d}/a.webm: end the name in .mp4, .mov, .mkv or .avi"),
    (["progress", "--plot", "{d}/p.mp4"], "end the name in .png"),
    (["eval", "{d}", "--confusion", "{d}/c"], "end the name in .png"),
])
def test_an_output_that_would_overwrite_the_input_or_cannot_be_written_is_refused_first(
        tmp_path: Path, capsys, args: list[str], needle: str) -> None:
    video = write_video(tmp_path / "v.mp4", frames=3)
    (tmp_path / "p.jsonl").write_text('{"deepfit_poses": 1, "source": "v.mp4", "fps": 15}\n')   # a recording
    before = video.read_bytes(), (tmp_path / "p.jsonl").read_bytes()
    code, out, err = run_cli([a.format(v=video, d=tmp_path) for a in args], capsys)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: "), err
    assert needle.format(v=video, d=tmp_path) in lines[0]
    assert (video.read_bytes(), (tmp_path / "p.jsonl").read_bytes()) == before   # the recordings are untouched


def test_a_video_given_as_a_pose_file_is_one_line(tmp_path: Path, capsys) -> None:
    video = write_video(tmp_path / "v.mp4", frames=3)
    other = write_video(tmp_path / "w.mp4", frames=3)
    code, _, err = run_cli(["analyze", str(video), "--poses", str(other)], capsys)
    assert code != 0 and err.strip() == f"error: {other}:1: not a deepfit pose file " \
                                        "(write one with `deepfit-coach pose VIDEO -o FILE`)"


def test_a_file_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "plot.png"
    target.write_bytes(b"yesterday's plot")
    with pytest.raises(UserError) as err:
        with written_whole(target, "the plot") as part:
            part.write_bytes(b"half")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert err.value.message == f"could not write the plot {target}: No space left on device"
    assert target.read_bytes() == b"yesterday's plot" and [p.name for p in tmp_path.iterdir()] == ["plot.png"]
    with written_whole(target) as part:
        part.write_bytes(b"today's")
    assert target.read_bytes() == b"today's" and [p.name for p in tmp_path.iterdir()] == ["plot.png"]


def test_the_result_is_printed_before_a_file_that_fails(tmp_path: Path, capsys, monkeypatch) -> None:
    """A full disk at --annotate (simulated: no small disk here) no longer loses the analysis: the JSON
    is printed first, then one error line; no half-written video is left."""
    import deepfit_coach.annotate as annotate

    def full_disk(video, poses, result, out, turns=0):
        Path(out).write_bytes(b"\0" * 100)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(annotate, "annotate_video", full_disk)
    video = write_video(tmp_path / "v.mp4", frames=3)
    poses = tmp_path / "v.poses.jsonl"
    from deepfit_coach.posefile import PoseWriter

    with open(poses, "w", encoding="utf-8") as f:
        w = PoseWriter(f, str(video), 15.0, source_frames=3)
        for i in range(3):
            w.write(i * 67, i, None)
    code, out, err = run_cli(["analyze", str(video), "-e", "squats", "--json", "--poses", str(poses),
                              "--no-pose-recover", "--annotate", str(tmp_path / "a.mp4")], capsys)
    assert code == 1 and json.loads(out)["total_reps"] == 0, err
    assert err.strip().splitlines()[-1] == f"error: could not write the annotated video {tmp_path / 'a.mp4'}: " \
                                          "No space left on device"
    assert not (tmp_path / "a.mp4").exists() and not list(tmp_path.glob(".*part*"))


def test_a_number_is_a_camera_and_a_file_of_that_name_is_named(tmp_path: Path, monkeypatch) -> None:
    """--source 3 with a file named 3 said "pass --source FILE", which the user had done; the default
    camera 0 must stay a camera whatever file lies in the folder."""
    from deepfit_coach.sources import open_source

    monkeypatch.chdir(tmp_path)
    write_video(tmp_path / "clip.mp4", frames=3)
    (tmp_path / "clip.mp4").rename(tmp_path / "3")
    with pytest.raises(SourceError) as err:
        open_source("3")           # no camera 3 here
    assert err.value.message.endswith("the file named 3 here is read with --source ./3")
    with open_source("./3") as src:
        assert isinstance(src, VideoFileSource) and len(list(src)) == 3
    with pytest.raises(SourceError) as err:
        open_source("4")
    assert err.value.message.endswith("to use a recording instead, pass --source FILE")


def test_analyze_json_carries_the_warnings_stderr_gave(tmp_path: Path, capsys, pose_model_path: Path) -> None:
    """A truncated file: stderr says it ends early; --json said nothing of it (a script saw '0 reps' as whole)."""
    whole = write_video(tmp_path / "whole.mp4", frames=40, size=(96, 64))
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    code, out, err = run_cli(["analyze", str(cut), "-e", "squats", "--json", "--pose-model", str(pose_model_path)],
                             capsys)
    assert code == 0
    said = json.loads(out)["warnings"]
    assert len(said) == 1 and said[0].startswith(f"{cut} ends early: read ") and f"warning: {said[0]}" in err
    code, out, _ = run_cli(["analyze", str(whole), "-e", "squats", "--json", "--pose-model", str(pose_model_path)],
                           capsys)
    assert json.loads(out)["warnings"] == []


def test_a_sound_only_file_says_it_has_no_picture(tmp_path: Path) -> None:
    import av

    path = tmp_path / "voice_memo.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=16000)
        for i in range(10):
            frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), dtype=np.float32), format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 16000, i * 1024
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    with pytest.raises(SourceError, match=r"voice_memo.mp4 holds sound only, no picture: give the video of the set"):
        VideoFileSource(path)
    (tmp_path / "notes.mp4").write_text("not a video")
    with pytest.raises(SourceError, match="not a video file or corrupt"):
        VideoFileSource(tmp_path / "notes.mp4")


def test_a_read_only_mount_is_named_as_such(tmp_path: Path, capsys) -> None:
    import subprocess

    ro = tmp_path / "card"
    ro.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(ro)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a read-only file system here")
    try:
        code, _, err = run_cli(["analyze", str(tmp_path / "v.mp4"), "--plot", str(ro / "p.png")], capsys)
        assert code == 2 and err.strip() == f"error: cannot write to folder {ro} (read-only file system)"
    finally:
        subprocess.run(["umount", str(ro)], capture_output=True)


def test_an_annotated_copy_keeps_the_originals_pace(tmp_path: Path, capsys, pose_model_path: Path) -> None:
    """A variable-frame-rate recording's annotated copy was written at its average rate: up to 1.8 s out of
    step with the original. Each frame now keeps its time; a steady-rate video stays exactly steady."""
    import cv2

    times = [i / 30 for i in range(30)] + [1 + i / 10 for i in range(20)] + [3 + i / 30 for i in range(30)]
    vfr = _mkv(tmp_path / "vfr.mkv", times)
    out = tmp_path / "annotated.mp4"
    code, _, err = run_cli(["analyze", str(vfr), "-e", "squats", "--annotate", str(out),
                            "--pose-model", str(pose_model_path)], capsys)
    assert code == 0, err
    assert _read(out) == _read(vfr)
    for name in ("steady.mp4", "steady.avi"):      # no times given: 15 fps, frame after frame (an .avi has no other)
        steady = write_video(tmp_path / name, frames=30)
        cap = cv2.VideoCapture(str(steady))
        assert cap.get(cv2.CAP_PROP_FPS) == 15.0 and cap.get(cv2.CAP_PROP_FRAME_COUNT) == 30
        cap.release()
        assert _read(steady) == [round(i * 1000 / 15) for i in range(30)]


def test_a_file_written_through_a_link_keeps_the_link_and_the_mode(tmp_path: Path) -> None:
    real = tmp_path / "plots" / "p.png"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "p.png"
    link.symlink_to(real)
    with written_whole(link) as part:
        part.write_bytes(b"new")
    assert link.is_symlink() and real.read_bytes() == b"new" and real.stat().st_mode & 0o777 == 0o640


def test_eval_says_what_it_skips_and_reads_every_truth_first(tmp_path: Path, capsys) -> None:
    """eval skipped clips without a word (exit 0), and a hand-made truth file was a traceback after the clips
    before it had been posed."""
    d = tmp_path / "clips"
    d.mkdir()
    write_video(d / "a.mp4", frames=3)
    (d / "a.truth.json").write_text('{"reps": 5}')
    write_video(d / "b.mp4", frames=3)
    (d / "orphan.truth.json").write_text("{}")
    (d / "sub").mkdir()
    write_video(d / "sub" / "c.mp4", frames=3)
    (d / "poses_rec").mkdir()          # a pose cache folder: not a folder of clips, nothing said
    code, _, err = run_cli(["eval", str(d)], capsys)
    assert code == 1
    assert err.splitlines() == [
        "warning: skipped b.mp4: no truth file beside it (the truth of b.mp4 is b.truth.json) and no row in counts.csv",
        "warning: skipped orphan.truth.json: no video of that name beside it",
        "warning: not searched: sub/ (eval reads the clips of one folder)",
        f"error: {d / 'a.truth.json'}: not a truth file eval can read (not a deepfit-synth-truth/1 file); eval reads "
        "the truth files `deepfit-coach synth` writes beside its clips"]


def test_eval_names_a_clip_it_cannot_read_and_goes_on(tmp_path: Path, capsys) -> None:
    """One corrupt video ended the whole eval run; it is skipped with its reason (here the only clip: then
    there is nothing to measure, said as such)."""
    from deepfit_coach.synth import ClipSpec, joints_only

    d = tmp_path / "clips"
    d.mkdir()
    joints_only(ClipSpec("squats", reps=2, fps=5.0, seed=1)).save(d / "broken.truth.json")
    (d / "broken.mp4").write_text("not a video")
    code, out, err = run_cli(["eval", str(d), "--no-auto"], capsys)
    assert code == 2 and err.splitlines() == [
        "warning: skipped broken.mp4: cannot read video " + str(d / "broken.mp4") + ": not a video file or corrupt "
        "(try playing it, or re-encode it as .mp4)",
        f"error: {d}: none of its 1 clip could be read"]
