"""Frame sources' timestamps and the pose file round trip (no pose model needed)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from deepfit_coach.errors import SourceError
from deepfit_coach.posefile import PoseFile, PoseWriter
from deepfit_coach.posestream import open_pose_stream
from deepfit_coach.skeleton import Skeleton
from deepfit_coach.sources import IterableSource, VideoFileSource


def test_iterable_source_timestamps_from_fps_and_strictly_increasing() -> None:
    frames = [np.zeros((4, 4, 3), np.uint8)] * 4
    ts = [f.timestamp_ms for f in IterableSource(frames, fps=25)]
    assert ts == [0, 40, 80, 120]
    pairs = [(frames[0], 10), (frames[0], 10), (frames[0], 5), (frames[0], 50)]
    assert [f.timestamp_ms for f in IterableSource(pairs)] == [10, 11, 12, 50]


def test_video_file_source_reads_all_frames_with_file_fps(tmp_path: Path) -> None:
    import cv2

    path = tmp_path / "v.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 20, (64, 48))
    for i in range(7):
        writer.write(np.full((48, 64, 3), i * 30, np.uint8))
    writer.release()
    with VideoFileSource(path) as src:
        frames = list(src)
        assert src.fps == pytest.approx(20)
        assert src.frame_count == 7
    assert [f.index for f in frames] == list(range(7))
    assert [f.timestamp_ms for f in frames] == [0, 50, 100, 150, 200, 250, 300]
    assert abs(int(frames[3].image.mean()) - 90) <= 3


def _write_timed(path: Path, times_ms: list[int], size: tuple[int, int] = (64, 48)) -> None:
    """An H.264 file whose frames carry the given presentation times (a phone's variable rate)."""
    from fractions import Fraction

    av = pytest.importorskip("av")
    tb = Fraction(1, 1000)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.time_base = stream.codec_context.time_base = tb
        (stream.width, stream.height), stream.pix_fmt = size, "yuv420p"
        for i, t in enumerate(times_ms):
            frame = av.VideoFrame.from_ndarray(np.full((size[1], size[0], 3), 15 * i, np.uint8), format="bgr24")
            frame.pts, frame.time_base = t, tb
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def test_video_file_source_keeps_a_variable_frame_rate_files_own_times(tmp_path: Path) -> None:
    """Frames 33 ms apart, then a stretch where the phone dropped to 10 fps: index / average fps
    would put the last frame at ~420 ms instead of 900."""
    times = [0, 33, 67, 100, 200, 300, 400, 500, 600, 700, 800, 833, 867, 900]
    path = tmp_path / "vfr.mp4"
    _write_timed(path, times)
    with VideoFileSource(path) as src:
        frames = list(src)
    assert [f.index for f in frames] == list(range(len(times)))
    assert [f.timestamp_ms for f in frames] == times
    assert abs(int(frames[5].image.mean()) - 75) <= 3


def _skeleton(t: int, i: int) -> Skeleton:
    rng = np.random.default_rng(i)
    return Skeleton(timestamp_ms=t, image=rng.random((33, 5)), world=rng.random((33, 3)), width=640,
                    height=480, frame_index=i)


def test_pose_file_round_trip_and_replay_stream(tmp_path: Path) -> None:
    path = tmp_path / "poses.jsonl"
    with open(path, "w") as f:
        w = PoseWriter(f, "clip.mp4", 30.0)
        w.write(0, 0, _skeleton(0, 0))
        w.write(33, 1, None)
        w.write(67, 2, _skeleton(67, 2))
    pf = PoseFile(path)
    assert pf.fps == 30.0 and pf.source == "clip.mp4"
    recs = list(pf)
    assert [r.timestamp_ms for r in recs] == [0, 33, 67]
    assert recs[1].skeleton is None
    np.testing.assert_allclose(recs[2].skeleton.image, _skeleton(67, 2).image, atol=1e-5)
    assert recs[2].skeleton.width == 640
    with open_pose_stream(f"replay:{path}") as stream:
        got = [(p.index, p.skeleton is None) for p in stream]
    assert got == [(0, False), (1, True), (2, False)]


def test_pose_file_killed_writer_keeps_complete_lines(tmp_path: Path) -> None:
    buf = io.StringIO()
    w = PoseWriter(buf, "cam", 30.0)
    w.write(0, 0, _skeleton(0, 0))
    text = buf.getvalue()
    w.write(33, 1, _skeleton(33, 1))
    cut = buf.getvalue()[: len(text) + 100]          # last line cut mid-way, as by kill -9
    path = tmp_path / "cut.jsonl"
    path.write_text(cut)
    assert len(list(PoseFile(path))) == 1


def test_pose_file_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("hello\n")
    with pytest.raises(SourceError, match=r"bad.jsonl:1: not a deepfit pose file"):
        PoseFile(bad)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"deepfit_poses": 1, "fps": 30}\n{"t_ms": 0, "landmarks": [1,2]}\n{"t_ms": 1, "person": null}\n')
    with pytest.raises(SourceError, match=r"broken.jsonl:2: malformed"):
        list(PoseFile(broken))


