"""A tiny, safe condition language for form rules and position gates.

``knee > 110``, ``torso_incline < 45 and hip_line >= 150``, ``rom < 0.6 * ...`` is *not*
supported on purpose: a condition is comparisons of a name with a number (or another
name), joined by ``and`` / ``or`` (``and`` binds tighter). Unknown names are reported
when the catalogue is loaded, not when a user is mid-set.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from typing import Callable, Mapping

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_TOKEN = re.compile(r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<op><=|>=|<|>)|(?P<name>[A-Za-z_][A-Za-z0-9_]*))")


class ConditionError(ValueError):
    """A condition string that cannot be parsed."""


@dataclass(frozen=True)
class Comparison:
    left: str | float
    op: str
    right: str | float

    def names(self) -> set[str]:
        return {x for x in (self.left, self.right) if isinstance(x, str)}


@dataclass(frozen=True)
class Condition:
    """Disjunction of conjunctions of comparisons; NaN operands make a comparison false."""

    text: str
    clauses: tuple[tuple[Comparison, ...], ...]

    def names(self) -> set[str]:
        return {n for clause in self.clauses for c in clause for n in c.names()}

    def measured(self, values: Mapping[str, float]) -> bool:
        """Whether every signal it names has a value (not NaN) in ``values``."""
        for n in self.names():
            v = _value(values, n)
            if v is None or v != v:
                return False
        return True

    def __call__(self, values: Mapping[str, float]) -> bool:
        for clause in self.clauses:
            ok = True
            for c in clause:
                a = _value(values, c.left) if isinstance(c.left, str) else c.left
                b = _value(values, c.right) if isinstance(c.right, str) else c.right
                if a is None or b is None or a != a or b != b or not _OPS[c.op](a, b):
                    ok = False
                    break
            if ok:
                return True
        return False


def _value(values: Mapping[str, float], name: str) -> float | None:
    """A name's value; ``NAME_span`` is ``NAME_max - NAME_min`` wherever both are known (how
    far a signal swung over the rep: a torso held still in a row vs one standing up)."""
    if name in values or not name.endswith("_span"):
        return values.get(name, math.nan)
    hi, lo = values.get(name[:-5] + "_max"), values.get(name[:-5] + "_min")
    return math.nan if hi is None or lo is None else hi - lo


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionError(f"cannot read {text[pos:]!r} in condition {text!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def parse_condition(text: str) -> Condition:
    """Parse ``"a < 3 and b >= c or d > 1"``; raises ConditionError with a reason."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("a condition must be a non-empty string like 'knee > 110'")
    toks = _tokens(text)
    clauses: list[tuple[Comparison, ...]] = []
    current: list[Comparison] = []
    i = 0
    while True:
        if i + 3 > len(toks):
            raise ConditionError(f"expected 'name < number' in condition {text!r}")
        (k1, v1), (k2, v2), (k3, v3) = toks[i:i + 3]
        if k2 != "op" or k1 == "op" or k3 == "op" or v1 in ("and", "or") or v3 in ("and", "or"):
            raise ConditionError(f"expected 'name < number' in condition {text!r}")
        left: str | float = float(v1) if k1 == "num" else v1
        right: str | float = float(v3) if k3 == "num" else v3
        if not isinstance(left, str) and not isinstance(right, str):
            raise ConditionError(f"a comparison needs a signal name in condition {text!r}")
        current.append(Comparison(left, v2, right))
        i += 3
        if i == len(toks):
            break
        kind, word = toks[i]
        if word not in ("and", "or"):
            raise ConditionError(f"expected 'and' or 'or' before {word!r} in condition {text!r}")
        if word == "or":
            clauses.append(tuple(current))
            current = []
        i += 1
    clauses.append(tuple(current))
    return Condition(text=text.strip(), clauses=tuple(clauses))
