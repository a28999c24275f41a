"""Training's reproducibility guards: the temporal-settings search gives near-ties to the
runtime's defaults, debugging exports never change what is trained, and TensorFlow is first
imported by the trainer (which sets the oneDNN switch it reads once at import)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from deepfit_coach.training.pipeline import GRID, grid_steps, pick, timeline_candidates, timeline_defaults

DEFAULTS = {"a": 0.5, "b": 1.0}
SETTINGS = [{"a": a, "b": b} for a in (0.4, 0.5, 0.6) for b in (1.0, 2.0)]


def test_grid_steps_count_from_the_defaults() -> None:
    assert grid_steps(SETTINGS, DEFAULTS) == [1, 2, 0, 1, 1, 2]
    # a default outside the values counts from the nearest value
    assert grid_steps(SETTINGS, {"a": 0.9, "b": 0.0}) == [2, 3, 1, 2, 0, 1]


def test_near_ties_go_to_the_defaults_and_clear_winners_win() -> None:
    scores = [0.9, 0.9, 0.99, 1.0, 0.9, 1.015]   # best (0.6, 2.0) is 2 steps away; (0.5, 2.0) 1; default 0.025 below
    assert pick(SETTINGS, scores, DEFAULTS, tol=0.02) == 3
    assert pick(SETTINGS, scores, DEFAULTS, tol=0.03) == 2      # the default itself
    assert pick(SETTINGS, scores, DEFAULTS, tol=0.0) == 5       # plain argmax
    clear = [1.0, 1.0, 1.0, 1.0, 1.1, 1.0]
    assert pick(SETTINGS, clear, DEFAULTS, tol=0.02) == 4
    # equal steps: the higher score, then the first
    assert pick(SETTINGS, [1.0, 0.9, 0.95, 1.0, 1.0, 0.9], DEFAULTS, tol=0.1) == 2
    assert pick(SETTINGS, [1.0, 0.9, 0.0, 1.0, 1.0, 0.9], DEFAULTS, tol=0.1) == 0


def test_noise_below_the_tie_margin_does_not_move_the_choice() -> None:
    """With a tie margin of 0.02, two models whose scores differ by noise (< 0.01 here) choose
    the same settings, where the plain argmax (the shipped default, NEAR_TIE = 0) of both
    jumps between distant ones."""
    from deepfit_coach.classifier.temporal import DEFAULTS as LIVE

    rng = np.random.default_rng(3)
    base = np.array([2.70 if p["window_weight"] > 0 and p["switch_s"] == 0.3 else 2.5 for p in GRID])
    picks, argmaxes = set(), set()
    for _ in range(20):
        noisy = list(base + rng.uniform(-0.005, 0.005, len(base)))
        picks.add(pick(GRID, noisy, LIVE, tol=0.02))
        argmaxes.add(int(np.argmax(noisy)))
    assert len(picks) == 1 and len(argmaxes) > 1


def test_timeline_search_includes_its_defaults() -> None:
    cands = timeline_candidates()
    d = timeline_defaults()
    assert {k: float(v) for k, v in d.items()} in [{k: float(v) for k, v in c.items()} for c in cands]
    assert grid_steps(cands, d).count(0) == 1


def test_timeline_search_includes_the_shipped_settings() -> None:
    """The search can give back the shipped timeline settings (``train --seed 0`` must write the
    shipped exercise_classifier.json): a grid that loses one of their values, e.g. a rest-weight
    cap below the shipped weight, fails here."""
    from deepfit_coach.classifier.runtime import MODELS_DIR
    from deepfit_coach.classifier.temporal import TIMELINE_KEYS

    shipped = json.loads((MODELS_DIR / "exercise_classifier.json").read_text())
    want = {k: float(shipped[k]) for k in TIMELINE_KEYS}
    assert want in [{k: float(c[k]) for k in TIMELINE_KEYS} for c in timeline_candidates()]
    assert {k: shipped[k] for k in GRID[0]} in GRID


def test_select_only_without_models_is_one_clear_line(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "deepfit_coach", "train", "--select-only", "--out", str(tmp_path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "--select-only needs" in r.stderr


def test_the_cli_leaves_the_tensorflow_import_to_the_trainer(tmp_path: Path) -> None:
    """deepfit-coach train must not import TensorFlow before training.fit sets its oneDNN
    switch: the documented command and a script calling pipeline.run got different window
    models that way (same seed)."""
    code = (  # TensorFlow "found" even where it is not installed (CI): importing it would fail there
        "import sys, json, importlib.util\n"
        "_find = importlib.util.find_spec\n"
        "importlib.util.find_spec = lambda n, *a: _find('json') if n == 'tensorflow' else _find(n, *a)\n"
        "import deepfit_coach.training.pipeline as P\n"
        "def fake(cfg, log=print):\n"
        "    print(json.dumps({'tf': 'tensorflow' in sys.modules}))\n"
        "    return {}\n"
        "P.run = fake\n"
        "from deepfit_coach.cli import main\n"
        f"main(['train', '--no-test', '--out', {str(tmp_path)!r}])\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads(r.stdout.strip().splitlines()[-1]) == {"tf": False}


def test_members_are_exported_only_after_both_fits(tmp_path: Path, monkeypatch) -> None:
    """A debugging export (each member alone, ``members_dir``) comes after both fits, so it
    can never change what is trained. (Measured too: with the export between the fits, as
    before, fresh processes gave byte-identical models; the fits themselves are left real.)"""
    import deepfit_coach.training.fit as fit
    from deepfit_coach.training.clips import Clip
    from deepfit_coach.training.pipeline import TrainConfig, fit_models

    calls: list[str] = []

    def fake_fit(x, y, xv, yv, cfg, log=print):
        calls.append(f"fit {x.shape[1]}")
        return "avg", ["m0", "m1"]

    def fake_export(model, path: Path) -> int:
        calls.append(f"export {model}")
        return 1

    monkeypatch.setattr(fit, "fit_mlp", fake_fit)
    monkeypatch.setattr(fit, "export_tflite", fake_export)
    monkeypatch.setattr(fit, "onednn_enabled", lambda: True)
    rng = np.random.default_rng(0)
    lm = rng.uniform(0.3, 0.7, (30, 33, 5)).astype(np.float32)
    clips = [Clip(lm, np.ones(30, bool), np.arange(30) / 10.0, np.zeros(30, np.int64), 640, 480, {})]
    fit_models(clips, [], [], TrainConfig(members=2, out_dir=tmp_path, members_dir=tmp_path / "m"), log=lambda m: None)
    assert calls[:4] == ["fit 36", "export avg", f"fit {calls[2].split()[1]}", "export avg"]
    assert calls[2] != "fit 36" and calls[4:] == ["export m0", "export m1"] * 2
