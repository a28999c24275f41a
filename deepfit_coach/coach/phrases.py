"""The coach's words, in one place so they stay short, consistent and testable."""

from __future__ import annotations

from deepfit_coach.coach.events import Priority, Utterance
from deepfit_coach.plan import Plan, PlannedSet

NUMBER_WORDS = {2: "two", 3: "three", 5: "five"}


def _u(text: str, priority: Priority, t_s: float, key: str | None = None, max_age_s: float | None = None) -> Utterance:
    return Utterance(text=text, priority=priority, key=key, max_age_s=max_age_s, t_s=t_s)


def seconds(n: float) -> str:
    n = int(round(n))
    if n >= 60 and n % 60 == 0:
        m = n // 60
        return f"{m} minute" + ("s" if m > 1 else "")
    if n > 60:
        return f"{n // 60} minute{'s' if n >= 120 else ''} {n % 60} second{'s' if n % 60 != 1 else ''}"
    return f"{n} second" + ("s" if n != 1 else "")


def amount(s: PlannedSet) -> str:
    return seconds(s.duration_s or 0) if s.timed else f"{s.reps} reps"


def intro(plan: Plan, t_s: float) -> Utterance:
    names = []
    for s in plan.sets:
        if s.display_name not in names:
            names.append(s.display_name)
    minutes = max(1, round(plan.estimated_minutes()))
    listing = ", ".join(names[:-1]) + (f" and {names[-1]}" if len(names) > 1 else names[0])
    return _u(f"Welcome to {plan.name}. Today: {listing}. About {minutes} minute{'s' if minutes != 1 else ''}.",
              Priority.CHATTER, t_s)


def announce(s: PlannedSet, t_s: float, with_advice: bool = True) -> Utterance:
    if s.circuit:
        head = f"{s.display_name}, {amount(s)}" + (f". Round {s.set_number} of {s.sets_total}" if s.first_of_block else "")
    else:
        head = f"{s.display_name}: {s.sets_total} set{'s' if s.sets_total > 1 else ''} of {amount(s)}"
    advice = f" {s.camera_advice.strip()}" if with_advice and s.camera_advice.strip() else ""
    return _u(f"{head}.{advice}", Priority.CHATTER, t_s, max_age_s=15.0)


def position_hint(missing_words: str, t_s: float) -> Utterance:
    if missing_words == "you":
        return _u("I can't see you. Step into the frame.", Priority.SAFETY, t_s, key="position", max_age_s=4.0)
    return _u(f"I can't see {missing_words}. Step back so I can see them.", Priority.SAFETY, t_s,
              key="position", max_age_s=4.0)


def no_reps_seen(s: PlannedSet, t_s: float, hidden_arm: str | None = None) -> Utterance:
    """In view for a while, yet no rep counted: the camera likely cannot see the working limb
    (side-on, a far arm's movement is hidden behind the body; ``hidden_arm``: the arm it could
    not see while the other stayed still)."""
    if hidden_arm:
        return _u(f"I haven't counted a rep yet, and I can't see your {hidden_arm} arm. If it's your working arm, "
                  f"turn so that it is nearer the camera.", Priority.SAFETY, t_s, key="position", max_age_s=6.0)
    advice = s.camera_advice.strip() or "Make sure I can see the whole movement."
    return _u(f"I haven't counted a rep yet. {advice}", Priority.SAFETY, t_s, key="position", max_age_s=6.0)


def wrong_view(s: PlannedSet, t_s: float) -> Utterance:
    advice = s.camera_advice.strip() or "Try another angle to the camera."
    return _u(f"I can't count {s.display_name.lower()} well from this angle. {advice}", Priority.SAFETY, t_s,
              key="position", max_age_s=6.0)


def countdown(n: int, t_s: float) -> Utterance:
    return _u("Go!" if n == 0 else str(n), Priority.COUNT, t_s, key="countdown", max_age_s=1.0)


def set_start(s: PlannedSet, t_s: float) -> Utterance:
    """Straight after a rest: the exercise is named (after a rest that announced a new one, a bare
    "Set 1. Go!" left the person to remember which)."""
    what = f"round {s.set_number}" if s.circuit else f"set {s.set_number}"
    return _u(f"{s.display_name}, {what}. Go!", Priority.COUNT, t_s, key="countdown", max_age_s=2.0)


def early_start(t_s: float) -> Utterance:
    return _u("You've started - I'm counting.", Priority.COUNT, t_s, key="countdown", max_age_s=1.5)


def rep(count: int, target: int | None, counts: bool, encouragement: bool, t_s: float) -> Utterance | None:
    words = [str(count)] if counts else []
    if encouragement and target is not None and target >= 4:
        left = target - count
        if left == 2:
            words.append("two more")
        elif left == 1:
            words.append("last one")
    if not words:
        return None
    return _u(", ".join(words), Priority.COUNT, t_s, key="count", max_age_s=2.0)


def form(cue: str, severity: str, t_s: float) -> Utterance:
    p = Priority.SAFETY if severity == "safety" else Priority.TIP
    return _u(cue, p, t_s, key=f"form:{cue}", max_age_s=2.5)


