"""Where the MediaPipe pose model (.task) comes from, and checking that it is intact.

Resolution order: an explicit path (``--pose-model``), ``$DEEPFIT_POSE_MODEL``, the user
cache, a mirror (``$DEEPFIT_MODEL_MIRROR``: a directory or base URL), then the official
pinned URL (also when the mirror fails, unless ``$DEEPFIT_OFFLINE`` is set: a stale
mirror should not strand a user who is online). Anything fetched goes to a temporary file, is checked by size and sha256 and
only then renamed into the cache, so a truncated or tampered file is never used.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from deepfit_coach.errors import ModelError
from deepfit_coach.paths import cache_dir

_BASE = "https://storage.googleapis.com/mediapipe-models/pose_landmarker"


@dataclass(frozen=True)
class ModelVariant:
    name: str
    size: int
    sha256: str

    @property
    def filename(self) -> str:
        return f"pose_landmarker_{self.name}.task"

    @property
    def url(self) -> str:
        return f"{_BASE}/pose_landmarker_{self.name}/float16/1/{self.filename}"


VARIANTS: dict[str, ModelVariant] = {
    v.name: v for v in (
        ModelVariant("lite", 5_777_746, "59929e1d1ee95287735ddd833b19cf4ac46d29bc7afddbbf6753c459690d574a"),
        ModelVariant("full", 9_398_198, "5134a3aad27a58b93da0088d431f366da362b44e3ccfbe3462b3827a839011b1"),
        ModelVariant("heavy", 30_664_242, "64437af838a65d18e5ba7a0d39b465540069bc8aae8308de3e318aad31fcbc7b"),
    )
}
DEFAULT_VARIANT = "full"
TIMEOUT_S = 20.0


def variant(name: str) -> ModelVariant:
    if name not in VARIANTS:
        raise ModelError(f"unknown pose model variant '{name}': choose one of {', '.join(VARIANTS)}")
    return VARIANTS[name]


def models_dir() -> Path:
    path = cache_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cached_path(name: str) -> Path:
    return cache_dir(create=False) / "models" / variant(name).filename


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_file(path: Path, expected: ModelVariant) -> str | None:
    """Why ``path`` is not an intact copy of ``expected``, or None when it is."""
    size = path.stat().st_size
    if size != expected.size:
        other = next((v for v in VARIANTS.values() if v.size == size and v.name != expected.name
                      and sha256_of(path) == v.sha256), None)
        if other is not None:   # an intact model, of another size: not "incomplete"
            return f"{path} is the {other.name} pose model, not the {expected.name} one"
        what = "empty" if size == 0 else f"{size:,} bytes, expected {expected.size:,}"
        return f"{path} is not a complete {expected.name} pose model ({what})"
    if sha256_of(path) != expected.sha256:
        return f"{path} does not match the pinned sha256 of the {expected.name} pose model (corrupted or tampered)"
    return None


def _stamp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.verified")


def _stat_key(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ino}"


def check_cached(path: Path, expected: ModelVariant) -> str | None:
    """``check_file`` for the cache, remembering a pass so each start does not re-hash 9 MB.

    The stamp beside the model holds the file's size, mtime and inode when its sha256 last
    matched; any write to the model changes them and forces a full check again.
    """
    stamp = _stamp_path(path)
    try:
        if stamp.read_text() == f"{_stat_key(path)} {expected.sha256}":
            return None
    except OSError:
        pass
    problem = check_file(path, expected)
    if problem is None:
        _write_stamp(path, expected)
    return problem


def _write_stamp(path: Path, expected: ModelVariant) -> None:
    try:
        _stamp_path(path).write_text(f"{_stat_key(path)} {expected.sha256}")
    except OSError:
        pass   # a read-only cache only costs the re-hash


def check_user_model(path: Path) -> None:
    """A model the user points at: it must exist and be a .task bundle (a zip archive).

    Files named like an official variant must match its checksum; other names are
    accepted as the user's own models.
    """
    if not path.exists():
        raise ModelError(f"pose model not found: {path}")
    if path.is_dir() or path.stat().st_size == 0:
        raise ModelError(f"pose model {path} is empty or not a file; "
                         "get one with `deepfit-coach models pull full`")
    official = {v.filename: v for v in VARIANTS.values()}.get(path.name)
    if official is not None:
        problem = check_file(path, official)
        if problem:
            raise ModelError(f"{problem}; get a fresh copy with `deepfit-coach models pull {official.name}`")
    elif not zipfile.is_zipfile(path):
        raise ModelError(f"{path} is not a MediaPipe .task model bundle")


def _install(tmp: Path, expected: ModelVariant, origin: str) -> Path:
    """Check a fetched temp file and atomically move it into the cache."""
    try:
        problem = check_file(tmp, expected)
        if problem:
            raise ModelError(f"rejected the {expected.name} pose model from {origin}: {problem.split(' ', 1)[1]}")
        dest = models_dir() / expected.filename
        os.replace(tmp, dest)
        _write_stamp(dest, expected)
        return dest
    finally:
        tmp.unlink(missing_ok=True)


def _temp_file() -> Path:
    fd, name = tempfile.mkstemp(prefix=".download-", suffix=".part", dir=models_dir())
    os.close(fd)
    return Path(name)


def download(url: str, expected: ModelVariant, progress: bool = True) -> Path:
    """Fetch ``url`` into the cache, with a Rich progress bar on stderr."""
    tmp = _temp_file()
    got = 0
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as resp, open(tmp, "wb") as out:
            total = int(resp.headers.get("Content-Length") or expected.size)
            bar = _progress(progress)
            with bar:
                task = bar.add_task(f"pose model {expected.name}", total=total)
                while chunk := resp.read(1 << 16):
                    out.write(chunk)
                    got += len(chunk)
                    bar.update(task, completed=got)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        tmp.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        if got:
            raise ModelError(f"download of {url} stopped after {got:,} of {expected.size:,} bytes ({reason})") from None
        raise ModelError(f"cannot download {url} ({reason})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if got < total:   # the server closed the connection early: a cut download, not a bad file
        tmp.unlink(missing_ok=True)
        raise ModelError(f"download of {url} stopped after {got:,} of {total:,} bytes (connection closed)")
    return _install(tmp, expected, url)


def copy_from(path: Path, expected: ModelVariant) -> Path:
    """Copy a local file into the cache through the same checks as a download."""
    if not path.is_file():
        raise ModelError(f"no pose model at {path}")
    tmp = _temp_file()
    shutil.copyfile(path, tmp)
    return _install(tmp, expected, str(path))


def _progress(enabled: bool):
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    return Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                    TransferSpeedColumn(), console=Console(stderr=True), disable=not enabled, transient=True)


def fetch(name: str, origin: str | None = None, progress: bool = True) -> Path:
    """Get variant ``name`` into the cache from ``origin`` (a directory, file or URL),
    else the mirror and then the official URL."""
    v = variant(name)
    if origin:
        return _fetch_from(origin, v, progress)
    mirror = os.environ.get("DEEPFIT_MODEL_MIRROR", "").strip()
    offline = os.environ.get("DEEPFIT_OFFLINE", "").strip() not in ("", "0")
    if not mirror:
        if offline:
            raise ModelError("$DEEPFIT_OFFLINE is set and no mirror is configured")
        return download(v.url, v, progress)
    try:
        return _fetch_from(mirror, v, progress)
    except ModelError as exc:
        if offline:
            raise
        mirror_problem = exc.message
    try:
        return download(v.url, v, progress)
    except ModelError as exc:
        raise ModelError(f"{mirror_problem}; then {exc.message}") from None


def _fetch_from(origin: str, v: ModelVariant, progress: bool) -> Path:
    if "://" in origin:
        url = origin if origin.endswith(".task") else origin.rstrip("/") + "/" + v.filename
        return download(url, v, progress)
    path = Path(origin).expanduser()
    return copy_from(path / v.filename if path.is_dir() else path, v)


def resolve_pose_model(name: str = DEFAULT_VARIANT, explicit: str | Path | None = None,
                       progress: bool = True) -> Path:
    """The path of a usable pose model, fetching it into the cache if needed."""
    chosen = explicit or os.environ.get("DEEPFIT_POSE_MODEL", "").strip()
    if chosen:
        path = Path(chosen).expanduser()
        check_user_model(path)
        return path
    v = variant(name)
    cached = cached_path(name)
    if cached.exists() and check_cached(cached, v) is None:
        return cached
    try:
        return fetch(name, progress=progress)
    except ModelError as exc:
        raise ModelError(
            f"no {name} pose model available: {exc.message}. Get it with "
            f"`deepfit-coach models pull {name} --from PATH_OR_URL`, set $DEEPFIT_MODEL_MIRROR, "
            f"or pass --pose-model PATH (official download: {v.url})") from None


@dataclass(frozen=True)
class ModelIdentity:
    """Which pose model made a set of poses (pose caches record it, so one model's poses never stand in
    for another's): ``name``, a variant's or else the file's, and the file's sha256."""

    name: str
    sha256: str

    @property
    def is_variant(self) -> bool:
        v = VARIANTS.get(self.name)
        return v is not None and v.sha256 == self.sha256


def identify(path: Path) -> ModelIdentity:
    """The identity of the model file ``path``: an official variant where its checksum is one's."""
    sha = sha256_of(path)
    for v in VARIANTS.values():
        if v.sha256 == sha:
            return ModelIdentity(v.name, sha)
    return ModelIdentity(path.name, sha)


def run_identity(name: str = DEFAULT_VARIANT, explicit: str | Path | None = None) -> ModelIdentity:
    """The model a run asking for variant ``name`` (or the file ``explicit``, or $DEEPFIT_POSE_MODEL) uses,
    without fetching it: a variant is known by its pinned checksum, a file the user points at is hashed."""
    chosen = explicit or os.environ.get("DEEPFIT_POSE_MODEL", "").strip()
    if chosen:
        path = Path(chosen).expanduser()
        check_user_model(path)
        return identify(path)
    v = variant(name)
    return ModelIdentity(v.name, v.sha256)


@dataclass
class ModelStatus:
    name: str
    path: Path
    cached: bool
    problem: str | None


def status() -> list[ModelStatus]:
    """What `models list` shows: each variant and whether an intact copy is cached."""
    out = []
    for name, v in VARIANTS.items():
        path = cached_path(name)
        problem = check_cached(path, v) if path.exists() else None
        out.append(ModelStatus(name, path, path.exists() and problem is None, problem))
    return out
