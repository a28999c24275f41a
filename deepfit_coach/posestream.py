"""Frames and their poses as one stream: the input of every later stage.

A ``PoseStream`` runs a frame source through the pose model, or replays a recorded
pose file (``replay:poses.jsonl``) as if it were live. Consumers (analyze, classify,
the coach) see the same ``PoseFrame`` either way.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from deepfit_coach.posefile import PoseFile
from deepfit_coach.skeleton import Skeleton
from deepfit_coach.sources import FrameSource, open_source

REPLAY_PREFIX = "replay:"


@dataclass
class PoseFrame:
    """One step of the pipeline: when, which frame, who (or None) and the image if any."""

    timestamp_ms: int
    index: int
    skeleton: Skeleton | None
    image: np.ndarray | None = None

    @property
    def t_s(self) -> float:
        return self.timestamp_ms / 1000.0


class PoseStream:
    """Iterate for ``PoseFrame``s; close (or use ``with``) to release camera and model."""

    def __init__(self, source: FrameSource | None = None, replay: PoseFile | None = None,
                 pose_model: str | Path | None = None, variant: str = "full",
                 realtime: bool = False, progress: bool = True, fallback: float | None = None,
                 recover: bool | None = None, scan_people: bool = True, turns: int = 0) -> None:
        self._source, self._replay, self._estimator = source, replay, None
        self.realtime = realtime
        self.turns = turns % 4   # quarter turns clockwise (``rotation``): a camera mounted sideways or upside down
        if replay is not None:
            self.name, self.fps, self.live, self.frame_count = replay.source or str(replay.path), replay.fps, False, None
            self.announced_s = None
        else:
            assert source is not None
            from deepfit_coach.pose import PoseEstimator, recover_setting

            try:
                self._estimator = PoseEstimator(pose_model, variant, progress=progress, fallback_confidence=fallback,
                                                recover=recover_setting(recover, fallback), scan_people=scan_people)
            except BaseException:
                source.close()
                raise
            self.name, self.fps, self.live = source.name, source.fps, source.live
            self.frame_count = source.frame_count
            self.announced_s = getattr(source, "announced_s", None)

    @property
    def recover(self) -> tuple[float, ...] | None:
        """The pose recovery's settings (``PoseEstimator.recover``), None without it (or replaying)."""
        return None if self._estimator is None else self._estimator.recover

    @property
    def model(self):
        """The pose model's ``model_store.ModelIdentity`` (None replaying: the pose file's, when it says)."""
        if self._estimator is None:
            return self._replay.model if self._replay is not None else None
        return self._estimator.model

    @property
    def scan_people(self) -> bool:
        """Whether the picture is checked for other people (``PoseEstimator.scan_people``); replaying, what
        the pose file says."""
        if self._estimator is None:
            return self._replay.scan_people if self._replay is not None else True
        return self._estimator.scan_people

    def __iter__(self) -> Iterator[PoseFrame]:
        t0 = time.monotonic()
        if self._replay is not None:
            for rec in self._replay:
                if self.realtime:
                    time.sleep(max(0.0, rec.timestamp_ms / 1000.0 - (time.monotonic() - t0)))
                yield self.turned(PoseFrame(rec.timestamp_ms, rec.index, rec.skeleton))
            return
        assert self._source is not None and self._estimator is not None
        for frame in self._source:
            if self.realtime and not self.live:
                time.sleep(max(0.0, frame.timestamp_ms / 1000.0 - (time.monotonic() - t0)))
            skel = self._estimator.process(frame.image, frame.timestamp_ms, frame.index)
            yield self.turned(PoseFrame(frame.timestamp_ms, frame.index, skel, frame.image))

    def turned(self, frame: PoseFrame) -> PoseFrame:
        """``frame`` with its pose and picture turned upright (the pose model reads the picture as stored)."""
        if not self.turns:
            return frame
        from deepfit_coach.rotation import turn_image

        return PoseFrame(frame.timestamp_ms, frame.index,
                         None if frame.skeleton is None else frame.skeleton.rotated(self.turns),
                         None if frame.image is None else turn_image(frame.image, self.turns))

    def close(self) -> None:
        if self._estimator is not None:
            self._estimator.close()
        if self._source is not None:
            self._source.close()

    def __enter__(self) -> "PoseStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_pose_stream(source: str | int | FrameSource, pose_model: str | Path | None = None,
                     variant: str = "full", realtime: bool = False, progress: bool = True,
                     fallback: float | None = None, recover: bool | None = None,
                     scan_people: bool = True, turns: int = 0) -> PoseStream:
    """``source``: camera index, video path, URL, ``replay:FILE.jsonl`` or a FrameSource.
    ``fallback``: the pose fallback's confidence (``pose.PoseEstimator``), None for none;
    ``recover``: the pose recovery (``poserecover``) on frames the landmarker misses (None: the
    default, ``pose.recover_setting``); ``scan_people``: False skips the once-a-second check for other
    people (``PoseEstimator``), for someone alone in the picture; ``turns``: quarter turns clockwise
    that make the picture upright."""
    if isinstance(source, FrameSource):
        return PoseStream(source, pose_model=pose_model, variant=variant, realtime=realtime, progress=progress,
                          fallback=fallback, recover=recover, scan_people=scan_people, turns=turns)
    text = str(source)
    if text.startswith(REPLAY_PREFIX):
        return PoseStream(replay=PoseFile(text[len(REPLAY_PREFIX):]), realtime=realtime, turns=turns)
    return PoseStream(open_source(text), pose_model=pose_model, variant=variant, realtime=realtime, progress=progress,
                      fallback=fallback, recover=recover, scan_people=scan_people, turns=turns)
