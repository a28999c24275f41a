"""`deepfit-coach analyze VIDEO`: count reps and check form in a recorded video."""

from __future__ import annotations

import json
import sys

import click

from deepfit_coach.cli.common import (IMAGE_SUFFIXES, VIDEO_SUFFIXES, check_output, check_pose_options,
                                      load_poses_with_bar, pose_options, poses_cache_option, rotate_option)
from deepfit_coach.coach.visibility import upside_down
from deepfit_coach.errors import collected_warnings
from deepfit_coach.outfile import written_whole
from deepfit_coach.rotation import UPSIDE_DOWN_TURNED, main_confidence, sideways_hint, upright


@click.command()
@click.argument("video")
@click.option("-e", "--exercise", default=None, help="Count this exercise (name or alias); default: recognise it.")
@click.option("--exercises", "extra", type=click.Path(dir_okay=False), default=None,
              help="YAML file with custom exercises (same format as the built-in catalogue).")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object on stdout.")
@click.option("--annotate", type=click.Path(dir_okay=False), default=None,
              help="Write a copy of the video with skeleton, count and cues drawn.")
@click.option("--plot", type=click.Path(dir_okay=False), default=None,
              help="Write a PNG of the counting signal with thresholds and counted reps.")
@click.option("--mirror", is_flag=True,
              help="The video is mirrored (a selfie recording): left and right are swapped back.")
@rotate_option()
@poses_cache_option
@pose_options
def analyze(video: str, exercise: str | None, extra: str | None, as_json: bool, annotate: str | None,
            plot: str | None, mirror: bool, rotate: str | None, pose_cache: str | None, pose_model: str | None,
            variant: str, pose_fallback: float | None, pose_recover: bool | None, alone: bool) -> None:
    """Count the reps and check the form in VIDEO (a file, or replay:poses.jsonl).

    With --exercise that exercise is counted over the whole clip; without it the
    classifier finds the exercises and each segment is counted.
    """
    from deepfit_coach.analysis import analyze_poses
    from deepfit_coach.exercises import load_catalogue

    check_pose_options(pose_fallback, pose_recover)
    catalogue = load_catalogue(extra)
    if exercise is not None:
        catalogue.get(exercise)  # unknown names fail before the slow part
    # and so do paths that cannot be written, or would overwrite what is read
    reads = (video, extra)
    if annotate:
        check_output(annotate, reads=reads, suffixes=VIDEO_SUFFIXES, option="--annotate")
    if plot:
        check_output(plot, reads=reads, suffixes=IMAGE_SUFFIXES, option="--plot")
    if pose_cache:
        check_output(pose_cache, reads=reads, option="--poses")
    with collected_warnings() as warnings:
        poses = load_poses_with_bar(video, pose_cache, enabled=sys.stderr.isatty() and not as_json,
                                    pose_model=pose_model, variant=variant, pose_fallback=pose_fallback,
                                    pose_recover=pose_recover, alone=alone)
    if mirror:   # the cache keeps the pose model's own reading: one cache for either way of seeing the video
        poses = poses.mapped(lambda s: s.sides_swapped())
    poses, turns, turned = upright(poses, rotate)
    result = analyze_poses(poses, exercise, catalogue, record=bool(plot or annotate))
    sideways = None
    if rotate is None and not turned:
        def count(turned_poses) -> tuple[int, str | None, float]:
            r = analyze_poses(turned_poses, exercise, catalogue)
            return r.total_reps, r.exercise, main_confidence(r)
        sideways = sideways_hint(poses, result.total_reps, count, main_confidence(result))
    # the result first: a file that cannot be written then loses nothing of it
    if as_json:
        data = _with_units(result.to_json(), result, catalogue)
        if turned:
            warnings.append(UPSIDE_DOWN_TURNED)
        elif upside_down(poses.skeletons):
            warnings.append(upside_down_advice(rotate))
        if sideways:
            warnings.append(sideways)
        if lost := lost_note(result, poses):
            warnings.append(lost)
        data["warnings"] = warnings     # what stderr said, for a script that reads stdout only
        click.echo(json.dumps(data))
    else:
        _print_summary(result, catalogue, poses, turned, sideways, rotate)
    if plot:
        from deepfit_coach.report_plots import plot_signal

        with written_whole(plot, "the plot") as part:
            plot_signal(result, part)
        click.echo(f"wrote {plot}", err=True)
    if annotate:
        from deepfit_coach.annotate import annotate_video

        with written_whole(annotate, "the annotated video") as part:
            annotate_video(video, poses, result, part, turns=turns)
        click.echo(f"wrote {annotate}", err=True)


