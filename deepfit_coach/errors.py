"""Errors meant for the user: one clear line and an exit code, never a traceback."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator


class UserError(Exception):
    """A problem the user can fix. The CLI prints ``message`` on one line and exits.

    Exit codes: 1 for invalid input files (plans, exercises), 2 for a source or
    model that cannot be opened or obtained.
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class SourceError(UserError):
    """A frame source (camera, file, stream) cannot be opened or read."""


class ModelError(UserError):
    """A model file is missing, incomplete or does not match its checksum."""


_collectors: list[list[str]] = []


def warn(message: str) -> None:
    """One ``warning: ...`` line on stderr: something the run goes on through but the user must know."""
    print(f"warning: {message}", file=sys.stderr, flush=True)
    for said in _collectors:
        said.append(message)


@contextlib.contextmanager
def collected_warnings() -> Iterator[list[str]]:
    """The warnings said inside the block, for a result that must carry them (``analyze --json``:
    a script reading only stdout must know the video ended early)."""
    said: list[str] = []
    _collectors.append(said)
    try:
        yield said
    finally:
        _collectors.remove(said)
