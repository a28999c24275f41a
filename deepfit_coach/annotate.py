"""``analyze --annotate``: the video again with skeleton, rep count and cues drawn on it."""

from __future__ import annotations

from pathlib import Path

from deepfit_coach.errors import UserError
from deepfit_coach.skeleton import CONNECTIONS
from deepfit_coach.videowriter import VideoWriter

CUE_SHOW_S = 2.5


def _timeline(result):
    """Per time: (count, exercise) changes and cue texts, from the analysis result."""
    reps = sorted((r.end_s, seg.exercise) for seg in result.segments for r in seg.reps)
    cues = sorted((c.t_s, c.cue) for seg in result.segments for c in seg.cues)
    return reps, cues


def annotate_video(video: str, poses, result, out: str | Path, turns: int = 0) -> Path:
    """Re-read ``video`` and write ``out`` (mp4) with the analysis drawn on each frame; ``turns``: the
    quarter turns clockwise the poses were turned by (``rotation``), the frames turned alike."""
    import cv2

    from deepfit_coach.rotation import turn_image
    from deepfit_coach.sources import open_source

    if str(video).startswith("replay:") or str(video).endswith(".jsonl"):
        raise UserError("--annotate needs the original video, not a pose file", exit_code=1)
    reps, cues = _timeline(result)
    writer = None
    out = Path(out)
    try:
        with open_source(video) as src:
            for i, frame in enumerate(src):
                img = turn_image(frame.image, turns).copy()
                h, w = img.shape[:2]
                if writer is None:
                    try:
                        writer = VideoWriter(out, float(result.fps or 30), (w, h))
                    except OSError as exc:
                        raise UserError(str(exc), exit_code=2) from None
                t = frame.timestamp_ms / 1000.0
                skel = poses.skeletons[i] if i < len(poses.skeletons) else None
                if skel is not None:
                    px = skel.pixels.astype(int)
                    vis = skel.visibility
                    for a, b in CONNECTIONS:
                        if vis[a] > 0.5 and vis[b] > 0.5:
                            cv2.line(img, tuple(px[a]), tuple(px[b]), (0, 255, 0), 2, cv2.LINE_AA)
                    for j in range(len(px)):
                        if vis[j] > 0.5:
                            cv2.circle(img, tuple(px[j]), 3, (0, 200, 255), -1, cv2.LINE_AA)
                done = [e for tt, e in reps if tt <= t]
                label = f"{done[-1] if done else ''} reps: {len(done)}"
                cv2.rectangle(img, (0, 0), (w, 34), (0, 0, 0), -1)
                cv2.putText(img, label, (8, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 255, 255), 2, cv2.LINE_AA)
                live = [c for tt, c in cues if tt <= t < tt + CUE_SHOW_S]
                for k, text in enumerate(live[-2:]):
                    cv2.putText(img, text, (8, h - 14 - 26 * k), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 0, 255), 2,
                                cv2.LINE_AA)
                writer.write(img, frame.timestamp_ms)
    finally:
        if writer is not None:
            writer.close()
    return out
