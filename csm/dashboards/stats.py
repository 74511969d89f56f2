"""Statistics the indicators need: the Wilson score interval and a significance test against a median."""

from __future__ import annotations

from math import sqrt

Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The 95% Wilson score interval of a rate k/n (None when n is 0): honest for small n and
    for rates near 0% or 100%, where the normal interval falls outside [0, 1]."""
    if not n:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def differs(k: int, n: int, reference: float | None) -> int:
    """+1 / -1 when the reference rate lies outside the Wilson interval of k/n (above / below it),
    0 when the difference may be noise or nothing is known."""
    interval = wilson(k, n)
    if interval is None or reference is None:
        return 0
    low, high = interval
    if reference < low:
        return 1
    if reference > high:
        return -1
    return 0
