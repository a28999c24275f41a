"""Recorded poses as JSON Lines: one object per frame, so later stages can be tested and
demonstrated without the pose model (``replay:poses.jsonl``).

The first line is a header ``{"deepfit_poses": 1, "source": ..., "fps": ..., "confidence": [...]}``
(``confidence``: the pose model's detection, presence and tracking thresholds, when known;
``fallback_confidence`` and ``fallback_after_s`` when a fallback landmarker filled long losses,
see ``pose.PoseEstimator``; ``recover``: [min_flag, min_visible, after_s] when the pose recovery filled
the landmarker's losses, see ``poserecover``, with ``"recovered_marked": true`` since its poses say
``"recovered": true``; ``"scan_people": false`` when the picture was not checked for other people,
``PoseEstimator(scan_people=False)``, absent when it was; ``source_bytes``: the video file's size and
``source_frames``: the frames its container announced, when known, so a cache is not reused for
another video nor read as the whole of one it holds part of; ``model`` and ``model_sha256``: the pose
model that made them, ``model_store.ModelIdentity``, absent in files from before they were recorded); every other
line is ``{"t_ms", "frame", "size", "landmarks", "world"}`` (a ``Skeleton.to_dict``; ``"recovered": true``
on a pose the recovery found) or ``{"t_ms", "frame", "person": null}`` when nobody was found.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from deepfit_coach.errors import SourceError
from deepfit_coach.model_store import ModelIdentity
from deepfit_coach.skeleton import Skeleton

FORMAT_VERSION = 1


class PoseWriter:
    """Writes one line per frame and flushes it, so a killed run keeps what it saw."""

    def __init__(self, out: IO[str], source: str, fps: float,
                 confidence: tuple[float, float, float] | None = None,
                 fallback: tuple[float, float] | None = None, recover: tuple[float, ...] | None = None,
                 scan_people: bool = True, source_frames: int | None = None,
                 model: ModelIdentity | None = None, source_seconds: float | None = None,
                 zoom: bool = True) -> None:
        self._out = out
        header = {"deepfit_poses": FORMAT_VERSION, "source": source, "fps": fps}
        if model is not None:
            header["model"], header["model_sha256"] = model.name, model.sha256
        size = file_size(source)
        if size is not None:   # with the name, what tells this video from another (see ``analysis``)
            header["source_bytes"] = size
        if source_frames:
            header["source_frames"] = int(source_frames)
        if source_seconds:   # the video stream's own duration: a file whole by time though short of frames (VFR)
            header["source_seconds"] = round(float(source_seconds), 3)
        if confidence is not None:
            header["confidence"] = [float(c) for c in confidence]
        if fallback is not None:
            header["fallback_confidence"], header["fallback_after_s"] = float(fallback[0]), float(fallback[1])
        if recover is not None:
            header["recover"] = [float(r) for r in recover]
            header["recovered_marked"] = True
        if not scan_people:   # only when off: every cache from before the key was made with the scan on
            header["scan_people"] = False
        if not zoom:   # only when off (``PoseEstimator(zoom=False)``, benchmarks): see PoseFile.zoom
            header["zoom"] = False
        self._write(header)

    def _write(self, obj: dict) -> None:
        self._out.write(json.dumps(obj, separators=(",", ":")) + "\n")
        self._out.flush()

    def write(self, timestamp_ms: int, frame_index: int, skeleton: Skeleton | None) -> None:
        self._write(skeleton.to_dict() if skeleton is not None
                    else {"t_ms": int(timestamp_ms), "frame": int(frame_index), "person": None})


def file_size(path: str | Path) -> int | None:
    """Size in bytes of the file ``path``; None for a camera, a stream or no such file."""
    try:
        return os.stat(path).st_size if os.path.isfile(path) else None
    except (OSError, ValueError):
        return None


def _count(value: object) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


@contextlib.contextmanager
def replaced_when_done(path: str | Path) -> Iterator[IO[str]]:
    """A text file written beside ``path`` that takes its place only when the block ends without an
    error: a run that fails or is interrupted leaves no half-written pose file to be reused as whole."""
    path = Path(path)
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        out = open(part, "w", encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"cannot write pose file {path}: {exc.strerror or exc}") from None
    try:
        with out:
            yield out
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


@dataclass
class PoseRecord:
    timestamp_ms: int
    index: int
    skeleton: Skeleton | None


class PoseFile:
    """A recorded pose file: header fields plus an iterator of ``PoseRecord``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise SourceError(f"no such pose file: {path}")
        try:
            with open(self.path, encoding="utf-8") as f:
                first = f.readline(1 << 16)
            header = json.loads(first)
        except (json.JSONDecodeError, UnicodeDecodeError):   # a video or another binary file given as poses
            header = None
        except OSError as exc:
            raise SourceError(f"cannot read pose file {path}: {exc.strerror or exc}") from None
        if not isinstance(header, dict) or "deepfit_poses" not in header:
            raise SourceError(f"{path}:1: not a deepfit pose file (write one with `deepfit-coach pose VIDEO -o FILE`)")
        self.source = str(header.get("source", ""))
        self.fps = float(header.get("fps") or 30.0)
        conf = header.get("confidence")
        # None: written before the header said (or by another tool), so unknown
        self.confidence: tuple[float, ...] | None = tuple(float(c) for c in conf) if isinstance(conf, list) else None
        fb = header.get("fallback_confidence")
        # (confidence, after_s) of the fallback landmarker; None: made without one (or unknown)
        self.fallback: tuple[float, float] | None = (
            None if fb is None else (float(fb), float(header.get("fallback_after_s", 0.0))))
        rc = header.get("recover")
        # (min_flag, min_visible, after_s) of the pose recovery (poserecover); None: made without it
        self.recover: tuple[float, ...] | None = tuple(float(r) for r in rc) if isinstance(rc, list) else None
        # its recovered poses say so ("recovered": true); False: written before they did (all read as the landmarker's)
        self.recovered_marked = bool(header.get("recovered_marked", False))
        # False: made without the check for other people (--alone); absent: with it, as every older file
        self.scan_people = header.get("scan_people", True) is not False
        # False: made without the zoom on a person small in the picture (``zoom``); absent: with it. Files
        # written before stop 41 read as with it: they differ only where a person was under a third of the
        # frame's height (or not found at all) - delete such a cache to see them with the zoom
        self.zoom = header.get("zoom", True) is not False
        # the video's size and announced frame count when written; None: not recorded (older files, cameras)
        self.source_bytes: int | None = _count(header.get("source_bytes"))
        self.source_frames: int | None = _count(header.get("source_frames"))
        secs = header.get("source_seconds")
        self.source_seconds: float | None = float(secs) if isinstance(secs, (int, float)) and secs > 0 else None
        # the pose model that made them; None: not recorded (files from before the key: the default variant)
        name, sha = header.get("model"), header.get("model_sha256")
        self.model: ModelIdentity | None = (ModelIdentity(name, sha) if isinstance(name, str) and isinstance(sha, str)
                                            else None)

    def __iter__(self) -> Iterator[PoseRecord]:
        with open(self.path, encoding="utf-8") as f:
            f.readline()
            for lineno, line in enumerate(f, start=2):
                if not line.strip():
                    continue
                try:
                    d = json.loads(line)
                    skel = None if "landmarks" not in d else Skeleton.from_dict(d)
                    yield PoseRecord(int(d["t_ms"]), int(d.get("frame", lineno - 2)), skel)
                except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                    if not line.endswith("\n"):
                        return  # last line cut short by a killed writer: keep what came before
                    raise SourceError(f"{self.path}:{lineno}: malformed pose record ({exc})") from None
