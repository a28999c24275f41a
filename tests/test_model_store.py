"""The model store against a real HTTP server on 127.0.0.1 serving the shared model copy."""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from deepfit_coach import model_store
from deepfit_coach.errors import ModelError

from conftest import SHARED_MODELS

FULL = SHARED_MODELS / "pose_landmarker_full.task"
pytestmark = pytest.mark.skipif(not FULL.is_file(), reason="../shared/models copy not present")


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves /good/, /corrupt/ (one byte flipped) and /cut/ (stops after 1 MB)."""

    payload: bytes = b""

    def do_GET(self) -> None:  # noqa: N802
        body = self.payload
        if self.path.startswith("/corrupt/"):
            body = body[:1000] + bytes([body[1000] ^ 0xFF]) + body[1001:]
        if not self.path.endswith(model_store.VARIANTS["full"].filename):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.payload)))
        self.end_headers()
        if self.path.startswith("/cut/"):
            self.wfile.write(body[: 1 << 20])
            self.wfile.flush()
            self.connection.shutdown(2)  # the server dies mid-file
            return
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    _Handler.payload = FULL.read_bytes()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DEEPFIT_HOME", str(tmp_path))
    monkeypatch.delenv("DEEPFIT_MODEL_MIRROR", raising=False)
    monkeypatch.delenv("DEEPFIT_POSE_MODEL", raising=False)
    monkeypatch.delenv("DEEPFIT_OFFLINE", raising=False)
    return tmp_path


def _leftovers(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "cache" / "models").iterdir())


def test_download_from_mirror_url_is_verified_and_cached(server: str, home: Path, monkeypatch) -> None:
    monkeypatch.setenv("DEEPFIT_MODEL_MIRROR", server + "/good")
    path = model_store.resolve_pose_model("full", progress=False)
    assert path == home / "cache" / "models" / "pose_landmarker_full.task"
    assert model_store.sha256_of(path) == model_store.VARIANTS["full"].sha256
    assert _leftovers(home) == [".pose_landmarker_full.task.verified", "pose_landmarker_full.task"]  # no temp files
    # second resolve uses the cache even with the mirror gone
    monkeypatch.setenv("DEEPFIT_MODEL_MIRROR", "http://127.0.0.1:9/nothing")
    assert model_store.resolve_pose_model("full", progress=False) == path


def test_tampered_download_is_rejected_and_never_used(server: str, home: Path) -> None:
    with pytest.raises(ModelError, match="sha256"):
        model_store.fetch("full", server + "/corrupt/", progress=False)
    assert _leftovers(home) == []


def test_server_stopping_mid_file_is_rejected(server: str, home: Path) -> None:
    with pytest.raises(ModelError) as exc:
        model_store.fetch("full", server + "/cut/", progress=False)
    # a cut download is said to be one (it was reported as "not a complete full pose model")
    assert "stopped after 1,048,576 of 9,398,198 bytes" in exc.value.message
    assert _leftovers(home) == []


def test_unreachable_mirror_gives_one_clear_line(home: Path, monkeypatch) -> None:
    monkeypatch.setenv("DEEPFIT_MODEL_MIRROR", "http://127.0.0.1:9")
    monkeypatch.setattr(model_store, "_BASE", "http://127.0.0.1:9/official")
    with pytest.raises(ModelError) as exc:
        model_store.resolve_pose_model("full", progress=False)
    msg = exc.value.message
    assert "\n" not in msg and "models pull full" in msg and "--pose-model" in msg
    assert "127.0.0.1:9/pose_landmarker_full.task" in msg and "/official/" in msg   # both origins tried


def test_failing_mirror_falls_back_to_the_official_url(server: str, home: Path, monkeypatch) -> None:
    monkeypatch.setenv("DEEPFIT_MODEL_MIRROR", str(home / "no-such-mirror"))
    monkeypatch.setattr(model_store, "_BASE", server + "/official")
    path = model_store.resolve_pose_model("full", progress=False)
    assert model_store.sha256_of(path) == model_store.VARIANTS["full"].sha256
    monkeypatch.setenv("DEEPFIT_OFFLINE", "1")      # offline: the mirror's failure is final
    path.unlink()
    with pytest.raises(ModelError, match="no pose model at"):
        model_store.resolve_pose_model("full", progress=False)


def test_mirror_directory_and_damaged_cache(home: Path, monkeypatch) -> None:
    cached = home / "cache" / "models" / "pose_landmarker_full.task"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"truncated")
    assert model_store.status()[1].problem is not None
    monkeypatch.setenv("DEEPFIT_MODEL_MIRROR", str(SHARED_MODELS))
    path = model_store.resolve_pose_model("full", progress=False)   # damaged copy replaced
    assert path == cached and model_store.check_file(path, model_store.VARIANTS["full"]) is None


def test_user_model_checks(tmp_path: Path) -> None:
    empty = tmp_path / "empty.task"
    empty.write_bytes(b"")
    with pytest.raises(ModelError, match="empty"):
        model_store.resolve_pose_model(explicit=empty)
    wrong = tmp_path / "pose_landmarker_full.task"
    wrong.write_bytes(FULL.read_bytes()[:-1] + b"x")
    with pytest.raises(ModelError, match="sha256|complete"):
        model_store.resolve_pose_model(explicit=wrong)
    text = tmp_path / "mine.task"
    text.write_text("not a model")
    with pytest.raises(ModelError, match="not a MediaPipe"):
        model_store.resolve_pose_model(explicit=text)
    assert model_store.resolve_pose_model(explicit=FULL) == FULL


def test_cached_model_is_hashed_once_until_it_changes(home: Path, monkeypatch) -> None:
    monkeypatch.setenv("DEEPFIT_MODEL_MIRROR", str(SHARED_MODELS))
    path = model_store.resolve_pose_model("full", progress=False)
    hashed = []
    real = model_store.sha256_of
    monkeypatch.setattr(model_store, "sha256_of", lambda p: hashed.append(p) or real(p))
    assert model_store.resolve_pose_model("full", progress=False) == path
    assert model_store.status()[1].cached
    assert hashed == []                       # the stamp written at install vouches for it
    data = bytearray(path.read_bytes())
    data[5000] ^= 0xFF                        # same size, one byte damaged
    before = path.stat().st_mtime_ns
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before + 10**9, before + 10**9))   # coarse filesystem clocks: make the write visible
    problem = model_store.status()[1].problem
    assert problem is not None and "sha256" in problem and hashed == [path]
    assert model_store.resolve_pose_model("full", progress=False) == path   # re-fetched from the mirror
    assert model_store.check_file(path, model_store.VARIANTS["full"]) is None


def test_a_model_of_another_size_is_named_and_a_cached_one_not_pulled_again(home: Path, capsys, monkeypatch) -> None:
    """`models pull lite --from full.task` said the file was "not a complete lite pose model": it is
    the intact full one. A second `models pull full` copied again and said nothing of the first."""
    from conftest import run_cli

    with pytest.raises(ModelError, match="is the full pose model, not the lite one"):
        model_store.fetch("lite", str(FULL), progress=False)
    assert not model_store.cached_path("lite").exists()
    code, out, _ = run_cli(["models", "pull", "full", "--from", str(FULL)], capsys)
    assert code == 0 and out.startswith("full pose model ready: ")
    monkeypatch.setenv("DEEPFIT_MODEL_MIRROR", str(SHARED_MODELS))
    code, out, _ = run_cli(["models", "pull", "full"], capsys)
    assert code == 0 and out.startswith("full pose model already cached and intact: ")
