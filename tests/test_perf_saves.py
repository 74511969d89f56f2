"""Concurrent filings through the real command: everything saved, codes unique and gap-free per
year, a failed filing hands its number back (issue 12, "Concurrency figures to keep"; the timing
itself is in the benchmark, not here)."""

from __future__ import annotations

import threading
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


def test_twenty_writers_file_everything_with_gap_free_codes(db):
    clerks = [user(db, "clerk1"), user(db, "clerk2")]
    year = datetime.now(SH).year
    before = numbers(db, year)
    saved, errors = [], []
    per_thread = 6

    def worker(i: int) -> None:
        clerk = clerks[i % 2]
        try:
            for _ in range(per_thread):
                saved.append(complaints.file_complaint(db, clerk, intake(db, clerk.scope.id)))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors[:3]
    assert len(saved) == 20 * per_thread
    codes = [s["code"] for s in saved]
    assert len(set(codes)) == len(codes)
    for s in saved:  # every acknowledged filing is in the database under its code
        assert db.one("complaints/row", {"id": s["id"]})["code"] == s["code"]
    after = numbers(db, year)
    assert after == list(range(1, len(after) + 1))  # gap-free from 1, the earlier ones included
    assert len(after) == len(before) + len(saved)


def test_a_failed_filing_hands_its_number_to_the_next(db, monkeypatch):
    clerk = user(db, "clerk1")
    received = datetime(2026, 5, 1, 9, tzinfo=SH)
    first = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received))["code"]
    real_insert = steps.insert

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")  # a failure after the number was allocated

    monkeypatch.setattr(steps, "insert", broken)
    with pytest.raises(RuntimeError):
        complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received))
    monkeypatch.setattr(steps, "insert", real_insert)
    second = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received))["code"]
    third = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received))["code"]
    assert [int(c[-6:]) for c in (first, second, third)] == [int(first[-6:]) + k for k in range(3)]


def test_a_refused_form_takes_no_number(db):
    clerk = user(db, "clerk1")
    received = datetime(2026, 6, 1, 9, tzinfo=SH)
    a = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received))["code"]
    with pytest.raises(ValidationFailed):
        complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received, complainant_name=" "))
    b = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received))["code"]
    assert int(b[-6:]) == int(a[-6:]) + 1


def test_a_number_taken_by_a_killed_filing_is_handed_back_when_the_database_opens(db_path):
    """A process killed between taking a number (its own short transaction) and committing the
    complaint leaves the number taken and unused: the next opening of the file hands it back, so
    the next filing takes it and the year's codes stay gap-free."""
    from csm.db import open_database

    year = datetime.now(SH).year
    first = open_database(db_path)
    before = numbers(first, year)
    lost = steps.allocate_code(first, year)  # the number of a filing whose process then died
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
