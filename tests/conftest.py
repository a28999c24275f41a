"""Test environment: user dirs in a temp folder, the pose model from ../shared when present.

The pose model is never committed; CI and developers point the model store at the
byte-identical copy in ../shared/models (DEEPFIT_MODEL_MIRROR), which the store copies
into the (temporary) cache through its checksum checks.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_MODELS = SHARED / "models"
REAL_POSES = SHARED / "real" / "mlkit_fitness_pose_samples.csv"


@pytest.fixture(autouse=True, scope="session")
def _isolated_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.mktemp("deepfit_home")
    os.environ["DEEPFIT_HOME"] = str(home)
    os.environ.pop("DEEPFIT_POSE_MODEL", None)
    if SHARED_MODELS.is_dir() and not os.environ.get("DEEPFIT_MODEL_MIRROR"):
        os.environ["DEEPFIT_MODEL_MIRROR"] = str(SHARED_MODELS)


@pytest.fixture(scope="session")
def pose_model_path(_isolated_home: None) -> Path:
    """The full pose model, resolved through the real model store (skip if unavailable)."""
    from deepfit_coach.errors import ModelError
    from deepfit_coach.model_store import resolve_pose_model

    try:
        return resolve_pose_model("full", progress=False)
    except ModelError as exc:
        pytest.skip(f"pose model unavailable: {exc.message}")


@pytest.fixture(scope="session")
def real_poses_csv() -> Path:
    if not REAL_POSES.is_file():
        pytest.skip("../shared/real/mlkit_fitness_pose_samples.csv not present")
    return REAL_POSES


@pytest.fixture(scope="module")
def classifier_ready() -> None:
    """Skip where no exercise classifier model is installed (auto-mode tests)."""
    pytest.importorskip("deepfit_coach.classifier.segment")
    from deepfit_coach.classifier.runtime import default_model_path

    if not default_model_path("exercise_classifier.json").exists():
        pytest.skip("no exercise classifier model installed")


def run_cli(args: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    """Run the real CLI entry point in-process: (exit code, stdout, stderr)."""
    from deepfit_coach.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(args)
        raise SystemExit(0)
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


def write_video(path: Path, frames: int = 2, size: tuple[int, int] = (64, 48), fps: float = 15.0) -> Path:
    """A real video of ``frames`` noisy frames through the project's own writer (noise: so that the file
    has some size to cut short in truncation tests)."""
    import numpy as np

    from deepfit_coach.videowriter import VideoWriter

    rng = np.random.default_rng(frames)
    with VideoWriter(path, fps, size) as writer:
        for _ in range(frames):
            writer.write(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8))
    return path


@pytest.fixture
def clip_video(tmp_path: Path) -> Path:
    """``tmp_path / "clip.mp4"``, a real two-frame video: the one the pose caches that tests write for
    "clip.mp4" stand in for (a cache is only reused for the video it was made from)."""
    return write_video(tmp_path / "clip.mp4")
