"""A clip's poses held compactly: what ``analyze`` keeps of a whole video.

A ``Skeleton`` per frame costs ~1.9 KB in Python objects (two small arrays, their headers,
the dataclass and its ints); a 1-hour video would hold ~200 MB of them before any analysis.
``PoseTrack`` keeps the same numbers in float32 blocks - 33 x (x, y, z, visibility,
presence) image values and 33 x (x, y, z) world metres, ~1.1 KB a frame with sizes, times
and indices - and hands out a ``Skeleton`` per frame on demand, whose arrays are views of
the blocks: the very values that went in, so every later stage computes the same results.
A frame's ``Skeleton.extra`` (set by the pose recovery only: ``{"recovered": True}``) is kept aside when not empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

import numpy as np

from deepfit_coach.skeleton import NUM_LANDMARKS, Skeleton

BLOCK = 1024   # frames per block (~1.1 MB): a clip holds at most one block more than it needs


@dataclass
class _Block:
    """``BLOCK`` frames' numbers; rows past what was appended are unused."""

    image: np.ndarray = field(default_factory=lambda: np.zeros((BLOCK, NUM_LANDMARKS, 5), np.float32))
    world: np.ndarray = field(default_factory=lambda: np.zeros((BLOCK, NUM_LANDMARKS, 3), np.float32))
    size: np.ndarray = field(default_factory=lambda: np.zeros((BLOCK, 2), np.int64))
    t_ms: np.ndarray = field(default_factory=lambda: np.zeros(BLOCK, np.int64))
    frame: np.ndarray = field(default_factory=lambda: np.zeros(BLOCK, np.int64))
    seen: np.ndarray = field(default_factory=lambda: np.zeros(BLOCK, bool))


class PoseTrack(Sequence):
    """``Sequence[Skeleton | None]`` of a clip's frames (None where nobody was found), grown
    by ``append``; ``track[i]`` builds frame i's Skeleton around views of the stored rows."""

    def __init__(self, skeletons: Iterable[Skeleton | None] = ()) -> None:
        self._blocks: list[_Block] = []
        self._n = 0
        self._extra: dict[int, dict] = {}
        for s in skeletons:
            self.append(s)

    def append(self, skeleton: Skeleton | None) -> None:
        b, r = divmod(self._n, BLOCK)
        if b == len(self._blocks):
            self._blocks.append(_Block())
        if skeleton is not None:
            blk = self._blocks[b]
            blk.image[r], blk.world[r] = skeleton.image, skeleton.world
            blk.size[r] = (skeleton.width, skeleton.height)
            blk.t_ms[r], blk.frame[r], blk.seen[r] = skeleton.timestamp_ms, skeleton.frame_index, True
            if skeleton.extra:
                self._extra[self._n] = skeleton.extra
        self._n += 1

    def __len__(self) -> int:
        return self._n

    def _one(self, i: int) -> Skeleton | None:
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("pose track index out of range")
        blk = self._blocks[i // BLOCK]
        r = i % BLOCK
        if not blk.seen[r]:
            return None
        w, h = blk.size[r]
        return Skeleton(int(blk.t_ms[r]), blk.image[r], blk.world[r], int(w), int(h), int(blk.frame[r]),
                        self._extra.get(i, {}))

    @overload
    def __getitem__(self, i: int) -> Skeleton | None: ...

    @overload
    def __getitem__(self, i: slice) -> list[Skeleton | None]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._one(k) for k in range(*i.indices(self._n))]
        return self._one(int(i))

    def __iter__(self) -> Iterator[Skeleton | None]:
        return (self._one(k) for k in range(self._n))

    def seen(self) -> np.ndarray:
        """(N,) bool: the frames with a person."""
        return np.concatenate([b.seen for b in self._blocks])[:self._n] if self._blocks else np.zeros(0, bool)

    def recovered(self) -> np.ndarray:
        """(N,) bool: the frames whose pose the pose recovery found (``Skeleton.recovered``)."""
        out = np.zeros(self._n, bool)
        for i, extra in self._extra.items():
            out[i] = bool(extra.get("recovered", False))
        return out

    def nbytes(self) -> int:
        """Bytes held in the blocks' arrays."""
        return sum(a.nbytes for b in self._blocks for a in (b.image, b.world, b.size, b.t_ms, b.frame, b.seen))

