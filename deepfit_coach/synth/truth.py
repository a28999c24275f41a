"""Ground truth of a rendered clip and its JSON file (schema: TRUTH_SCHEMA.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from deepfit_coach.skeleton import LM, NUM_LANDMARKS, Skeleton
from deepfit_coach.synth.motion import RepTruth

SCHEMA = "deepfit-synth-truth/1"
LANDMARK_NAMES = [lm.name.lower() for lm in LM]


@dataclass
class TruthFrame:
    """Truth of one frame. ``joints_2d``: (33, 2) pixels in the written image;
    ``joints_3d``: (33, 3) metres, camera axes (x right, y down, z away), origin mid-hip,
    like MediaPipe's world landmarks; ``in_frame``: (33,) bool; ``occluded``: (33,) bool,
    hidden behind the body (approximate)."""

    index: int
    timestamp_ms: int
    label: str
    activity: str
    joints_2d: np.ndarray
    joints_3d: np.ndarray
    in_frame: np.ndarray
    body_height_px: float
    rep: int | None = None
    occluded: np.ndarray | None = None      # 1-based index of the rep this frame belongs to, if any


@dataclass
class Truth:
    """Everything known about a clip. Per-frame arrays are stacked along axis 0."""

    fps: float
    width: int
    height: int
    labels: list[str]
    activities: list[str]
    joints_2d: np.ndarray       # (T, 33, 2) float pixels
    joints_3d: np.ndarray       # (T, 33, 3) metres, camera axes, mid-hip origin
    in_frame: np.ndarray        # (T, 33) bool
    body_height_px: np.ndarray  # (T,) standing height of the person at their depth, pixels
    reps: list[RepTruth]
    sets: list[dict]
    meta: dict = field(default_factory=dict)
    occluded: np.ndarray | None = None  # (T, 33) bool: hidden behind the body (approximate)

    @property
    def frame_count(self) -> int:
        return len(self.labels)

    def timestamp_ms(self, i: int) -> int:
        return int(round(i * 1000.0 / self.fps))

    def rep_of_frame(self) -> np.ndarray:
        """(T,) 1-based rep index per frame (0 outside reps)."""
        out = np.zeros(self.frame_count, dtype=int)
        for r in self.reps:
            out[r.start_frame:r.end_frame + 1] = r.index
        return out

    def frame(self, i: int) -> TruthFrame:
        cache = self.meta.get("_rep_of_frame")
        if cache is None or len(cache) != self.frame_count:
            cache = self.meta["_rep_of_frame"] = self.rep_of_frame()
        rep = int(cache[i]) or None
        return TruthFrame(i, self.timestamp_ms(i), self.labels[i], self.activities[i], self.joints_2d[i],
                          self.joints_3d[i], self.in_frame[i], float(self.body_height_px[i]), rep,
                          None if self.occluded is None else self.occluded[i])

    def skeleton(self, i: int, occluded_visibility: float | None = None) -> Skeleton:
        """The truth of frame ``i`` as a ``Skeleton``, as if a perfect pose model saw it
        (visibility and presence 1 inside the frame, 0 outside): the cheap "joints only"
        path. ``occluded_visibility`` (e.g. 0.3) lowers the visibility of joints hidden
        behind the body, like a camera would."""
        img = np.zeros((NUM_LANDMARKS, 5), np.float32)
        img[:, 0] = self.joints_2d[i, :, 0] / self.width
        img[:, 1] = self.joints_2d[i, :, 1] / self.height
        img[:, 2] = self.joints_3d[i, :, 2] - self.joints_3d[i, :, 2].mean()
        vis = self.in_frame[i].astype(np.float32)
        if self.occluded is not None and occluded_visibility is not None:
            vis = np.where(self.occluded[i], occluded_visibility * vis, vis)
        img[:, 3] = vis
        img[:, 4] = self.in_frame[i]
        return Skeleton(timestamp_ms=self.timestamp_ms(i), image=img, world=self.joints_3d[i],
                        width=self.width, height=self.height, frame_index=i)

    def counts(self) -> dict[str, int]:
        """Reps per exercise."""
        out: dict[str, int] = {}
        for s in self.sets:
            out[s["exercise"]] = out.get(s["exercise"], 0) + s["reps"]
        return out

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA, **{k: v for k, v in self.meta.items() if not k.startswith("_")}, "fps": self.fps, "frame_count": self.frame_count,
            "width": self.width, "height": self.height, "landmark_names": LANDMARK_NAMES,
            "sets": self.sets, "reps": [r.to_dict() for r in self.reps],
            "frames": {
                "label": self.labels, "activity": self.activities,
                "t_ms": [self.timestamp_ms(i) for i in range(self.frame_count)],
                "rep": self.rep_of_frame().tolist(),
                "body_height_px": np.round(self.body_height_px, 2).tolist(),
                "joints_2d": np.round(self.joints_2d, 2).tolist(),
                "joints_3d": np.round(self.joints_3d, 4).tolist(),
                "in_frame": self.in_frame.astype(int).tolist(),
                **({"occluded": self.occluded.astype(int).tolist()} if self.occluded is not None else {}),
            },
        }

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(json.dumps(self.to_dict(), separators=(",", ":")))
        return path

    @classmethod
    def load(cls, path: str | Path) -> "Truth":
        d = json.loads(Path(path).read_text())
        if d.get("schema") != SCHEMA:
            raise ValueError(f"{path}: not a {SCHEMA} file")
        f = d["frames"]
        meta = {k: v for k, v in d.items() if k not in (
            "schema", "fps", "frame_count", "width", "height", "landmark_names", "sets", "reps", "frames")}
        return cls(fps=d["fps"], width=d["width"], height=d["height"], labels=f["label"], activities=f["activity"],
                   joints_2d=np.array(f["joints_2d"], np.float32).reshape(-1, NUM_LANDMARKS, 2),
                   joints_3d=np.array(f["joints_3d"], np.float32).reshape(-1, NUM_LANDMARKS, 3),
                   in_frame=np.array(f["in_frame"], bool).reshape(-1, NUM_LANDMARKS),
                   body_height_px=np.array(f["body_height_px"], np.float32),
                   reps=[RepTruth(**r) for r in d["reps"]], sets=d["sets"], meta=meta,
                   occluded=np.array(f["occluded"], bool).reshape(-1, NUM_LANDMARKS) if "occluded" in f else None)


def truth_path(video: str | Path) -> Path:
    """``out.mp4`` -> ``out.truth.json``."""
    video = Path(video)
    return video.with_name(video.stem + ".truth.json")
