"""How well MediaPipe sees the mannequin: detection rate and landmark error against the
projected truth, in units of body height (so numbers compare across resolutions)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from deepfit_coach.skeleton import LM, LR_SWAP
from deepfit_coach.synth.clip import FrameDrawer, Plan, Shot, plan

# The 13 landmarks the classifier and the counters use (nose, shoulders .. ankles).
CORE: tuple[int, ...] = (LM.NOSE, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_ELBOW, LM.RIGHT_ELBOW,
                         LM.LEFT_WRIST, LM.RIGHT_WRIST, LM.LEFT_HIP, LM.RIGHT_HIP, LM.LEFT_KNEE, LM.RIGHT_KNEE,
                         LM.LEFT_ANKLE, LM.RIGHT_ANKLE)


@dataclass
class PoseCheck:
    """Per-clip result; errors are per detected frame, median over the CORE landmarks."""

    frames: int
    detected: int
    errors: np.ndarray           # (detected,) median landmark error / body height
    errors_any_side: np.ndarray  # same, allowing a left/right swap (back views)

    @property
    def detection_rate(self) -> float:
        return self.detected / max(self.frames, 1)

    @property
    def median_error(self) -> float:
        return float(np.median(self.errors)) if len(self.errors) else float("nan")


def frame_error(pred_px: np.ndarray, truth_px: np.ndarray, body_height_px: float,
                idx: tuple[int, ...] = CORE) -> tuple[float, float]:
    """Median landmark distance / body height, as labelled and with sides swapped (min)."""
    d = np.linalg.norm(pred_px[list(idx)] - truth_px[list(idx)], axis=1)
    ds = np.linalg.norm(pred_px[LR_SWAP][list(idx)] - truth_px[list(idx)], axis=1)
    e = float(np.median(d)) / body_height_px
    return e, min(e, float(np.median(ds)) / body_height_px)


def check_pose(spec: Shot | Plan, estimator=None, frames: list[np.ndarray] | None = None) -> PoseCheck:
    """Render ``spec`` and run the real pose model on every frame."""
    from deepfit_coach.pose import PoseEstimator

    p = spec if isinstance(spec, Plan) else plan(spec)
    own = estimator is None
    est = estimator or PoseEstimator(progress=False)
    try:
        drawer = FrameDrawer(p) if frames is None else None
        errs, errs_any = [], []
        n = p.truth.frame_count
        for i in range(n):
            img = frames[i] if frames is not None else drawer.draw(i)
            sk = est.process(img, p.truth.timestamp_ms(i), i)
            if sk is None:
                continue
            e, ea = frame_error(sk.pixels, p.truth.joints_2d[i], float(p.truth.body_height_px[i]))
            errs.append(e)
            errs_any.append(ea)
    finally:
        if own:
            est.close()
    return PoseCheck(n, len(errs), np.array(errs), np.array(errs_any))
