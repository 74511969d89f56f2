"""A foreign helpdesk's export for the import tests (issue 11): English headers, its own category
and department names, known hours to close per department — written as a real CSV file, with
the mapping a user would save for that system."""

from __future__ import annotations

import csv
import random
import statistics
from datetime import datetime, timedelta
from pathlib import Path

DEPTS = {"Engineering": "ENG", "Security": "SEC", "Cleaning": "CLN"}
DEPT_NAMES = {"Engineering": "工程部", "Security": "秩序维护部", "Cleaning": "保洁部"}
CATS = {"PLUMBING": "ENG-WATER", "LIGHTS": "ENG-LIGHT", "NOISE": "SVC-SEC", "DIRTY": "SVC-CLN"}
HEADER = ["Ticket ID", "Site", "Type", "Dept", "Caller", "Details", "Opened At", "Closed At"]


def helpdesk_export(path: Path, n: int, seed: int = 11, year: int = 2023, encoding: str = "utf-8",
                    open_every: int = 0) -> dict[str, list[float]]:
    """Write n tickets of `year` to path; return the hours to close per department as the file
    has them. Every `open_every`-th ticket (0: none) has no close time (still open in the file)."""
    rnd = random.Random(seed)
    hours: dict[str, list[float]] = {}
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(n):
            opened = datetime(year, 2, 1, 8) + timedelta(hours=rnd.randint(0, 24 * 200))
            dept = rnd.choice(list(DEPTS))
            closed = opened + timedelta(minutes=rnd.randint(30, 60 * 24 * 9))
            still_open = bool(open_every) and i % open_every == 0
            w.writerow([f"WO-{i:05d}", "P001" if i % 3 else "P002", rnd.choice(list(CATS)), dept, f"Caller {i}",
                        "leak" if i % 2 else "noise", opened.strftime("%Y-%m-%d %H:%M"),
                        "" if still_open else closed.strftime("%Y-%m-%d %H:%M")])
            if not still_open:
                hours.setdefault(dept, []).append((closed - opened).total_seconds() / 3600)
    return hours


def medians(hours: dict[str, list[float]]) -> dict[str, float]:
    """Department (its name in the product) -> the median hours to close, straight from the file."""
    return {DEPT_NAMES[d]: statistics.median(v) for d, v in hours.items()}


def map_values(mapping) -> None:
    """What the user picks once in the value mapping for this system (then saves)."""
    mapping.values["category"] = dict(CATS)
    mapping.values["department"] = dict(DEPTS)
