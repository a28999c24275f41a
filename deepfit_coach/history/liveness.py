"""Is the process that opened a session still alive?

A session left ``running`` by a process that died (kill -9, crash, power loss) must be
shown as incomplete. We store the writer's pid, host and a token of its start time
(Linux ``/proc/<pid>/stat`` field 22) so that a recycled pid is not mistaken for it.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def host_name() -> str:
    return socket.gethostname()


def _stat_fields(pid: int) -> list[str] | None:
    """Fields 3.. of ``/proc/<pid>/stat`` (state first), or None where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may contain spaces and parentheses: split after the last ')'
    return stat.rsplit(")", 1)[-1].split()


def process_token(pid: int) -> str | None:
    """The process start time in clock ticks since boot, or None where unknown."""
    fields = _stat_fields(pid)
    return fields[19] if fields and len(fields) > 19 else None


def is_alive(pid: int | None, token: str | None) -> bool:
    """True if ``pid`` runs on this host and (when known) started at ``token``."""
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    except OSError:
        return False
    fields = _stat_fields(pid)
    if fields:
        if fields[0] in ("Z", "X", "x"):  # killed, not yet reaped by its parent: dead to us
            return False
        if token is not None and len(fields) > 19 and fields[19] != token:
            return False
    return True
