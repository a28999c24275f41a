"""Bad input gives one clear line and a non-zero exit, never a traceback (real subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import SHARED_MODELS


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "DEEPFIT_POSE_MODEL"}  # each test says its model
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "deepfit_coach", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=120)


def assert_one_line_error(proc: subprocess.CompletedProcess, *words: str, code: int = 2) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture(scope="module")
def blank_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import cv2

    path = tmp_path_factory.mktemp("video") / "blank.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, (160, 120))
    for _ in range(5):
        writer.write(np.full((120, 160, 3), 128, np.uint8))
    writer.release()
    return path


def test_version_and_help() -> None:
    from deepfit_coach import __version__

    assert run("--version").stdout.strip().endswith(__version__)
    out = run("--help").stdout
    for command in ("pose", "models"):
        assert command in out


def test_unknown_command_suggests() -> None:
    proc = run("modles")
    assert proc.returncode == 2 and "Did you mean 'models'" in proc.stderr


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run("pose", str(tmp_path / "nope.mp4")), "no such video file")


def test_text_file_renamed_mp4(tmp_path: Path) -> None:
    fake = tmp_path / "notes.mp4"
    fake.write_text("these are my notes, not a video\n")
    assert_one_line_error(run("pose", str(fake)), "not a video file or corrupt")


def test_empty_video_file_says_empty(tmp_path: Path) -> None:
    empty = tmp_path / "clip.mp4"
    empty.write_bytes(b"")
    assert_one_line_error(run("pose", str(empty)), "is empty (0 bytes)")


def test_a_photo_or_a_one_frame_clip_is_not_a_video(tmp_path: Path) -> None:
    """OpenCV opens a photo as a one-frame video: analyze read it as '1 frames', no reps (QA pass 4)."""
    import cv2
    import numpy as np

    photo = tmp_path / "me.jpg"
    cv2.imwrite(str(photo), np.full((240, 320, 3), 128, np.uint8))
    assert_one_line_error(run("analyze", str(photo), "--exercise", "squats"), "is a still image, not a video")
    one = tmp_path / "one.mp4"
    w = cv2.VideoWriter(str(one), cv2.VideoWriter_fourcc(*"mp4v"), 10, (320, 240))
    w.write(np.full((240, 320, 3), 128, np.uint8))
    w.release()
    assert_one_line_error(run("pose", str(one)), "holds a single frame, not a video")


def test_voice_record_log_in_a_missing_folder(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text("name: P\nblocks:\n  - exercise: squats\n    reps: 5\n")
    assert_one_line_error(run("start", str(plan), "--voice", f"record:{tmp_path}/nope/said.jsonl"),
                          "does not exist (create it first)")


def test_camera_index_7() -> None:
    assert_one_line_error(run("pose", "7"), "no camera at index 7", "--source FILE")


def test_zero_byte_model(tmp_path: Path, blank_video: Path) -> None:
    model = tmp_path / "model.task"
    model.write_bytes(b"")
    assert_one_line_error(run("pose", str(blank_video), "--pose-model", str(model)), "empty")


@pytest.mark.skipif(not (SHARED_MODELS / "pose_landmarker_full.task").is_file(), reason="no shared model")
def test_model_with_wrong_hash(tmp_path: Path, blank_video: Path) -> None:
    data = bytearray((SHARED_MODELS / "pose_landmarker_full.task").read_bytes())
    data[5000] ^= 0xFF
    model = tmp_path / "pose_landmarker_full.task"
    model.write_bytes(bytes(data))
    assert_one_line_error(run("pose", str(blank_video), "--pose-model", str(model)), "sha256")


def test_unreachable_mirror(tmp_path: Path, blank_video: Path) -> None:
    proc = run("pose", str(blank_video), env={"DEEPFIT_HOME": str(tmp_path), "DEEPFIT_MODEL_MIRROR": "http://127.0.0.1:9",
                                                "DEEPFIT_OFFLINE": "1"})
    assert_one_line_error(proc, "no full pose model available", "models pull")


def test_models_pull_bad_origin(tmp_path: Path) -> None:
    proc = run("models", "pull", "full", "--from", str(tmp_path / "missing"), env={"DEEPFIT_HOME": str(tmp_path)})
    assert_one_line_error(proc, "no pose model at")


def test_models_list_shows_cache_state(tmp_path: Path) -> None:
    out = run("models", "list", env={"DEEPFIT_HOME": str(tmp_path), "COLUMNS": "200"}).stdout
    assert "full" in out and "heavy" in out and str(tmp_path) in out
    # piped into a file at 80 columns the paths stay whole, to be copied (they were cut with an ellipsis)
    deep = tmp_path / ("a_long_folder_name_" * 3)
    out = run("models", "list", env={"DEEPFIT_HOME": str(deep), "COLUMNS": "80"}).stdout
    assert str(deep / "cache" / "models" / "pose_landmarker_heavy.task") in out and "…" not in out


def test_an_unknown_exercise_without_its_file_says_how_to_give_it(tmp_path, capsys):
    """-e my_exercise without --exercises: the built-in list alone left the user guessing."""
    from conftest import run_cli

    code, _, err = run_cli(["analyze", str(tmp_path / "v.mp4"), "-e", "wall_sits"], capsys)
    assert code == 1 and err.strip().endswith("your own exercise is read from its file with --exercises FILE")
