"""A clip filmed too close to count its exercise says why (``analyze``'s summary): stored
pose-model output of rendered upper-body clips (phone propped close, legs and hips out of
the picture; benchmarks/robustness.py upper_curls and upper_press, first 14 s at 15 fps)."""

from __future__ import annotations

from click.testing import CliRunner

import stored_poses
from deepfit_coach.cli import cli
from deepfit_coach.coach.visibility import describe_missing, out_of_view
from deepfit_coach.exercises import load_catalogue
from deepfit_coach.posefile import PoseWriter

DATA = "upper_body_poses.npz"


def _replay_file(tmp_path, name: str, keep=lambda i: True):
    sk, ts = stored_poses.clip(stored_poses.load(DATA), name)
    path = tmp_path / f"{name}.poses.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        w = PoseWriter(f, name, stored_poses.FPS)
        for k, (s, t) in enumerate(zip(sk, ts)):
            w.write(int(round(t * 1000)), k, s if keep(k) else None)
    return path


def test_legs_out_of_the_picture_are_named_when_nothing_is_counted(tmp_path):
    press = _replay_file(tmp_path, "press")
    out = CliRunner().invoke(cli, ["analyze", f"replay:{press}", "-e", "squats"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "No squats counted: I could not see your legs" in out.output
    assert "whole body in view" in out.output       # the exercise's own camera advice
    # --json stays the one object
    out = CliRunner().invoke(cli, ["analyze", f"replay:{press}", "-e", "squats", "--json"])
    assert out.output.strip().startswith("{") and "could not see" not in out.output


def test_nothing_is_said_when_the_parts_were_in_view():
    cat = load_catalogue()
    poses = stored_poses.poses(stored_poses.load(DATA), "curls")
    share, parts = out_of_view(poses.skeletons, poses.times, 0.0, 99.0, cat.get("squats").required)
    assert share > 0.9 and parts == ["knee"] and describe_missing(parts) == "your legs"
    share, parts = out_of_view(poses.skeletons, poses.times, 0.0, 99.0, ("{side}_arm",))
    assert share < 0.1 and parts == []


def test_a_video_without_a_person_says_so(tmp_path):
    empty = _replay_file(tmp_path, "press", keep=lambda i: i < 10)
    out = CliRunner().invoke(cli, ["analyze", f"replay:{empty}"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "no reps counted" in out.output and "could not find a person in most of the video" in out.output


def test_stepping_out_mid_set_is_said_under_the_count(tmp_path):
    """Six squats (stored pose-model output, camera 20 deg down); the person is gone from 9.0 to
    11.2 s, the third rep: five are counted, and the summary says where the sixth went."""
    path = _replay_squats(tmp_path, keep=lambda t: not 9.0 <= t < 11.2)
    out = CliRunner().invoke(cli, ["analyze", f"replay:{path}", "-e", "squats"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "5 reps" in out.output
    line = next(ln for ln in out.output.splitlines() if "could not see" in ln)
    assert line.startswith("I could not see you 9.0-11.2 s, between reps 2 and 3: reps done then were not counted")
    # the whole clip, the person in view throughout: nothing said (nor before the first rep, nor after the last)
    whole = _replay_squats(tmp_path, keep=lambda t: True)
    out = CliRunner().invoke(cli, ["analyze", f"replay:{whole}", "-e", "squats"], env={"COLUMNS": "200"})
    assert "6 reps" in out.output and "could not see" not in out.output
    late = _replay_squats(tmp_path, keep=lambda t: t < 19.0)      # walked off after the last rep
    out = CliRunner().invoke(cli, ["analyze", f"replay:{late}", "-e", "squats"], env={"COLUMNS": "200"})
    assert "could not see" not in out.output


def test_a_person_found_late_says_the_count_may_be_short(tmp_path):
    """Nobody found for the first 9.5 s of a set (a person small in the picture): 3 of 6 reps and no word."""
    import json

    late = _replay_squats(tmp_path, keep=lambda t: t >= 9.0)
    out = CliRunner().invoke(cli, ["analyze", f"replay:{late}", "-e", "squats"], env={"COLUMNS": "300"})
    assert "I could not find anyone 0.0-9.0 s (" in out.output
    assert "if you exercised then, those reps are not in the count. Film from 2-4 metres away" in out.output
    assert "--pose-fallback 0.2" in out.output
    res = json.loads(CliRunner().invoke(cli, ["analyze", f"replay:{late}", "--json"]).stdout)
    assert res["total_reps"] < 6 and any(w.startswith("I could not find anyone 0.0-9.0 s") for w in res["warnings"])
    # found throughout: nothing said
    whole = json.loads(CliRunner().invoke(cli, ["analyze", f"replay:{_replay_squats(tmp_path)}", "--json"]).stdout)
    assert whole["warnings"] == []
    # nobody found at all, counting squats: not the camera angle's advice but the distance's
    gone = _replay_squats(tmp_path, keep=lambda t: t < 1.0)
    out = CliRunner().invoke(cli, ["analyze", f"replay:{gone}", "-e", "squats"], env={"COLUMNS": "300"})
    assert "No squats counted: I could not find you in" in out.output and "Film from 2-4 metres away" in out.output
    assert "Stand at 45 degrees" not in out.output


def _replay_squats(tmp_path, keep=lambda t: True, span=(0.0, 99.0), turn=lambda s: s):
    """Six squats; frames outside ``span`` cut out (a shorter clip), those ``keep`` refuses without a person."""
    sk, ts = stored_poses.clip(stored_poses.load("squats_pitch_poses.npz"), "squats_front_p20")
    sk = [None if s is None else turn(s) for s in sk]
    path = tmp_path / f"sq{len(list(tmp_path.iterdir()))}.poses.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        w = PoseWriter(f, "sq", stored_poses.FPS)
        kept = [(s, t) for s, t in zip(sk, ts) if span[0] <= t < span[1]]
        for k, (s, t) in enumerate(kept):
            w.write(int(round((t - kept[0][1]) * 1000)), k, s if keep(t) else None)
    return path


def test_a_single_rep_and_a_clip_too_short_say_why_nothing_was_counted(tmp_path):
    one = _replay_squats(tmp_path, span=(3.0, 7.0))      # the first squat alone
    out = CliRunner().invoke(cli, ["analyze", f"replay:{one}", "-e", "squats"], env={"COLUMNS": "200"})
    assert "0 reps (1 partial)" in out.output
    assert "A single rep on its own is not counted: a set is two reps or more" in out.output
    two = _replay_squats(tmp_path, span=(3.0, 9.0))
    out = CliRunner().invoke(cli, ["analyze", f"replay:{two}", "-e", "squats"], env={"COLUMNS": "200"})
    assert "2 reps" in out.output and "single rep" not in out.output
    short = _replay_squats(tmp_path, span=(4.0, 5.5))
    out = CliRunner().invoke(cli, ["analyze", f"replay:{short}"], env={"COLUMNS": "200"})
    assert "no reps counted" in out.output and "The video is only 1.5 s long: film the whole set" in out.output


def _upside_down(s):
    """The pose model's landmarks of an upside-down picture of the same squat (it finds people upside down)."""
    import dataclasses

    img = s.image.copy()
    img[:, 0], img[:, 1] = 1.0 - img[:, 0], 1.0 - img[:, 1]
    world = s.world.copy()
    world[:, :2] *= -1.0
    return dataclasses.replace(s, image=img, world=world)


def test_an_upside_down_video_is_counted_turned_upright(tmp_path):
    """It was read as 5 sit-ups (or 0 reps and 'this looked like sit-ups') without a word on the picture; then
    the picture was named and the user sent to ffmpeg. Now it is counted upright, and said so."""
    import json

    flipped = _replay_squats(tmp_path, turn=_upside_down)
    out = CliRunner().invoke(cli, ["analyze", f"replay:{flipped}"], env={"COLUMNS": "200"})
    assert "You look upside down in this video (a phone held upside down, or a rotation the file lost): I turned it " \
           "upright (--rotate 0 keeps it as stored)." in out.output
    assert "squats" in out.output and "6 reps" in out.output and "This looked like" not in out.output
    res = json.loads(CliRunner().invoke(cli, ["analyze", f"replay:{flipped}", "--json"]).stdout)
    assert (res["exercise"], res["total_reps"]) == ("squats", 6) and "I turned it upright" in res["warnings"][0]
    # as stored, when asked: said, and what to do
    out = CliRunner().invoke(cli, ["analyze", f"replay:{flipped}", "--rotate", "0"], env={"COLUMNS": "300"})
    assert "You look upside down in this video as stored: it may be stored rotated" in out.output
    assert "Count it turned upright: --rotate 180." in out.output and "This looked like" not in out.output
    out = CliRunner().invoke(cli, ["analyze", f"replay:{_replay_squats(tmp_path)}"], env={"COLUMNS": "200"})
    assert "6 reps" in out.output and "upside down" not in out.output
    # an upright video turned by mistake: the advice is to leave the turn out
    out = CliRunner().invoke(cli, ["analyze", f"replay:{_replay_squats(tmp_path)}", "--rotate", "180"],
                             env={"COLUMNS": "300"})
    assert "You look upside down in this video as turned 180 degrees" in out.output
    assert "Count it turned upright: leave out --rotate." in out.output


def test_start_turns_an_upside_down_camera_upright(tmp_path):
    """A phone on its stand the wrong way up: the coach counted nothing all set long."""
    flipped = _replay_squats(tmp_path, turn=_upside_down)
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: Flipped\nblocks:\n  - {exercise: squats, sets: 1, reps: 6}\n")
    args = ["start", str(plan), "--source", f"replay:{flipped}", "--voice", "none", "--speed", "0", "--dashboard",
            "log", "--no-history"]
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 0, out.output
    assert "The camera's picture is upside down: I turned it upright (--rotate 0 keeps it as it comes)." in out.output
    assert "summary: 6 reps, 1 set" in out.output
    out = CliRunner().invoke(cli, args + ["--rotate", "0"])
    assert "upside down" not in out.output and "summary: 0 reps" in out.output
    out = CliRunner().invoke(cli, args[:3] + [f"replay:{_replay_squats(tmp_path)}"] + args[4:])
    assert "upside down" not in out.output and "summary: 6 reps, 1 set" in out.output
    assert "lying in the camera's picture" not in out.output
    # a camera on its side is not turned (lying is what push-ups look like) but said, with the options that fix it
    sideways = _replay_squats(tmp_path, turn=lambda s: s.rotated(1))
    out = CliRunner().invoke(cli, args[:3] + [f"replay:{sideways}"] + args[4:])
    assert "You are lying in the camera's picture: if the camera is on its side, start again with --rotate 90 or " \
           "--rotate 270" in out.output
    out = CliRunner().invoke(cli, args[:3] + [f"replay:{sideways}"] + args[4:] + ["--rotate", "270"])
    assert "lying" not in out.output and "summary: 6 reps, 1 set" in out.output


def test_a_sideways_video_says_which_turn_counts_it(tmp_path):
    """A video stored a quarter turn off: the person lies in the picture and nothing counts (nor is it turned by
    itself: lying is what sit-ups and push-ups look like); the turn that counts a set is named, and counts it."""
    import json

    for stored, fix in ((1, "270"), (3, "90")):
        sideways = _replay_squats(tmp_path, turn=lambda s: s.rotated(stored))
        res = json.loads(CliRunner().invoke(cli, ["analyze", f"replay:{sideways}", "--json"]).stdout)
        assert res["total_reps"] == 0
        assert res["warnings"] == [f"Nothing counted as the video is stored, but turned {fix} degrees clockwise it "
                                   f"counts 6 squats: it may be stored sideways. Count it so with --rotate {fix}."]
        res = json.loads(CliRunner().invoke(cli, ["analyze", f"replay:{sideways}", "--json", "--rotate", fix]).stdout)
        assert (res["exercise"], res["total_reps"], res["warnings"]) == ("squats", 6, [])
    # a clip that counts as stored is not tried turned
    res = json.loads(CliRunner().invoke(cli, ["analyze", f"replay:{_replay_squats(tmp_path)}", "--json"]).stdout)
    assert res["total_reps"] == 6 and res["warnings"] == []


def test_a_mirrored_video_names_the_working_arm_with_mirror(tmp_path):
    """A selfie recording: the pose model reads the mirrored picture, and every rep's side was the other arm."""
    import json

    from deepfit_coach.training.augment import mirror, mirror_world

    sk, ts = stored_poses.clip(stored_poses.load("alternating_curls_poses.npz"), "curls_side")

    def write(name, turn):
        path = tmp_path / f"{name}.poses.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            w = PoseWriter(f, name, stored_poses.FPS)
            for k, (s, t) in enumerate(zip(sk, ts)):
                w.write(int(round(t * 1000)), k, None if s is None else turn(s))
        return path

    import dataclasses

    plain = write("plain", lambda s: s)
    selfie = write("selfie", lambda s: dataclasses.replace(s, image=mirror(s.image), world=mirror_world(s.world)))

    def sides(path, *extra):
        out = CliRunner().invoke(cli, ["analyze", f"replay:{path}", "-e", "curls", "--json", *extra])
        return [r["side"] for seg in json.loads(out.output)["segments"] for r in seg["rep_details"]]

    truth = sides(plain)
    assert len(truth) >= 4 and {"left", "right"} <= set(truth)
    swapped = {"left": "right", "right": "left", "both": "both"}
    assert sides(selfie) == [swapped[s] for s in truth]          # as the mirrored picture shows them
    assert sides(selfie, "--mirror") == truth


def test_a_frame_without_anybody_does_not_turn_missing_legs_into_missing_you():
    from deepfit_coach.coach.visibility import unseen_stretches

    sk, ts = stored_poses.clip(stored_poses.load(DATA), "press")      # head to hips: the legs out of the picture
    sk = list(sk)
    sk[len(sk) // 2] = None                                              # one frame the pose model missed
    stretches = unseen_stretches(sk, ts, 0.0, 99.0, load_catalogue().get("squats").required)
    assert len(stretches) == 1 and "knee" in stretches[0][2] and "body" not in stretches[0][2]
    sk = [None] * len(sk)
    assert unseen_stretches(sk, ts, 0.0, 99.0, ("torso",))[0][2] == ["body"]
