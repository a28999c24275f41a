"""Writing mp4 files that open anywhere: H.264 through PyAV, else OpenCV's MPEG-4 Part 2.

OpenCV's pip build cannot encode H.264 (no x264/openh264), and its ``mp4v`` files play in
VLC or mpv but not in browsers or many phone galleries, which is where people look at an
annotated workout or a rendered clip. PyAV bundles FFmpeg with libx264; machines without it
get ``mp4v``. Both codecs need even sizes (4:2:0): an odd last row or column is dropped, as
OpenCV's own writer does.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from types import TracebackType

import numpy as np

H264_CRF = 18          # visually lossless: what the pose model sees barely changes
H264_PRESET = "veryfast"
FASTSTART_SUFFIXES = (".mp4", ".mov", ".m4v")   # MP4/QuickTime containers (movflags)


TICKS = 90_000               # per second: MPEG's clock, whole ticks for 15, 24, 25, 29.97, 30 and 60 fps
TIME_BASE = Fraction(1, TICKS)
TIMED_SUFFIXES = (".mp4", ".mov", ".m4v", ".mkv")   # containers that keep each frame's own time


class VideoWriter:
    """``write(bgr)`` frames of one size, then ``close()`` (or use as a context manager)."""

    def __init__(self, path: str | Path, fps: float, size: tuple[int, int], prefer_h264: bool = True) -> None:
        self.path = Path(path)
        self.fps = float(fps)
        self.width, self.height = size
        self.frames = 0
        self._last_pts = -1
        self.timed = self.path.suffix.lower() in TIMED_SUFFIXES
        self._av = self._cv = None
        if not self.path.parent.is_dir():
            raise OSError(f"cannot write video {self.path}: no folder {self.path.parent}")
        self._even = (self.width - self.width % 2, self.height - self.height % 2)
        if prefer_h264:
            self._open_h264()
        if self._av is None:
            self._open_mp4v()
        self.codec = "h264" if self._av is not None else "mp4v"

    def _open_h264(self) -> None:
        try:
            import av
        except ImportError:
            return
        if "libx264" not in av.codecs_available:
            return
        try:
            container = av.open(str(self.path), "w", options=self._container_options())
        except (OSError, av.FFmpegError) as exc:
            raise OSError(f"cannot write video {self.path} ({exc})") from None
        stream = container.add_stream("libx264", rate=Fraction(self.fps).limit_denominator(1001))
        if self.timed:   # frames may carry their own times (write); an AVI has one rate, no time per frame
            stream.time_base = stream.codec_context.time_base = TIME_BASE
        (stream.width, stream.height), stream.pix_fmt = self._even, "yuv420p"
        stream.options = {"crf": str(H264_CRF), "preset": H264_PRESET}
        self._av = (container, stream)

    def _container_options(self) -> dict[str, str]:
        """``faststart`` (plays while loading) for the containers that have it: FFmpeg warns
        "Some options were not used" for it in an .avi or .mkv."""
        return {"movflags": "faststart"} if self.path.suffix.lower() in FASTSTART_SUFFIXES else {}

    def _open_mp4v(self) -> None:
        import cv2

        self._cv = cv2.VideoWriter(str(self.path), cv2.VideoWriter_fourcc(*"mp4v"), self.fps,
                                   (self.width, self.height))
        if not self._cv.isOpened():
            raise OSError(f"cannot write video {self.path}")

    def write(self, bgr: np.ndarray, t_ms: int | None = None) -> None:
        """``t_ms``: when the frame is shown, from the first; a copy of a phone's variable-frame-rate
        video keeps its pace (frames spread evenly ran up to 1.8 s out of step with the original).
        Without it (and in an .avi, or with OpenCV's writer) frames follow one another at ``fps``."""
        if bgr.shape[:2] != (self.height, self.width):
            raise ValueError(f"frame is {bgr.shape[1]}x{bgr.shape[0]}, the video is {self.width}x{self.height}")
        if self._av is not None:
            import av

            container, stream = self._av
            w, h = self._even
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(bgr[:h, :w]), format="bgr24")
            if self.timed:
                t = round(self.frames * TICKS / self.fps)   # at a steady rate; a time in whole ms within 1 ms of it is it
                if t_ms is not None and abs(int(t_ms) * (TICKS // 1000) - t) > TICKS // 1000:
                    t = int(t_ms) * (TICKS // 1000)
                frame.pts, frame.time_base = max(t, self._last_pts + 1), TIME_BASE   # strictly increasing: muxers need
                self._last_pts = frame.pts
            for packet in stream.encode(frame):
                container.mux(packet)
        else:
            self._cv.write(bgr)
        self.frames += 1

    def close(self) -> None:
        if self._av is not None:
            container, stream = self._av
            self._av = None
            try:
                for packet in stream.encode():
                    container.mux(packet)
            finally:
                container.close()
        elif self._cv is not None:
            self._cv.release()
            self._cv = None

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
