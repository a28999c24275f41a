"""Progression rules: a plan can ask for more reps (or seconds) once the last session went well.

YAML form (on a block; on a circuit/superset block it applies to each of its exercises,
judged exercise by exercise; under ``defaults:`` it applies to every block)::

    blocks:
      - exercise: squats
        sets: 3
        reps: 10
        progression:
          add_reps: 2            # or add_seconds: 5 for a timed block (duration:)
          when: all_sets_clean   # all_sets_clean (default) | all_sets_complete
          max_reps: 20           # optional cap (max_seconds for timed blocks)
          sessions: 1            # optional: qualifying sessions in a row needed (default 1)

- ``all_sets_complete``: every planned set of the block was done and reached its target.
- ``all_sets_clean``: the same, and no form issue fired in any of those sets.

How targets move: the starting point is the target used the last time the block was
trained (saved in the history), so progress carries over between sessions; if the plan
file's own value was edited since, the plan file wins and progression restarts from it.
A session that never reached the block is skipped. ``apply_progression`` is pure: it
takes the plan's blocks and the plan's past sessions and returns the new targets and a
sentence to say for each change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from deepfit_coach.history.records import PlannedBlock, SessionRecord, SetRecord

WHEN_VALUES = ("all_sets_clean", "all_sets_complete")
RULE_KEYS = ("add_reps", "add_seconds", "when", "max_reps", "max_seconds", "sessions")

PROGRESSION_SCHEMA: dict = {
    "type": "object",
    "description": "Raise this block's target after a good session.",
    "properties": {
        "add_reps": {"type": "integer", "minimum": 1, "description": "reps added per set"},
        "add_seconds": {"type": "number", "exclusiveMinimum": 0, "description": "seconds added (timed blocks)"},
        "when": {"enum": list(WHEN_VALUES), "default": "all_sets_clean"},
        "max_reps": {"type": "integer", "minimum": 1},
        "max_seconds": {"type": "number", "exclusiveMinimum": 0},
        "sessions": {"type": "integer", "minimum": 1, "default": 1},
    },
    "additionalProperties": False,
}


class ProgressionRuleError(ValueError):
    """An invalid ``progression:`` mapping; ``key`` names the offending key (or None); ``problems``: every
    (message, key) found, so a plan's check reports them all at once, not one per run."""

    def __init__(self, message: str, key: str | None = None,
                 problems: list[tuple[str, str | None]] | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.problems = problems or [(message, key)]


@dataclass(frozen=True)
class ProgressionRule:
    add_reps: int = 0
    add_seconds: float = 0.0
    when: str = "all_sets_clean"
    max_reps: int | None = None
    max_seconds: float | None = None
    sessions: int = 1

    @classmethod
    def from_dict(cls, data: Any) -> "ProgressionRule":
        """Validate the YAML mapping; raises ProgressionRuleError with a friendly message."""
        if isinstance(data, ProgressionRule):
            return data
        if not isinstance(data, Mapping):
            from deepfit_coach.yamlfile import type_name

            raise ProgressionRuleError(f"progression must be a mapping like {{add_reps: 2, when: all_sets_clean}},"
                                       f" got {type_name(data)}")
        problems: list[tuple[str, str | None]] = []
        for key in data:
            if key not in RULE_KEYS:
                import difflib

                close = difflib.get_close_matches(str(key), RULE_KEYS, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else f"; expected one of {', '.join(RULE_KEYS)}"
                problems.append((f"unknown progression key '{key}'{hint}", str(key)))

        def integer(key: str, minimum: int) -> int | None:
            value = data.get(key)
            if value is None:
                return None
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                problems.append((f"progression {key} must be a whole number ≥ {minimum}, got {value!r}", key))
                return None
            return value

        def positive(key: str) -> float | None:
            value = data.get(key)
            if value is None:
                return None
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                problems.append((f"progression {key} must be a number of seconds > 0, got {value!r}", key))
                return None
            return float(value)

        add_reps, add_seconds = integer("add_reps", 1), positive("add_seconds")
        if (add_reps is None and add_seconds is None and not problems   # an unknown key may be a misspelt add_reps
                and not any(k in data for k in ("add_reps", "add_seconds"))):
            problems.append(("progression needs add_reps (or add_seconds for a timed block)", None))
        when = data.get("when", "all_sets_clean")
        if when not in WHEN_VALUES:
            problems.append((f"progression when must be one of {', '.join(WHEN_VALUES)}, got {when!r}", "when"))
        max_reps, max_seconds, sessions = integer("max_reps", 1), positive("max_seconds"), integer("sessions", 1)
        if problems:
            raise ProgressionRuleError(problems[0][0], problems[0][1], problems)
        return cls(add_reps=add_reps or 0, add_seconds=add_seconds or 0.0, when=when,
                   max_reps=max_reps, max_seconds=max_seconds, sessions=sessions or 1)


@dataclass
class ProgressionBlock:
    """What progression needs to know about one (block, exercise) of the plan being started."""

    block_index: int
    exercise: str
    sets: int
    reps: int | None
    seconds: float | None
    rule: ProgressionRule | None
    display_name: str | None = None


@dataclass
class NewTarget:
    """The target to use today for one (block, exercise)."""

    block_index: int
    exercise: str
    reps: int | None
    seconds: float | None
    base_reps: int | None       # the plan file's own value (save it as PlannedBlock.base_reps)
    base_seconds: float | None
    changed: bool               # raised today
    reason: str                 # why (for logs and `validate`), also when unchanged


def blocks_from_plan(items: Iterable[Any], rules: Mapping[Any, Any] | None = None) -> list[ProgressionBlock]:
    """One ProgressionBlock per (block, exercise) from planned sets, blocks or dicts.

    Each item may be a mapping or an object with ``block_index``, ``exercise``,
    ``sets``/``sets_total``, ``reps``, ``seconds``/``duration_s`` and optionally
    ``progression`` and ``display_name``. ``rules`` may give rules by block index or by
    ``(block_index, exercise)`` instead.
    """
    out: dict[tuple[int, str], ProgressionBlock] = {}
    for item in items:
        bi, exercise = int(_get(item, "block_index")), str(_get(item, "exercise"))
        if (bi, exercise) in out:
            continue
        raw = _get(item, "progression", "rule")
        if rules is not None:
            raw = rules.get((bi, exercise), rules.get(bi, raw))
        out[(bi, exercise)] = ProgressionBlock(
            block_index=bi, exercise=exercise, sets=int(_get(item, "sets", "sets_total") or 1),
            reps=_get(item, "reps"), seconds=_get(item, "seconds", "duration_s"),
            rule=ProgressionRule.from_dict(raw) if raw is not None else None,
            display_name=_get(item, "display_name"))
    return list(out.values())


def apply_progression(plan_blocks: Iterable[Any], history_for_plan: Iterable[SessionRecord]
                      ) -> tuple[dict[tuple[int, str], NewTarget], list[str]]:
    """Targets for today and the sentences to say about the changes.

    ``plan_blocks``: ProgressionBlock (or anything ``blocks_from_plan`` accepts);
    ``history_for_plan``: past sessions of this plan with their sets, any order
    (``HistoryStore.plan_history(plan.name)``). Blocks without a rule get their plan
    value back unchanged. Returns ``({(block_index, exercise): NewTarget}, messages)``.
    """
    items = list(plan_blocks)
    blocks = items if all(isinstance(b, ProgressionBlock) for b in items) else blocks_from_plan(items)
    sessions = sorted(history_for_plan, key=lambda s: (s.started_at, s.id))
    targets: dict[tuple[int, str], NewTarget] = {}
    messages: list[str] = []
    for block in blocks:
        target, message = _progress_block(block, sessions)
        targets[(block.block_index, block.exercise)] = target
        if message:
            messages.append(message)
    return targets, messages


def retarget_sets(planned_sets: Iterable[Any], targets: Mapping[tuple[int, str], NewTarget]) -> list[Any]:
    """The plan's sets with today's targets (``dataclasses.replace``: PlannedSet is frozen): raised
    today or carried over from an earlier raise (``changed`` only says which, for the intro) - a
    carried target left out trained the plan file's value again while the history saved the raised one."""
    out = []
    for s in planned_sets:
        t = targets.get((s.block_index, s.exercise))
        if t is not None and (t.reps, t.seconds) != (s.reps, s.duration_s):
            s = dataclasses.replace(s, reps=t.reps, duration_s=t.seconds)
        out.append(s)
    return out


def planned_blocks(planned_sets: Iterable[Any], targets: Mapping[tuple[int, str], NewTarget] | None = None
                   ) -> list[PlannedBlock]:
    """What to save with the session (``start_session(planned=...)``).

    ``reps``/``seconds`` are today's targets and ``base_*`` the plan file's own values.
    Pass the *original* planned sets (before ``retarget_sets``) with the targets, or the
    next session will take the raised value for an edit of the plan and start over.
    """
    out: dict[tuple[int, str], PlannedBlock] = {}
    for s in planned_sets:
        key = (int(_get(s, "block_index")), str(_get(s, "exercise")))
        if key in out:
            continue
        reps, seconds = _get(s, "reps"), _get(s, "seconds", "duration_s")
        t = (targets or {}).get(key)
        out[key] = PlannedBlock(block_index=key[0], exercise=key[1], sets=int(_get(s, "sets_total", "sets") or 1),
                                reps=t.reps if t else reps, seconds=t.seconds if t else seconds,
                                base_reps=reps, base_seconds=seconds)
    return list(out.values())


def progress_plan(plan: Any, history_for_plan: Iterable[SessionRecord],
                  rules: Mapping[Any, Any] | None = None) -> tuple[Any, list[str], list[PlannedBlock]]:
    """All of it for ``start``: (plan with today's targets, sentences to say, blocks to save).

    ``plan`` has ``.sets`` (PlannedSet-like); rules come from ``rules`` (by block index or
    ``(block_index, exercise)``) or from each set's ``progression`` attribute.
    """
    blocks = blocks_from_plan(plan.sets, rules)
    targets, messages = apply_progression(blocks, history_for_plan)
    saved = planned_blocks(plan.sets, targets)
    return dataclasses.replace(plan, sets=retarget_sets(plan.sets, targets)), messages, saved


def _progress_block(block: ProgressionBlock, sessions: list[SessionRecord]) -> tuple[NewTarget, str | None]:
    timed = block.reps is None and block.seconds is not None
    plan_value = block.seconds if timed else block.reps

    def result(value: float | int | None, changed: bool, reason: str) -> NewTarget:
        return NewTarget(block.block_index, block.exercise, reps=None if timed else value,  # type: ignore[arg-type]
                         seconds=value if timed else None, base_reps=block.reps, base_seconds=block.seconds,
                         changed=changed, reason=reason)

    rule = block.rule
    if rule is None or plan_value is None:
        return result(plan_value, False, "no progression rule"), None
    step = rule.add_seconds if timed else rule.add_reps
    if not step:
        unit = "add_seconds" if timed else "add_reps"
        return result(plan_value, False, f"no {unit} for a {'timed' if timed else 'rep'} block"), None

    trained = [(s, sets) for s in sessions if (sets := _block_sets(s, block))]
    if not trained:
        return result(plan_value, False, "first time with this block"), None
    last_session, last_sets = trained[-1]
    last_target = _target_of(last_sets, timed)
    if last_target is None or _plan_edited(last_session, block, timed, plan_value):
        return result(plan_value, False, "plan value changed since last time: starting from the plan"), None

    recent = trained[-rule.sessions:]
    if len(recent) < rule.sessions:
        return result(last_target, False, f"needs {rule.sessions} good sessions in a row"), None
    for session, sets in recent:
        if _target_of(sets, timed) != last_target or not _qualifies(session, sets, block, rule.when):
            what = "clean" if rule.when == "all_sets_clean" else "complete"
            return result(last_target, False, f"not every set was {what} last time"), None

    cap = rule.max_seconds if timed else rule.max_reps
    new_value = last_target + step
    if cap is not None:
        new_value = min(new_value, cap)
    if new_value <= last_target:
        return result(last_target, False, "at the progression cap"), None
    if not timed:
        new_value = int(new_value)
    name = block.display_name or block.exercise.replace("_", " ")
    amount = f"{_fmt(new_value)} seconds" if timed else f"{new_value} reps"
    if rule.when == "all_sets_clean":
        lead = f"Last time you nailed {name}" if rule.sessions == 1 else \
            f"{rule.sessions} clean sessions of {name} in a row"
    else:
        lead = f"You completed every set of {name} last time" if rule.sessions == 1 else \
            f"{rule.sessions} complete sessions of {name} in a row"
    reason = f"{rule.when} at {_fmt(last_target)}"
    return result(new_value, True, reason), f"{lead}: {amount} per set today."


def _block_sets(session: SessionRecord, block: ProgressionBlock) -> list[SetRecord]:
    return [s for s in session.sets if s.block_index == block.block_index and s.exercise == block.exercise]


def _target_of(sets: list[SetRecord], timed: bool) -> float | int | None:
    values = [s.target_seconds if timed else s.target_reps for s in sets]
    values = [v for v in values if v is not None]
    return max(values) if values else None


def _plan_edited(session: SessionRecord, block: ProgressionBlock, timed: bool, plan_value: float | int) -> bool:
    for planned in session.planned:
        if planned.block_index == block.block_index and planned.exercise == block.exercise:
            base = planned.base_seconds if timed else planned.base_reps
            return base is not None and base != plan_value
    return False  # older sessions without the plan saved: trust their targets


def _qualifies(session: SessionRecord, sets: list[SetRecord], block: ProgressionBlock, when: str) -> bool:
    planned_sets = next((p.sets for p in session.planned
                         if p.block_index == block.block_index and p.exercise == block.exercise), block.sets)
    finished = [s for s in sets if s.finished]
    if len({s.set_number for s in finished}) < max(1, planned_sets):
        return False
    if not all(s.complete for s in finished):
        return False
    if when == "all_sets_clean":
        return all(s.clean for s in finished)
    return True


def _get(item: Any, *names: str) -> Any:
    for name in names:
        if isinstance(item, Mapping):
            if name in item:
                return item[name]
        elif hasattr(item, name):
            return getattr(item, name)
    return None


def _fmt(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
