"""Would the coach's early start fire where it must not, and does it fire where it should?

    python benchmarks/early_start.py rest [GRID_ROOT]          # every rest clip: must never start a set
    python benchmarks/early_start.py sets GRID_DIR [GRID_DIR ...]  # real sets: does it start at the 2nd rep?

The coach starts a set before "Go!" once the coming exercise's tracker has counted
``CoachTiming.early_start_reps`` full reps and the live classifier names that exercise
(``Coach._look_ahead``). This replays pose caches (``DIR/poses_rec/NAME.poses.jsonl``, else
``DIR/NAME.poses.jsonl``) through each tracker and the live ``TemporalClassifier``, as the coach
would see them: ``rest`` runs every exercise's tracker over every ``rest_*.mp4`` of the grids
(people stretching, walking, picking weights up) and counts the clip/exercise pairs whose
counter reaches the second rep, with and without the classifier's word; ``sets`` takes each
set clip's own exercise and counts the sets whose label agrees at their second rep.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from rich.progress import track

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deepfit_coach.analysis import Poses, load_poses  # noqa: E402
from deepfit_coach.classifier import TemporalClassifier  # noqa: E402
from deepfit_coach.coach import CoachTiming  # noqa: E402
from deepfit_coach.counting import ExerciseTracker  # noqa: E402
from deepfit_coach.events import RepEvent, RepMergedEvent  # noqa: E402
from deepfit_coach.exercises import load_catalogue  # noqa: E402

NEED = CoachTiming().early_start_reps


def cached_poses(video: Path) -> Poses | None:
    for cache in (video.parent / "poses_rec" / f"{video.stem}.poses.jsonl", video.parent / f"{video.stem}.poses.jsonl"):
        if cache.exists():
            return load_poses(video, cache=cache)
    return None


def start_times(spec, poses: Poses) -> list[float]:
    """Frame times at which the tracker's live count stands at ``NEED`` reps or more."""
    tracker, out = ExerciseTracker(spec), []
    for skeleton, t in zip(poses.skeletons, poses.times):
        if any(isinstance(e, (RepEvent, RepMergedEvent)) and e.count >= NEED for e in tracker.update(skeleton, t) or []):
            out.append(t)
    return out


def live_labels(poses: Poses) -> dict[float, str]:
    clf = TemporalClassifier()
    return {t: clf.update(skeleton, t).label for skeleton, t in zip(poses.skeletons, poses.times)}


def rest(root: Path) -> None:
    cat = load_catalogue()
    stats: Counter = Counter()
    for video in track(sorted(root.glob("*/rest_*.mp4")), description="rest clips"):
        poses = cached_poses(video)
        if poses is None:
            continue
        stats["clips"] += 1
        labels = live_labels(poses)
        for spec in cat:
            times = start_times(spec, poses)
            fired = [t for t in times if labels[t] == spec.name]
            stats["pairs reaching the 2nd rep"] += bool(times)
            stats["pairs that would start a set"] += bool(fired)
            if fired:
                print(f"would start: {video.parent.name}/{video.name} {spec.name} at {fired[0]:.1f} s")
    print(dict(stats))


def sets(dirs: list[Path]) -> None:
    cat = load_catalogue()
    for d in dirs:
        stats: Counter = Counter()
        for truth_file in track(sorted(d.glob("*.truth.json")), description=d.name):
            truth = json.loads(truth_file.read_text())
            video = truth_file.with_name(truth_file.name[:-len(".truth.json")] + ".mp4")
            poses = cached_poses(video) if truth["sets"] else None
            if poses is None:
                continue
            name = truth["sets"][0]["exercise"]
            times = start_times(cat.get(name), poses)
            labels = live_labels(poses)
            stats["sets"] += 1
            stats["2nd rep counted"] += bool(times)
            stats["label agrees at the 2nd rep"] += bool(times) and labels[times[0]] == name
            stats["label agrees at a later rep"] += any(labels[t] == name for t in times)
        print(d, dict(stats))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=("rest", "sets"))
    ap.add_argument("dirs", nargs="*", type=Path)
    args = ap.parse_args()
    if args.what == "rest":
        rest(args.dirs[0] if args.dirs else Path("/work/data"))
    else:
        sets(args.dirs)


if __name__ == "__main__":
    main()
