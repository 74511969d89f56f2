"""Typed dates: taken exactly as typed or refused with the field named — never moved to another day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from csm import dates
from csm.errors import UserError, ValidationFailed

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(("typed", "expected"), [
    ("2026-03-05", date(2026, 3, 5)),
    ("2026/3/5", date(2026, 3, 5)),
    ("2026.03.05", date(2026, 3, 5)),
    ("2026年3月5日", date(2026, 3, 5)),
    ("20260305", date(2026, 3, 5)),
    (" 2026-11-20 ", TODAY),
    ("2024-02-29", date(2024, 2, 29)),
])
def test_past_date_taken_as_typed(typed, expected):
    assert dates.past_date(typed, "received_date", TODAY) == expected


@pytest.mark.parametrize(("typed", "key"), [
    ("2026-02-30", "date.error.no_such_day"),
    ("2025-02-29", "date.error.no_such_day"),
    ("2026-13-01", "date.error.no_such_day"),
    ("2026-00-10", "date.error.no_such_day"),
    ("1900-01-01", "date.error.too_early"),
    ("2021-11-19", "date.error.too_early"),  # more than 5 years back
    ("2026-11-21", "date.error.too_late"),   # tomorrow, for something that has happened
    ("2027-06-01", "date.error.too_late"),
    ("", "error.required"),
    ("   ", "error.required"),
    ("abc", "date.error.format"),
    ("5/3/2026", "date.error.format"),
    ("2026-3", "date.error.format"),
])
def test_past_date_refused_with_the_field_named(typed, key):
    with pytest.raises(UserError) as exc:
        dates.past_date(typed, "received_date", TODAY)
    assert exc.value.key == key and exc.value.field == "received_date"
    assert exc.value.message().startswith("受理日期: ")


def test_messages_say_what_was_typed_and_the_limit():
    with pytest.raises(UserError) as exc:
        dates.past_date("2026-02-30", "received_date", TODAY)
    assert exc.value.message() == "受理日期: 没有 2026-02-30 这一天"
    with pytest.raises(UserError) as exc:
        dates.past_date("1900-01-01", "moved_in_on", TODAY)
    assert exc.value.message() == "入住日期: 1900-01-01 太早，不能早于 2021-11-20"


def test_planned_date_may_be_ahead_but_not_absurdly():
    assert dates.planned_date("2026-12-20", "survey_action_deadline", TODAY) == date(2026, 12, 20)
    assert dates.planned_date("2026-11-01", "survey_action_deadline", TODAY) == date(2026, 11, 1)
    with pytest.raises(UserError) as exc:
        dates.planned_date("2099-01-01", "survey_action_deadline", TODAY)
    assert exc.value.key == "date.error.too_late"


@pytest.mark.parametrize(("typed", "expected"), [("09:30", time(9, 30)), ("9:05", time(9, 5)),
                                                 ("23:59", time(23, 59)), ("08：15", time(8, 15))])
def test_time_taken_as_typed(typed, expected):
    assert dates.parse_time(typed, "received_time") == expected


@pytest.mark.parametrize("typed", ["24:00", "12:60", "930", "noon", ""])
def test_time_refused(typed):
    with pytest.raises(UserError) as exc:
        dates.parse_time(typed, "received_time")
    assert exc.value.field == "received_time"


def test_past_moment_refuses_a_later_hour_today():
    now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    at = dates.past_moment("2026-11-20", "09:59", "received_date", "received_time", "Asia/Shanghai", now)
    assert at == datetime(2026, 11, 20, 1, 59, tzinfo=UTC)
    assert dates.past_moment("2026-11-20", "10:00", "received_date", "received_time", "Asia/Shanghai", now)
    with pytest.raises(UserError) as exc:
        dates.past_moment("2026-11-20", "10:01", "received_date", "received_time", "Asia/Shanghai", now)
    assert exc.value.field == "received_time" and exc.value.key == "date.error.time_future"
    with pytest.raises(UserError) as exc:  # the local day is the company's, not UTC's
        dates.past_moment("2026-11-21", "00:10", "received_date", "received_time", "Asia/Shanghai", now)
    assert exc.value.key == "date.error.too_late"


def test_period_end_not_before_start_and_both_problems_at_once():
    assert dates.period("2026-12-01", "2026-12-31", "survey_starts_on", "survey_ends_on", TODAY) == (
        date(2026, 12, 1), date(2026, 12, 31))
    with pytest.raises(UserError) as exc:
        dates.period("2026-12-31", "2026-12-01", "survey_starts_on", "survey_ends_on", TODAY)
    assert exc.value.message() == "结束日期: 不能早于开始日期 2026-12-31"
    with pytest.raises(ValidationFailed) as many:
        dates.period("2026-02-30", "x", "survey_starts_on", "survey_ends_on", TODAY)
    assert [p.field for p in many.value.problems] == ["survey_starts_on", "survey_ends_on"]


def test_years_allowed_comes_from_settings(db):
    assert dates.years_allowed(db) == 5
    db.transaction(lambda tx: tx.cur.execute("UPDATE settings SET value = '2' WHERE key = 'dates.max_years'"))
    assert dates.years_allowed(db) == 2
