"""How far an import is, as one fraction 0..1 of the whole run (issue 11: progress while parsing
and applying). The mechanism reports progress(phase, done, total) while it reads the file
("read"), types the cells ("check"), lets the target judge the rows ("plan") and writes them
("save"); each phase fills its share of the bar. A target's apply (or plan) that accepts a
`progress` argument is handed a callable taking the fraction of its own work done (0..1) — the
contract of csm/importing/target.py is unchanged for a target that does not."""

from __future__ import annotations

import inspect

PHASES: dict[str, tuple[float, float]] = {"read": (0.0, 0.15), "check": (0.15, 0.35), "plan": (0.35, 0.5),
                                          "save": (0.5, 1.0)}


def fraction(phase: str, done: int, total: int) -> float:
    """The whole run's fraction done when `phase` has done `done` of `total`."""
    lo, hi = PHASES[phase]
    share = min(max(done / total, 0.0), 1.0) if total else 1.0
    return lo + (hi - lo) * share


def takes_progress(fn) -> bool:
    """Whether a target's method accepts a `progress` keyword (the optional hook)."""
    try:
        return "progress" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def of_phase(progress, phase: str, total: int):
    """A fraction callback for a target's work, reported as `phase` rows done of `total`."""
    return lambda share: progress(phase, round(min(max(float(share), 0.0), 1.0) * total), total)
