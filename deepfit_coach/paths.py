"""Where deepfit-coach keeps user data (history) and caches (downloaded models).

Both are relocatable with ``$DEEPFIT_HOME`` so that tests, CI and portable installs
never touch the real user directories: ``$DEEPFIT_HOME/data`` and ``$DEEPFIT_HOME/cache``.
Otherwise the platform's conventions apply (``platformdirs``).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "deepfit-coach"


def _home() -> Path | None:
    value = os.environ.get("DEEPFIT_HOME", "").strip()
    return Path(value).expanduser() if value else None


def _user_dir(kind: str, create: bool) -> Path:
    """``$DEEPFIT_HOME/<kind>``, else the platform's user ``<kind>`` directory."""
    home = _home()
    if home is not None:
        path = home / kind
    else:
        import platformdirs

        path = Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME))
    if create:
        _make_dir(path, home)
    return path


def _make_dir(path: Path, home: Path | None) -> None:
    """Create ``path``; a ``$DEEPFIT_HOME`` that is not a folder is one clear line, not a traceback."""
    from deepfit_coach.errors import UserError

    if home is not None and home.exists() and not home.is_dir():
        raise UserError(f"DEEPFIT_HOME={home} is a file, not a folder; point it at a folder (or unset it)")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create folder {path} ({exc.strerror or exc})") from None


def data_dir(create: bool = True) -> Path:
    """Directory for data the user must never lose (the history database)."""
    return _user_dir("data", create)


def cache_dir(create: bool = True) -> Path:
    """Directory for files that can be fetched again (pose models, rendered clips)."""
    return _user_dir("cache", create)


def history_db_path() -> Path:
    """The SQLite history database."""
    return data_dir() / "history.sqlite3"
