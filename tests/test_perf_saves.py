"""Complaint numbers: a refused form takes none, a number an earlier version's killed process left
unused is handed back when the database opens (issue 12, "Concurrency figures to keep"; concurrent
filings and the group commit: tests/test_group_commit.py; the timing itself is in the benchmark)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from csm import complaints
from csm.complaints import steps
from csm.errors import ValidationFailed
from tests.test_complaints import intake, user

SH = ZoneInfo("Asia/Shanghai")


def numbers(db, year: int) -> list[int]:
    cur = db.cursor()
    try:
        rows = cur.execute("SELECT code FROM complaints WHERE code LIKE ?", [f"TS-{year}-%"]).fetchall()
    finally:
        cur.close()
    return sorted(int(code[-6:]) for (code,) in rows)


def test_a_refused_form_takes_no_number(db):
    clerk = user(db, "clerk1")
    received = datetime(2026, 6, 1, 9, tzinfo=SH)
    a = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received))["code"]
    with pytest.raises(ValidationFailed):
        complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received, complainant_name=" "))
    b = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received))["code"]
    assert int(b[-6:]) == int(a[-6:]) + 1


def test_a_number_taken_by_a_killed_filing_is_handed_back_when_the_database_opens(db_path):
    """A process of the earlier version killed between taking a number (a short transaction of
    its own then) and committing the complaint left the number taken and unused: the next opening
    of the file hands it back, so the next filing takes it and the year's codes stay gap-free.
    (Filings now take their numbers inside their own transaction: tests/test_group_commit.py.)"""
    from csm.db import open_database

    year = datetime.now(SH).year
    first = open_database(db_path)
    before = numbers(first, year)
    # the number of a filing whose process then died
    lost = first.transaction(lambda tx: steps.take_numbers(tx, year, 1))[0]
    first.close()

    again = open_database(db_path)
    try:
        clerk = user(again, "clerk1")
        saved = complaints.file_complaint(again, clerk, intake(again, clerk.scope.id))
        assert saved["code"] == steps.format_code(year, lost)
        after = numbers(again, year)
        assert after == list(range(1, len(after) + 1)) and len(after) == len(before) + 1
    finally:
        again.close()
