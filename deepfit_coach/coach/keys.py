"""Keyboard commands while training: space pauses/resumes, n skips, q quits.

Read on a thread in cbreak mode, only when stdin is a terminal; the terminal is always
restored. Without a terminal (pipes, CI) there are no keys and nothing is touched.
"""

from __future__ import annotations

import os
import queue
import sys
import threading

KEYMAP = {" ": "pause", "p": "pause", "n": "skip", "s": "skip", "q": "quit", "\x1b": "quit"}


class KeyReader:
    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdin
        self.commands: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()
        self._old = None
        self._thread: threading.Thread | None = None

    @property
    def enabled(self) -> bool:
        try:
            return self.stream.isatty() and os.name in ("posix", "nt")
        except (AttributeError, ValueError):
            return False

    def __enter__(self) -> "KeyReader":
        if not self.enabled:
            return self
        if os.name == "nt":  # Windows consoles: msvcrt, no terminal mode to change
            self._thread = threading.Thread(target=self._run_windows, name="deepfit-keys", daemon=True)
            self._thread.start()
            return self
        import termios
        import tty

        fd = self.stream.fileno()
        self._old = termios.tcgetattr(fd)
        tty.setcbreak(fd)
        self._thread = threading.Thread(target=self._run, args=(fd,), name="deepfit-keys", daemon=True)
        self._thread.start()
        return self

    def _run(self, fd: int) -> None:
        import select

        while not self._stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                ch = os.read(fd, 1).decode(errors="ignore").lower()
                if ch in KEYMAP:
                    self.commands.put(KEYMAP[ch])

    def _run_windows(self) -> None:
        import msvcrt  # type: ignore[import-not-found]
        import time

        while not self._stop.is_set():
            if msvcrt.kbhit():
                ch = msvcrt.getwch().lower()
                if ch in KEYMAP:
                    self.commands.put(KEYMAP[ch])
            else:
                time.sleep(0.05)

    def poll(self) -> list[str]:
        out = []
        while True:
            try:
                out.append(self.commands.get_nowait())
            except queue.Empty:
                return out

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        if self._old is not None:
            import termios

            termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self._old)
            self._old = None
