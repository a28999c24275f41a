"""Ctrl-C as a request to stop, not an exception thrown wherever the program happens to be.

A KeyboardInterrupt can land anywhere: inside the pose model, while the dashboard or the
voice shuts down, while the history writes the set. Where it landed outside the frame loop's
``except`` it escaped as "aborted" with no summary, the session left unfinished and the pose
model unclosed (a traceback at exit). While a session runs, the first Ctrl-C only sets a flag
that the loop reads between frames, so every stage ends in order; a second Ctrl-C raises as
usual, for someone who really wants out at once.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType


class StopRequest:
    """Installs the handler on entry (main thread only) and puts the old one back on exit."""

    def __init__(self) -> None:
        self.requested = False
        self._old = None
        self._installed = False

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self) -> "StopRequest":
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._old)
            self._installed = False