def tempo_tip(text: str, t_s: float) -> Utterance:
    return _u(text, Priority.TIP, t_s, key="tempo", max_age_s=2.5)


def keep_going(left: int, t_s: float) -> Utterance:
    """A set stopped short of its target for a while: how many are left (the set ends by itself
    a while later if no more come)."""
    more = "One more" if left == 1 else f"{left} more"
    return _u(f"{more} to finish the set. You can do it!", Priority.TIP, t_s, key="nudge", max_age_s=4.0)


def planned_reminder(s: PlannedSet, t_s: float) -> Utterance:
    """No rep counted after "you seem to be doing X": the camera is not the problem, the exercise is."""
    name = s.display_name.lower()
    return _u(f"This set is {name}. I'll count when you do {name}.", Priority.TIP, t_s, key="position",
              max_age_s=6.0)


def mismatch(seen: str, planned: str, t_s: float) -> Utterance:
    return _u(f"You seem to be doing {seen}, not {planned}. I'll count {planned} only.",
              Priority.TIP, t_s, key="mismatch", max_age_s=4.0)


def out_of_view(t_s: float, timed: bool = False) -> Utterance:
    """In a timed set the clock stops while the person is away: say so, or the set seems to
    last longer than planned."""
    text = "Step back into view. The clock is paused." if timed else "Step back into view."
    return _u(text, Priority.SAFETY, t_s, key="position", max_age_s=3.0)


def back_in_view(t_s: float, seconds_left: float | None = None) -> Utterance:
    text = "Welcome back."
    if seconds_left is not None and seconds_left >= 1:
        text += f" {seconds(round(seconds_left))} left."
    return _u(text, Priority.CHATTER, t_s, key="position", max_age_s=2.0)


def time_left(n: int, t_s: float) -> Utterance:
    return _u(f"{seconds(n)} left", Priority.COUNT, t_s, key="timer", max_age_s=1.5)


def set_complete(s: PlannedSet, reps: int, t_s: float, said: int | None = None, why: str = "") -> Utterance:
    """``said``: the last count said aloud, when the set's review came to another count
    (the saved one): the person hears the number that goes into their history. ``why``: the coach
    ended the set ("stalled": no rep for a long while; "other exercise": another was done), said so."""
    if why == "other exercise":
        return _u(f"That wasn't {s.display_name.lower()}, so I've ended this set.", Priority.CHATTER, t_s,
                  max_age_s=6.0)
    if why == "stalled":
        return _u(f"No more reps for a while, so that's the set: {reps} rep{'s' if reps != 1 else ''}.",
                  Priority.CHATTER, t_s, max_age_s=6.0)
    if s.timed:
        text = f"Time! {reps} {s.display_name.lower()}." if reps else "Time!"
    else:
        text = "Set complete." if reps >= (s.reps or 0) else f"Set done: {reps} rep{'s' if reps != 1 else ''}."
    if said is not None and said > 0:
        text += f" I make that {reps}, not {said}." if reps else f" None of those {said} were full reps."
    return _u(text, Priority.CHATTER, t_s, max_age_s=6.0)


def short_on_review(count: int, missing: int, t_s: float) -> Utterance:
    """The target was reached live, but the set's review counts fewer full reps."""
    more = "one more" if missing == 1 else f"{missing} more"
    return _u(f"I make that {count} full reps: {more}!", Priority.COUNT, t_s, key="count", max_age_s=4.0)


def rest(seconds_: float, next_set: PlannedSet | None, new_exercise: bool, t_s: float) -> Utterance:
    text = f"Rest {seconds(seconds_)}."
    if next_set is not None:
        if new_exercise:
            text += f" Next: {next_set.display_name}, {amount(next_set)}."
            if next_set.camera_advice.strip() and not (next_set.circuit and next_set.set_number > 1):
                text += f" {next_set.camera_advice.strip()}"
        else:
            what = "round" if next_set.circuit else "set"
            text += f" Next: {what} {next_set.set_number} of {next_set.sets_total}."
    return _u(text, Priority.CHATTER, t_s, max_age_s=10.0)


def rest_tick(n: int, t_s: float) -> Utterance:
    return _u(f"{seconds(n)}" if n >= 5 else str(n), Priority.COUNT, t_s, key="rest", max_age_s=1.2)


def paused(t_s: float) -> Utterance:
    return _u("Paused. Press space to continue.", Priority.SAFETY, t_s, max_age_s=3.0)


def resumed(t_s: float) -> Utterance:
    return _u("Let's continue.", Priority.SAFETY, t_s, max_age_s=3.0)


def summary(total_reps: int, minutes: float, completed: bool, t_s: float) -> Utterance:
    if completed:
        m = round(minutes)
        took = f"{m} minute{'s' if m != 1 else ''}" if m >= 1 else seconds(max(1, round(minutes * 60)))
        text = f"Workout complete. {total_reps} reps in {took}. Great work!"
    else:
        text = f"Workout stopped. You did {total_reps} reps. See you next time."
    return _u(text, Priority.CHATTER, t_s)
