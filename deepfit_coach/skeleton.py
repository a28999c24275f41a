"""The Skeleton: one person's pose in one frame, the object that flows through every stage.

Landmark indices follow MediaPipe's 33-point BlazePose topology.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import IntEnum

import numpy as np


class LM(IntEnum):
    """MediaPipe BlazePose landmark indices."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


NUM_LANDMARKS = 33

# Each landmark's left/right counterpart (itself for the nose): indexing landmarks with it swaps the
# body's sides, as mirroring a picture or MediaPipe's left/right confusions do.
LR_SWAP = np.arange(NUM_LANDMARKS)
for _a, _b in ((1, 4), (2, 5), (3, 6), (7, 8), (9, 10)) + tuple((i, i + 1) for i in range(11, NUM_LANDMARKS, 2)):
    LR_SWAP[_a], LR_SWAP[_b] = _b, _a

# Bones drawn by previews and the terminal skeleton.
CONNECTIONS: tuple[tuple[int, int], ...] = (
    (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER), (LM.LEFT_HIP, LM.RIGHT_HIP),
    (LM.LEFT_SHOULDER, LM.LEFT_HIP), (LM.RIGHT_SHOULDER, LM.RIGHT_HIP),
    (LM.LEFT_SHOULDER, LM.LEFT_ELBOW), (LM.LEFT_ELBOW, LM.LEFT_WRIST),
    (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW), (LM.RIGHT_ELBOW, LM.RIGHT_WRIST),
    (LM.LEFT_HIP, LM.LEFT_KNEE), (LM.LEFT_KNEE, LM.LEFT_ANKLE),
    (LM.RIGHT_HIP, LM.RIGHT_KNEE), (LM.RIGHT_KNEE, LM.RIGHT_ANKLE),
    (LM.LEFT_ANKLE, LM.LEFT_HEEL), (LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX),
    (LM.RIGHT_ANKLE, LM.RIGHT_HEEL), (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX),
    (LM.NOSE, LM.LEFT_EYE), (LM.NOSE, LM.RIGHT_EYE),
    (LM.LEFT_EYE, LM.LEFT_EAR), (LM.RIGHT_EYE, LM.RIGHT_EAR),
)


@dataclass
class Skeleton:
    """One detected person in one frame.

    ``image``: (33, 5) float array of x, y (normalised to [0, 1] of the frame, may fall
    outside when a joint is out of frame), z (MediaPipe's relative depth), visibility and
    presence. ``world``: (33, 3) metres, origin between the hips, y pointing down.
    ``extra``: anything else known about the frame; ``{"recovered": True}`` marks a pose the pose
    recovery (``poserecover``) found where the landmarker had lost the person (see ``recovered``).
    """

    timestamp_ms: int
    image: np.ndarray
    world: np.ndarray
    width: int
    height: int
    frame_index: int = -1
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.image = np.asarray(self.image, dtype=np.float32).reshape(NUM_LANDMARKS, 5)
        self.world = np.asarray(self.world, dtype=np.float32).reshape(NUM_LANDMARKS, 3)

    def sides_swapped(self) -> "Skeleton":
        """The same landmarks with left and right exchanged: a mirrored (selfie) video shows the
        person's right arm where an unmirrored one shows a left arm, and the pose model names it so."""
        return replace(self, image=self.image[LR_SWAP], world=self.world[LR_SWAP])

    def rotated(self, turns: int) -> "Skeleton":
        """The pose as seen in the picture turned ``turns`` quarter turns clockwise (``rotation``): a
        phone video stored sideways or upside down. The pose model finds a turned person about as
        well as an upright one (a rendered squat set turned 90 and 180 degrees: its landmarks turned
        back lie within 1-2 px and 4 mm of the upright run's), so turning its answer stands in for
        running it again on turned frames. The world landmarks turn about the camera's axis as well."""
        k = turns % 4
        if k == 0:
            return self
        image, world = self.image.copy(), self.world.copy()
        x, y, wx, wy = self.image[:, 0], self.image[:, 1], self.world[:, 0], self.world[:, 1]
        if k == 1:
            image[:, 0], image[:, 1], world[:, 0], world[:, 1] = 1 - y, x, -wy, wx
        elif k == 2:
            image[:, 0], image[:, 1], world[:, 0], world[:, 1] = 1 - x, 1 - y, -wx, -wy
        else:
            image[:, 0], image[:, 1], world[:, 0], world[:, 1] = y, 1 - x, wy, -wx
        w, h = (self.height, self.width) if k % 2 else (self.width, self.height)
        return replace(self, image=image, world=world, width=w, height=h)

    @property
    def xy(self) -> np.ndarray:
        """(33, 2) normalised image coordinates."""
        return self.image[:, :2]

    @property
    def pixels(self) -> np.ndarray:
        """(33, 2) pixel coordinates."""
        return self.image[:, :2] * np.array([self.width, self.height], dtype=np.float32)

    @property
    def recovered(self) -> bool:
        """Found by the pose recovery, not the landmarker: counted, but form is judged only on the
        landmarker's own frames (its recovered poses are noisier; ``counting.tracker``)."""
        return bool(self.extra.get("recovered", False))

    @property
    def visibility(self) -> np.ndarray:
        return self.image[:, 3]

    @property
    def presence(self) -> np.ndarray:
        return self.image[:, 4]

    def pitched(self, deg: float) -> "Skeleton":
        """This pose with its world landmarks turned ``deg`` about the hips' left-right (camera x)
        axis, the head toward the camera for positive ``deg``: MediaPipe's 3D is in the camera's
        axes, so this is what a camera looking down by ``deg`` would read (or, for the torso, a
        lean toward the camera). The picture is left as it is (benchmarks/tilt_stress.py)."""
        if deg == 0:
            return self
        a = math.radians(deg)
        w = self.world.astype(np.float64)
        hips = (w[LM.LEFT_HIP] + w[LM.RIGHT_HIP]) / 2
        y, z = w[:, 1] - hips[1], w[:, 2] - hips[2]
        out = w.copy()
        out[:, 1] = y * math.cos(a) - z * math.sin(a) + hips[1]
        out[:, 2] = y * math.sin(a) + z * math.cos(a) + hips[2]
        return replace(self, world=out)

    def to_dict(self) -> dict:
        """JSON-friendly form (see ``posefile``); a recovered pose says ``"recovered": true``."""
        d = {
            "t_ms": int(self.timestamp_ms),
            "frame": int(self.frame_index),
            "size": [int(self.width), int(self.height)],
            "landmarks": np.round(self.image, 5).tolist(),
            "world": np.round(self.world, 5).tolist(),
        }
        if self.recovered:
            d["recovered"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Skeleton":
        w, h = d["size"]
        return cls(timestamp_ms=int(d["t_ms"]), image=np.array(d["landmarks"], dtype=np.float32),
                   world=np.array(d["world"], dtype=np.float32), width=int(w), height=int(h),
                   frame_index=int(d.get("frame", -1)), extra={"recovered": True} if d.get("recovered") else {})
