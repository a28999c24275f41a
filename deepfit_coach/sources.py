"""Frame sources behind one interface: webcam, video file, stream URL, in-memory frames.

Every source is an iterable of ``Frame`` with a monotonic timestamp in milliseconds
(from the file's fps for files, from the monotonic clock for live sources), usable as a
context manager. ``open_source`` turns what the user typed after ``--source`` into one.
Problems opening a source are one-line ``SourceError``s (exit code 2).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from deepfit_coach.errors import SourceError, warn
from deepfit_coach.quiet import native_stderr_silenced

DEFAULT_FPS = 30.0
# frames a video may fall short of its container's count before it is said to end early: containers
# without a frame index (webm, mkv) announce a count estimated from the duration
ENDS_EARLY_SLACK = 0.02


def ends_early(name: str, read: int, announced: int | None, fps: float, read_s: float | None = None,
               announced_s: float | None = None) -> str | None:
    """The warning for a video of which less was read than its container announced (a file cut short
    by a broken download or copy: what was read is all that can be analysed); None when whole.

    By time where the video stream's own duration is known (``announced_s``, ``read_s``: the last
    frame's time plus one frame): a phone's variable-frame-rate file holds fewer frames than its
    duration x average rate, an mkv's audio may outlast its video, a clip cut with ``-c copy``
    hides a few frames; all of them whole. Else by the frames the container announced."""
    if announced_s and read_s is not None:
        if announced_s - read_s <= max(2.0 / fps, ENDS_EARLY_SLACK * announced_s):
            return None
        return (f"{name} ends early: read {read_s:.1f} of {announced_s:.1f} s ({read} frames); "
                "the file may be truncated")
    if not announced or announced - read <= max(2, ENDS_EARLY_SLACK * announced):
        return None
    return (f"{name} ends early: read {read} of {announced} frames ({read / fps:.1f} of {announced / fps:.1f} s); "
            "the file may be truncated")


@dataclass(frozen=True)
class _Streams:
    """What a file's container says of its streams (PyAV), read once per video."""

    sound_only: bool = False       # sound (with or without a cover picture) and no picture to watch
    seconds: float | None = None   # how long the video stream itself lasts, from its start


def _streams(path: str | Path) -> _Streams:
    """An audio file, or a video exported without its picture, is ``sound_only``. ``seconds``: an
    mp4's stream duration, or the DURATION tag FFmpeg writes per stream in mkv/webm (mkvmerge:
    DURATION-eng), less the stream's start (timestamps may start at 10 s); None where the
    container does not say (OpenCV's frame count is then the fallback)."""
    try:
        import av

        with native_stderr_silenced(), av.open(str(path)) as container:
            pictures = [s for s in container.streams.video if not s.disposition & av.stream.Disposition.attached_pic]
            if not pictures:
                return _Streams(sound_only=bool(container.streams.audio))
            s = pictures[0]
            if s.duration:
                return _Streams(seconds=float(s.duration * s.time_base))
            tag = next((v for k, v in s.metadata.items() if k.upper().startswith("DURATION")), None)
            if tag:
                start = float(s.start_time * s.time_base) if s.start_time is not None else 0.0
                h, m, sec = tag.split(":")
                return _Streams(seconds=max(0.0, int(h) * 3600 + int(m) * 60 + float(sec) - start))
    except Exception:  # noqa: BLE001 - a probe for a better message and the truncation check only
        pass
    return _Streams()


@dataclass
class Frame:
    """One BGR image and when it was taken."""

    image: np.ndarray
    timestamp_ms: int
    index: int