def test_pose_file_header_records_the_pose_confidences(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    with open(path, "w") as f:
        PoseWriter(f, "clip.mp4", 30.0, (0.2, 0.3, 0.4)).write(0, 0, _skeleton(0, 0))
    assert PoseFile(path).confidence == (0.2, 0.3, 0.4)
    with open(path, "w") as f:
        PoseWriter(f, "clip.mp4", 30.0).write(0, 0, _skeleton(0, 0))
    assert PoseFile(path).confidence is None


def test_load_poses_refuses_a_cache_made_at_other_confidences(tmp_path: Path, clip_video: Path) -> None:
    """A cache from other pose-model thresholds must not stand in for this run's poses (nor be
    overwritten); one made at this run's thresholds, or an old one that does not say, is reused."""
    from deepfit_coach.analysis import load_poses
    from deepfit_coach.errors import UserError
    from deepfit_coach.pose import DEFAULT_CONFIDENCES

    other = tuple(c / 2 for c in DEFAULT_CONFIDENCES)
    for conf, ok in ((other, False), (DEFAULT_CONFIDENCES, True), (None, True)):
        cache = tmp_path / "clip.poses.jsonl"
        with open(cache, "w") as f:
            w = PoseWriter(f, "clip.mp4", 30.0, conf)
            w.write(0, 0, _skeleton(0, 0))
            w.write(33, 1, None)
        before = cache.read_text()
        if ok:   # (caches made without the pose recovery, which is on by default: a run without it)
            assert len(load_poses(clip_video, cache=cache, recover=False).skeletons) == 2
        else:
            with pytest.raises(UserError, match=r"clip.poses.jsonl: poses made at pose confidence 0.25, 0.25, 0.25, "
                                                r"this run at pose confidence 0.5, 0.5, 0.5: pass another --poses path$"):
                load_poses(clip_video, cache=cache, recover=False)
        assert cache.read_text() == before


def _set_rotation(path: Path, degrees: int) -> None:
    """The display rotation a phone writes into an mp4's track header (90: turn clockwise)."""
    import struct

    data = bytearray(path.read_bytes())
    moov = data.index(b"moov") - 4
    tkhd = data.index(b"tkhd", moov) - 4
    p = tkhd + 8
    m = p + 4 + (32 if data[p] == 1 else 20) + 16
    w, h = (x / 65536 for x in struct.unpack(">II", data[m + 36:m + 44]))
    one = 0x10000
    mat = {90: (0, one, 0, -one, 0, 0, int(h * one), 0, 1 << 30),
           270: (0, -one, 0, one, 0, 0, 0, int(w * one), 1 << 30)}[degrees]
    data[m:m + 36] = struct.pack(">9i", *mat)
    path.write_bytes(bytes(data))


def test_video_file_source_turns_a_phones_portrait_file_upright(tmp_path: Path) -> None:
    """Stream 64x48 with a 90-degree tag: frames come out 48x64, the stream's top-left corner
    at the top right (turned clockwise, as players show it)."""
    from fractions import Fraction

    import cv2

    av = pytest.importorskip("av")
    marked = tmp_path / "marked.mp4"

    with av.open(str(marked), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(3):
            img = np.zeros((48, 64, 3), np.uint8)
            img[:16, :16] = 255           # a white block in the stream's top-left corner
            frame = av.VideoFrame.from_ndarray(img, format="bgr24")
            frame.pts, frame.time_base = i, Fraction(1, 30)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    _set_rotation(marked, 90)
    with VideoFileSource(marked) as src:
        frames = list(src)
        assert (src.width, src.height) == (48, 64)
    img = cv2.cvtColor(frames[0].image, cv2.COLOR_BGR2GRAY)
    assert img.shape == (64, 48)
    assert img[:16, -16:].mean() > 200 and img[:16, :16].mean() < 50
