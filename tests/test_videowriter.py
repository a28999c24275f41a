"""mp4 writing: H.264 when PyAV is there (plays in browsers), OpenCV's mp4v otherwise."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from deepfit_coach.videowriter import VideoWriter


def _frames(n: int, w: int, h: int) -> list[np.ndarray]:
    out = []
    for i in range(n):
        img = np.full((h, w, 3), 40, np.uint8)
        cv2.rectangle(img, (4 + 3 * i, 10), (24 + 3 * i, 30), (0, 180, 255), -1)   # a moving orange block
        out.append(img)
    return out


def _read(path: Path) -> tuple[str, float, list[np.ndarray]]:
    cap = cv2.VideoCapture(str(path))
    fourcc = int(cap.get(cv2.CAP_PROP_FOURCC)).to_bytes(4, "little").decode(errors="replace")
    fps = cap.get(cv2.CAP_PROP_FPS)
    frames = []
    while True:
        ok, img = cap.read()
        if not ok:
            break
        frames.append(img)
    cap.release()
    return fourcc, fps, frames


@pytest.mark.parametrize("size, prefer, expected", [((96, 64), True, "h264"), ((95, 63), True, "h264"),
                                                    ((96, 64), False, "mp4v"), ((95, 63), False, "mp4v")])
def test_frames_come_back_in_order_and_colour(tmp_path: Path, size, prefer: bool, expected: str) -> None:
    if expected == "h264":
        av = pytest.importorskip("av")
        if "libx264" not in av.codecs_available:
            pytest.skip("this PyAV has no libx264")
    w, h = size
    src = _frames(12, w, h)
    out = tmp_path / "clip.mp4"
    with VideoWriter(out, 15, (w, h), prefer_h264=prefer) as writer:
        for img in src:
            writer.write(img)
    assert writer.codec == expected and writer.frames == 12
    fourcc, fps, back = _read(out)
    assert fourcc.lower() in ({"h264", "avc1"} if expected == "h264" else {"mp4v", "fmp4"})
    assert fps == pytest.approx(15, abs=0.01) and len(back) == 12
    assert back[0].shape == (h - h % 2, w - w % 2, 3)      # an odd last row/column is dropped
    for a, b in zip(src, back):   # the block is where it was drawn, in its colour
        assert np.abs(a[: b.shape[0], : b.shape[1]].astype(int) - b.astype(int)).mean() < 6


def test_a_frame_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    with VideoWriter(tmp_path / "x.mp4", 10, (64, 48)) as writer:
        with pytest.raises(ValueError, match="64x48"):
            writer.write(np.zeros((40, 64, 3), np.uint8))


def test_an_unwritable_place_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="cannot write video"):
        VideoWriter(tmp_path / "no" / "such" / "dir" / "x.mp4", 10, (64, 48))


@pytest.mark.parametrize("suffix", [".avi", ".mp4"])
def test_no_unused_option_warning_for_any_container(tmp_path: Path, suffix: str, capfd, caplog) -> None:
    """``movflags`` (faststart) only goes to MP4/QuickTime: an .avi printed "Some options were not used"."""
    with VideoWriter(tmp_path / f"out{suffix}", 10.0, (96, 64)) as writer:
        for img in _frames(3, 96, 64):
            writer.write(img)
    assert "Some options were not used" not in capfd.readouterr().err + caplog.text
    assert len(_read(tmp_path / f"out{suffix}")[2]) == 3