class FrameSource:
    """Base class: iterate for frames; ``live`` sources pace themselves, files don't."""

    name: str = "source"
    fps: float = DEFAULT_FPS
    live: bool = False
    frame_count: int | None = None  # known for files, None for live sources

    def __iter__(self) -> Iterator[Frame]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the device or file."""

    def __enter__(self) -> "FrameSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class IterableSource(FrameSource):
    """Frames from memory (rendered clips in tests and demos); timestamps from ``fps``.

    Items may be images or ``(image, timestamp_ms)`` pairs.
    """

    def __init__(self, frames: Iterable, fps: float = DEFAULT_FPS, name: str = "memory",
                 frame_count: int | None = None) -> None:
        self._frames = frames
        self.fps = float(fps)
        self.name = name
        self.frame_count = frame_count if frame_count is not None else (
            len(frames) if hasattr(frames, "__len__") else None)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Frame]:
        last = -1
        for i, item in enumerate(self._frames):
            if isinstance(item, tuple):
                image, ts = item
                ts = int(ts)
            else:
                image, ts = item, int(round(i * 1000.0 / self.fps))
            ts = max(ts, last + 1)  # MediaPipe's VIDEO mode needs strictly increasing times
            last = ts
            yield Frame(image=image, timestamp_ms=ts, index=i)


def _cv2():
    import cv2  # lazy: keeps `--help` fast

    return cv2


STILL_IMAGES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff", ".gif", ".heic"}


class VideoFileSource(FrameSource):
    """A video file; timestamps are each frame's own presentation time from the file, from
    the first frame on, so analysis is repeatable and a phone's variable-frame-rate file keeps
    its real time (index / average fps drifts by seconds where the phone dropped to a lower
    rate). Where the container gives no usable time, index / fps."""

    def __init__(self, path: str | Path) -> None:
        cv2 = _cv2()
        self.path = Path(path)
        self.name = str(path)
        if not self.path.exists():
            raise SourceError(f"no such video file: {path}")
        if self.path.is_dir():
            raise SourceError(f"{path} is a directory, not a video file")
        if self.path.stat().st_size == 0:
            raise SourceError(f"{path} is empty (0 bytes): was the copy or download finished?")
        streams = _streams(self.path)
        if streams.sound_only:   # also a song with its cover picture, which OpenCV reads as one frame
            raise SourceError(f"{path} holds sound only, no picture: give the video of the set")
        with native_stderr_silenced():  # OpenCV/FFmpeg print their own warnings
            self._cap = cv2.VideoCapture(str(self.path))
            # a phone's portrait video is a landscape stream with a rotation tag: turn it upright
            # (the pose model finds no one lying on their side); OpenCV's default, said explicitly
            self._cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
            ok, first = self._cap.read() if self._cap.isOpened() else (False, None)
        if not ok or first is None:
            self._cap.release()
            raise SourceError(f"cannot read video {path}: not a video file or corrupt "
                              "(try playing it, or re-encode it as .mp4)")
        count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        if count == 1 or (count <= 1 and not self._more_than_one_frame()):
            self._cap.release()   # OpenCV opens a photo as a video of one frame: "1 frame, no reps"
            what = "is a still image" if self.path.suffix.lower() in STILL_IMAGES else "holds a single frame"
            raise SourceError(f"{path} {what}, not a video: film the set (e.g. an .mp4 from a phone)")
        self._first = first
        first_ms = self._cap.get(cv2.CAP_PROP_POS_MSEC)
        self._first_ms = float(first_ms) if first_ms is not None and np.isfinite(first_ms) else None
        fps = self._cap.get(cv2.CAP_PROP_FPS)
        self.fps = float(fps) if fps and 1.0 <= fps <= 1000.0 else DEFAULT_FPS
        self.frame_count = count if count > 0 else None
        self.announced_s = streams.seconds
        self.width, self.height = first.shape[1], first.shape[0]

    def _more_than_one_frame(self) -> bool:
        """An animated GIF or WebP is a video (OpenCV reads their frames; a WebP's count is unknown)."""
        cap = _cv2().VideoCapture(str(self.path))
        try:
            return bool(cap.read()[0] and cap.read()[0])
        finally:
            cap.release()

    def __iter__(self) -> Iterator[Frame]:
        if self._first is None:
            raise SourceError(f"video {self.name} can only be read once")
        image, i = self._first, 0
        self._first = None
        t0, last = self._first_ms, -1
        while image is not None:
            ts = self._time_ms(i, t0, last)
            last = ts
            yield Frame(image=image, timestamp_ms=ts, index=i)
            ok, image = self._cap.read()
            image = image if ok else None
            i += 1
        read_s = (last + 1000.0 / self.fps) / 1000.0 if i else 0.0
        if (short := ends_early(self.name, i, self.frame_count, self.fps, read_s, self.announced_s)) is not None:
            warn(short)

    def _time_ms(self, i: int, t0: float | None, last: int) -> int:
        """Frame ``i``'s time since the first frame: the container's presentation time (after
        ``read``, OpenCV's CAP_PROP_POS_MSEC is the frame just read), else index / fps; strictly
        increasing, as MediaPipe's VIDEO mode needs."""
        pos = self._cap.get(_cv2().CAP_PROP_POS_MSEC) if i > 0 else t0
        if t0 is None or pos is None or not np.isfinite(pos) or pos - t0 <= (last if i > 0 else -1):
            ts = int(round(i * 1000.0 / self.fps))
        else:
            ts = int(round(pos - t0))
        return max(ts, last + 1)

    def close(self) -> None:
        self._cap.release()


class LiveSource(FrameSource):
    """A camera or network stream, read on a thread that keeps only the newest frame.

    A coach must react to what is happening now: when pose estimation is slower than the
    camera, stale frames are dropped instead of queuing up (the lag OpenCV's own buffer
    would add). Timestamps come from the monotonic clock.
    """

    live = True

    def __init__(self, target: int | str, name: str, open_error: str,
                 width: int | None = None, height: int | None = None) -> None:
        cv2 = _cv2()
        self.name = name
        with native_stderr_silenced():  # OpenCV prints its own warnings for missing devices
            self._cap = cv2.VideoCapture(target)
            if width:
                self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            if height:
                self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
            ok, first = self._cap.read() if self._cap.isOpened() else (False, None)
        if not ok or first is None:
            self._cap.release()
            raise SourceError(open_error)
        fps = self._cap.get(cv2.CAP_PROP_FPS)
        self.fps = float(fps) if fps and 1.0 <= fps <= 240.0 else DEFAULT_FPS
        self._latest: np.ndarray | None = first
        self._seq = 1
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._grab, name=f"grab:{name}", daemon=True)
        self._thread.start()

    def _grab(self) -> None:
        while not self._stop.is_set():
            ok, image = self._cap.read()
            with self._cond:
                if not ok:
                    self._latest, self._seq = None, -1  # end of stream
                    self._cond.notify_all()
                    return
                self._latest, self._seq = image, self._seq + 1
                self._cond.notify_all()

    def __iter__(self) -> Iterator[Frame]:
        seen, index, last_ts = 0, 0, -1
        while not self._stop.is_set():
            with self._cond:
                self._cond.wait_for(lambda: self._seq != seen or self._stop.is_set(), timeout=5.0)
                if self._seq == -1 or self._stop.is_set():
                    return
                if self._seq == seen:
                    raise SourceError(f"{self.name} stopped sending frames")
                image, seen = self._latest, self._seq
            ts = max(int((time.monotonic() - self._t0) * 1000), last_ts + 1)
            last_ts = ts
            yield Frame(image=image, timestamp_ms=ts, index=index)
            index += 1

    def close(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=1.0)
        self._cap.release()


def camera_source(index: int, width: int | None = 640, height: int | None = 480) -> LiveSource:
    # a number is a camera (the default, 0, must stay one whatever lies in the folder); a file of that name is
    # named in the error, with how to read it instead
    recording = (f"the file named {index} here is read with --source ./{index}" if Path(str(index)).is_file()
                 else "to use a recording instead, pass --source FILE")
    return LiveSource(
        index, f"camera {index}",
        f"no camera at index {index}. List cameras with `v4l2-ctl --list-devices` (Linux) "
        f"or try another index; {recording}",
        width, height)


def stream_source(url: str) -> LiveSource:
    return LiveSource(url, url, f"cannot open stream {url}: check the address and that it is sending video")


def open_source(spec: str | int) -> FrameSource:
    """What the user passed to ``--source``: a camera index, a file path or a URL.

    ``replay:poses.jsonl`` is handled a stage later (see ``posestream``): it carries
    skeletons, not images.
    """
    text = str(spec).strip()
    if text.isdigit():
        return camera_source(int(text))
    if "://" in text:
        return stream_source(text)
    return VideoFileSource(text)
