"""Small wording helpers shared by the command line and the live log."""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    """``1 set``, ``2 sets``, ``0 sets``: counts read as English, not as "1 sets"."""
    return f"{n} {word}{'' if n == 1 else 's'}"
