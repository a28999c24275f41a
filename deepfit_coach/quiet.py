"""Silence the native libraries' own logging (MediaPipe, LiteRT, absl) on stderr.

They print dozens of INFO/WARNING lines when a model loads and closes; a terminal product
must not. Python-level exceptions are unaffected: only file descriptor 2 is redirected,
and only around the calls that log.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

# OPENCV_FFMPEG_LOGLEVEL -8 (quiet): FFmpeg's own lines on a damaged video ("Invalid NAL unit size",
# "partial file") while frames are read; ``sources.VideoFileSource`` says in one line what it could read
for _name, _value in (("GLOG_minloglevel", "3"), ("TF_CPP_MIN_LOG_LEVEL", "3"), ("ABSL_MIN_LOG_LEVEL", "3"),
                      ("OPENCV_FFMPEG_LOGLEVEL", "-8")):
    os.environ.setdefault(_name, _value)


_devnull: int | None = None   # opened once: the pose model's every frame is silenced (a few microseconds)


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Point fd 2 at /dev/null for the duration (set DEEPFIT_DEBUG=1 to keep it)."""
    global _devnull
    if os.environ.get("DEEPFIT_DEBUG"):
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    if _devnull is None:
        _devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(_devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