def _with_units(data: dict, result, catalogue) -> dict:
    """Each segment's ``rom_unit``: what its reps' ``rom_deg`` is measured in ("°", or body lengths such as
    "× shin" for a squat counted on the hips' height), the way that set was counted."""
    from deepfit_coach.exercises.rom import spec_rom_unit

    for seg, out in zip(result.segments, data["segments"]):
        spec = catalogue.find(seg.exercise)
        out["rom_unit"] = spec_rom_unit(spec, seg.signal).strip() if spec is not None else None
    return data


# no rep counted: say why when the person (or a part the exercise needs) was out of view this often
OUT_OF_VIEW_SAY = 0.5
SHORT_CLIP_S = 3.0       # shorter and nothing found: too short a clip to recognise a set in
NOT_FOUND = ("Film from 2-4 metres away with your whole body in view and the room well lit; a person small in "
             "the picture is found more often with --pose-fallback 0.2.")
# nobody found this long before a set's first counted rep or after its last, this share of the video in all:
# the count may be short without a word (a person small in the picture found only after 9.5 s, 3 of 6 reps)
LOST_SAY_S = 4.0
LOST_SHARE = 0.3
UNSEEN_MID_SET_S = 1.5   # out of view this long between two counted reps: said under the set's table


def upside_down_advice(rotate: str | None) -> str:
    """The person still reads upside down as counted (``--rotate`` as given, "0" keeping it as stored): the
    turn that would make them upright."""
    turn = (int(rotate or 0) + 180) % 360
    fix = f"--rotate {turn}" if turn else "leave out --rotate"
    how = "stored" if not rotate or rotate == "0" else f"turned {rotate} degrees"
    return (f"You look upside down in this video as {how}: it may be stored rotated (a phone held upside down, or "
            f"a rotation a messaging app dropped), and what follows may be wrong. Count it turned upright: {fix}.")


def lost_note(result, poses) -> str | None:
    """Nobody found for long before the first counted rep or after the last (LOST_SAY_S, LOST_SHARE of the
    video in all): reps done then are missing from the count, and the count should say why."""
    from deepfit_coach.coach.visibility import unseen_stretches

    reps = sorted((r for seg in result.segments for r in seg.reps), key=lambda r: r.start_s)
    if not reps or not poses.times:
        return None
    t0, t1 = poses.times[0], poses.times[-1]
    lost = [(a, b) for a, b, _ in unseen_stretches(poses.skeletons, poses.times, t0, t1, min_s=LOST_SAY_S)
            if b <= reps[0].start_s + 0.5 or a >= reps[-1].end_s - 0.5]
    seconds = t1 - t0 + 1.0 / poses.fps
    total = sum(b - a for a, b in lost)
    if not lost or total < LOST_SHARE * seconds:
        return None
    spans = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b in lost)
    return (f"I could not find anyone {spans} ({total / seconds:.0%} of the video): if you exercised then, those "
            f"reps are not in the count. {NOT_FOUND}")


def _say_unseen(console, seg, spec, poses) -> None:
    """A person who stepped out between two reps of a set: the reps done out of view are not
    in the count, and the count should not just come out short without a word."""
    from deepfit_coach.coach.visibility import describe_missing, unseen_stretches

    reps = sorted(seg.reps, key=lambda r: r.start_s)
    for a, b, parts in unseen_stretches(poses.skeletons, poses.times, reps[0].end_s, reps[-1].start_s,
                                        spec.required, min_s=UNSEEN_MID_SET_S):
        before = [r for r in reps if r.end_s <= a]
        where = f", between reps {before[-1].index} and {before[-1].index + 1}" if before else ""
        console.print(f"[yellow]I could not see {describe_missing(parts)} {a:.1f}-{b:.1f} s{where}: reps done then "
                      f"were not counted.[/]")


def _hidden_arm(spec, poses, seg) -> tuple[str, str] | None:
    """(the arm hidden behind the body, the other, still one) over the segment, for an exercise
    worked with an arm (``coach.visibility.hidden_arm``); None otherwise."""
    from deepfit_coach.coach.visibility import hidden_arm

    if "{side}_arm" not in spec.required:
        return None
    arm = hidden_arm(poses.skeletons, poses.times, seg.start_s, seg.end_s)
    return None if arm is None else (arm, "left" if arm == "right" else "right")


