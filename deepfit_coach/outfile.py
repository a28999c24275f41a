"""Files the user asked for, written whole or not at all."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from deepfit_coach.errors import UserError

try:   # PyAV's errors: most are OSError or ValueError, some (ExternalError, UnknownError ...) only FFmpegError
    from av import FFmpegError as _FFmpegError
except ImportError:  # pragma: no cover - av is a dependency
    _FFmpegError = OSError
WRITE_ERRORS = (OSError, ValueError, RuntimeError, _FFmpegError)


@contextlib.contextmanager
def written_whole(path: str | Path, what: str = "") -> Iterator[Path]:
    """A path beside ``path`` (same suffix, so the writer picks the same format) that takes its
    place only when the block ends without an error. A full disk or a codec that refuses the
    container is one line naming the file; no half-written file is left, and a file already
    there is kept (an annotated video that failed half way had replaced the previous one)."""
    path = Path(os.path.realpath(path))   # through a link to its file: the link stays a link
    part = path.with_name(f".{path.stem}.{os.getpid()}.part{path.suffix}")
    try:
        yield part
        if path.exists():
            shutil.copymode(path, part)   # the file it replaces keeps who may read it
        os.replace(part, path)
    except WRITE_ERRORS as exc:
        reason = getattr(exc, "strerror", None) or str(exc).replace(str(part), str(path))
        raise UserError(f"could not write {what + ' ' if what else ''}{path}: {reason}", exit_code=1) from None
    finally:
        with contextlib.suppress(OSError):
            part.unlink()
