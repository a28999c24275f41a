"""Every command that writes a file the user named checks the path before any slow work: one
``error:`` line, no traceback, and no folder the user did not ask for (cli.common.check_output)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli

# {out}: the output path under test; {dir}: a scratch folder (inputs need not exist: the check comes first)
COMMANDS = [
    ["analyze", "{dir}/missing.mp4", "--plot", "{out}"],
    ["analyze", "{dir}/missing.mp4", "--annotate", "{out}"],
    ["analyze", "{dir}/missing.mp4", "--poses", "{out}"],
    ["history", "export", "-o", "{out}"],
    ["report", "--html", "{out}"],
    ["progress", "--plot", "{out}"],
    ["schema", "-o", "{out}"],
    ["new", "{out}"],
    ["pose", "{dir}/missing.mp4", "-o", "{out}"],
    ["eval", "{dir}", "--cache", "{out}"],
    ["eval", "{dir}", "--confusion", "{out}"],
    ["synth", "squats", "-o", "{out}"],
    ["synth", "--gallery", "{out}"],
]
NAMES = {"--annotate": "out.mp4", "--poses": "p.jsonl", "new": "plan.yaml", "synth": "out.mp4", "--gallery": "g.png",
         "pose": "p.jsonl", "export": "h.json", "--html": "r.html", "schema": "s.json"}


def _out_name(args: list[str]) -> str:
    """A file name each command accepts (``new`` wants .yaml, ``synth`` .mp4 ...)."""
    for key in reversed(args):
        if key in NAMES:
            return NAMES[key]
    return "out.png"


def _run(args: list[str], out: Path, scratch: Path, capsys) -> tuple[int, str, str]:
    return run_cli([a.format(out=out, dir=scratch) for a in args], capsys)


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_parent_that_is_a_file_is_one_line(args: list[str], tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    code, _, err = _run(args, blocker / "sub" / _out_name(args), tmp_path, capsys)
    assert code == 2
    assert _one_error_line(err) == f"error: {blocker} is a file, not a folder"


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_missing_folder_is_refused_not_created(args: list[str], tmp_path: Path, capsys) -> None:
    missing = tmp_path / "no_such_dir"
    code, _, err = _run(args, missing / "sub" / _out_name(args), tmp_path, capsys)
    assert code == 2
    assert _one_error_line(err) == f"error: {missing / 'sub'} does not exist (create it first)"
    assert not missing.exists()


def test_cache_folder_itself_is_created_inside_an_existing_one(tmp_path: Path, capsys) -> None:
    code, _, err = run_cli(["eval", str(tmp_path / "videos"), "--cache", str(tmp_path / "cache")], capsys)
    assert (tmp_path / "cache").is_dir()
    assert "does not exist (create it first)" not in err


def test_deepfit_home_that_is_a_file_is_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    home = tmp_path / "home.txt"
    home.write_text("not a folder")
    monkeypatch.setenv("DEEPFIT_HOME", str(home))
    code, _, err = run_cli(["history"], capsys)
    assert code == 2
    assert _one_error_line(err) == (f"error: DEEPFIT_HOME={home} is a file, not a folder; point it at a folder "
                                    "(or unset it)")
    assert home.read_text() == "not a folder"   # the user's file is left alone


def test_check_output_names_what_is_wrong(tmp_path: Path) -> None:
    from deepfit_coach.cli.common import check_output
    from deepfit_coach.errors import UserError

    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(UserError, match=f"^{tmp_path} is a folder; give a file name$"):
        check_output(tmp_path)
    with pytest.raises(UserError, match=r"file\.txt is a file, not a folder$"):
        check_output(tmp_path / "file.txt", folder=True)
    assert check_output(tmp_path / "new.png") == tmp_path / "new.png"
    assert check_output(tmp_path / "cache", folder=True) == tmp_path / "cache"