def _print_summary(result, catalogue, poses, turned: bool = False, sideways: str | None = None,
                   rotate: str | None = None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from deepfit_coach.coach.visibility import describe_missing, out_of_view, poor_view, view_of

    from deepfit_coach.exercises.rom import fmt_rom, spec_rom_unit

    console = Console()
    console.print(f"[bold]{escape(result.video)}[/]  {result.frames} frames at {result.fps:.1f} fps, "
                  f"person found in {result.pose_detected_ratio:.0%}")
    flipped = upside_down(poses.skeletons)
    if turned:
        console.print(f"[yellow]{UPSIDE_DOWN_TURNED}[/]")
    elif flipped:   # the exercise below is then read from an upside-down body: sit-ups, most often
        console.print(f"[yellow]{upside_down_advice(rotate)}[/]")
    if sideways:    # and what follows is read from a body lying in the picture
        console.print(f"[yellow]{escape(sideways)}[/]")
    if not result.segments or result.total_reps == 0 and not any(s.partial for s in result.segments):
        console.print("no reps counted")
        seconds = poses.times[-1] - poses.times[0] + 1.0 / poses.fps if poses.times else 0.0
        if not result.segments and seconds < SHORT_CLIP_S:
            console.print(f"[yellow]The video is only {seconds:.1f} s long: film the whole set, from a few "
                          f"seconds before the first rep to after the last.[/]")
        elif not result.segments and result.pose_detected_ratio < OUT_OF_VIEW_SAY:
            console.print(f"[yellow]I could not find a person in most of the video. {NOT_FOUND}[/]")
    for seg in result.segments:
        start, end = seg.span
        title = f"{seg.exercise}  {start:.1f}-{end:.1f} s: {len(seg.reps)} reps ({len(seg.partial)} partial)"
        spec = catalogue.find(seg.exercise)
        if seg.reps or seg.partial:
            table = Table(title=title)
            for col in ("#", "start", "end", "side", "range", "down", "up", "issues"):
                table.add_column(col)
            unit = spec_rom_unit(spec, seg.signal) if spec is not None else None   # the way the set was counted
            # partial reps too, in time order: a rep too short to count still gets its cues
            for r in sorted(seg.reps + seg.partial, key=lambda r: r.start_s):
                table.add_row("partial" if r.partial else str(r.index), f"{r.start_s:.1f}", f"{r.end_s:.1f}", r.side,
                              fmt_rom(seg.exercise, r.rom_deg, unit), f"{r.down_s:.1f}",
                              f"{r.up_s:.1f}", ", ".join(r.issues))
            console.print(table)
        else:
            console.print(f"[bold]{escape(title)}[/]")   # no empty table
        if not seg.reps and spec is not None:
            share, parts = out_of_view(poses.skeletons, poses.times, seg.start_s, seg.end_s, spec.required)
            if any(r.lone for r in seg.partial):
                console.print("[yellow]A single rep on its own is not counted: a set is two reps or more (one "
                              "rep-like movement is most often setting up or a stretch).[/]")
            elif share >= OUT_OF_VIEW_SAY and parts == ["body"]:   # nobody found: no view helps, distance may
                console.print(f"[yellow]No {spec.display_name.lower()} counted: I could not find you in {share:.0%} "
                              f"of the frames. {NOT_FOUND}[/]")
            elif share >= OUT_OF_VIEW_SAY:
                console.print(f"[yellow]No {spec.display_name.lower()} counted: I could not see "
                              f"{describe_missing(parts)} in {share:.0%} of the frames. {spec.camera_advice}[/]")
            elif arms := _hidden_arm(spec, poses, seg):
                arm, other = arms
                console.print(f"[yellow]No {spec.display_name.lower()} counted: your {arm} arm was hidden behind "
                              f"your body and your {other} arm stayed still. If you worked with your {arm} arm, "
                              f"turn so that it is nearer the camera.[/]")
            elif result.mode == "auto" and not flipped and not sideways:
                # the classifier named a set that no counter could count: it may have named the wrong exercise
                console.print(f"[yellow]This looked like {spec.display_name.lower()} ({seg.confidence:.0%} sure), but "
                              f"I counted no rep. If you did another exercise, name it: deepfit-coach analyze "
                              f"{escape(result.video)} --exercise NAME (deepfit-coach exercises lists the names).[/]")
        elif spec is not None and (arms := _hidden_arm(spec, poses, seg)):
            # counted from the pose model's guesses at an arm it could not see (tricep extensions side-on)
            arm, other = arms
            console.print(f"[yellow]Your {arm} arm was hidden behind your body and your {other} arm stayed still: "
                          f"the count may be off. If you worked with your {arm} arm, turn so that it is nearer "
                          f"the camera.[/]")
        if seg.reps and spec is not None:
            _say_unseen(console, seg, spec, poses)
        ratio = view_of(poses.skeletons, poses.times, seg.start_s, seg.end_s) if spec is not None else None
        if ratio is not None and poor_view(spec.poor_views, ratio):
            console.print(f"[yellow]Filmed from an angle {spec.display_name.lower()} are counted badly from: "
                          f"the count may be off. {spec.camera_advice}[/]")
    if lost := lost_note(result, poses):
        console.print(f"[yellow]{escape(lost)}[/]")
