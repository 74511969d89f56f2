"""The SLA clock with concrete cases (Asia/Shanghai) and properties."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from csm import sla
from csm.sla import Limits, WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar(tz="Asia/Shanghai", use_chinese_holidays=False)      # Mon–Fri 09:00–18:00
CN = WorkCalendar(tz="Asia/Shanghai", use_chinese_holidays=True)        # + holidays and 调休
URGENT = Limits(10, 24, 48)
NORMAL = Limits(10, 24, 168)


def sh(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def test_urgent_friday_17_calendar_time_due_sunday_17():
    due = sla.due_times(sh(2026, 11, 20, 17), URGENT, None)   # 2026-11-20 is a Friday
    assert due.resolve_due_at == sh(2026, 11, 22, 17)
    assert due.forward_due_at == sh(2026, 11, 20, 17, 10)
    assert due.first_response_due_at == sh(2026, 11, 21, 17)


def test_urgent_friday_17_working_calendar_due_tuesday_17():
    due = sla.due_times(sh(2026, 11, 20, 17), URGENT, CAL)
    assert due.resolve_due_at == sh(2026, 11, 24, 17)
    assert due.forward_due_at == sh(2026, 11, 20, 17, 10)
    assert due.first_response_due_at == sh(2026, 11, 23, 17)   # 1 working day


def test_normal_limit_is_seven_working_days():
    assert sla.due_times(sh(2026, 11, 16, 10), NORMAL, CAL).resolve_due_at == sh(2026, 11, 25, 10)


def test_received_outside_hours_starts_at_next_working_start():
    assert sla.add_limit(sh(2026, 11, 21, 22), 10, CAL) == sh(2026, 11, 23, 9, 10)  # Saturday night
    assert sla.add_limit(sh(2026, 11, 23, 7), 24 * 60, CAL) == sh(2026, 11, 23, 18)


def test_suspension_of_one_day_pushes_due_by_one_day():
    due = sh(2026, 11, 22, 17)
    paused = sla.working_time_between(sh(2026, 11, 20, 17), sh(2026, 11, 21, 17), None)
    assert sla.shift(due, paused, None) == sh(2026, 11, 23, 17)
    # working calendar: suspended Monday 10:00 to Tuesday 10:00 = one working day (9 h)
    due_w = sh(2026, 11, 25, 12)
    paused_w = sla.working_time_between(sh(2026, 11, 23, 10), sh(2026, 11, 24, 10), CAL)
    assert paused_w == timedelta(hours=9)
    assert sla.shift(due_w, paused_w, CAL) == sh(2026, 11, 26, 12)


def test_national_day_skipped_and_makeup_saturday_counts():
    # 2026 National Day holiday 10-01..10-07 (chinese-calendar); received Wed 2026-09-30 17:00 urgent
    due = sla.due_times(sh(2026, 9, 30, 17), URGENT, CN).resolve_due_at
    assert due.date() > date(2026, 10, 7)
    assert all(not CN.is_workday(date(2026, 10, d)) for d in range(1, 8))
    makeup = [d for d in (date(2026, 9, 20), date(2026, 10, 10)) if chinese_is_workday(d)]
    assert makeup, "2026 has a make-up Saturday around National Day"
    assert CN.is_workday(makeup[0]) and makeup[0].isoweekday() in (6, 7)
    # a make-up weekend day counts as working time
    start = datetime.combine(makeup[0], time(9), SH)
    assert sla.add_limit(start, 60, CN) == datetime.combine(makeup[0], time(10), SH)


def chinese_is_workday(d):
    import chinese_calendar

    return chinese_calendar.is_workday(d)


def test_override_holiday_and_workday():
    cal = WorkCalendar(use_chinese_holidays=False, holidays=frozenset({date(2026, 11, 23)}),
                       workdays=frozenset({date(2026, 11, 21)}))
    assert cal.is_workday(date(2026, 11, 21)) and not cal.is_workday(date(2026, 11, 23))
    assert sla.add_limit(sh(2026, 11, 20, 17), 120, cal) == sh(2026, 11, 21, 10)


def test_overdue_rule():
    assert sla.is_overdue(sh(2026, 1, 1, 10), sh(2026, 1, 1, 10, 1))
    assert not sla.is_overdue(sh(2026, 1, 1, 10), sh(2026, 1, 1, 9))
    assert not sla.is_overdue(sh(2026, 1, 1, 10), sh(2026, 1, 2), done_at=sh(2026, 1, 1, 9))
    assert sla.is_overdue(sh(2026, 1, 1, 10), sh(2026, 1, 2), done_at=sh(2026, 1, 1, 11))
    assert sla.next_escalation("project") == "branch_manager"
    assert sla.next_escalation("general_manager") is None


def test_limits_from_settings(db):
    assert sla.limits_for(db, "general", "urgent") == Limits(10, 24, 48)
    assert sla.limits_for(db, None, None) == Limits(10, 24, 168)


def test_calendar_from_database(db):
    # no stored calendar: on by default, with the national holidays (migration 013)
    default = sla.calendar_for_branch(db, 1)
    assert default is not None and default.use_chinese_holidays and default.weekdays == {1, 2, 3, 4, 5}
    db.transaction(lambda tx: tx.cur.execute(
        "INSERT INTO work_calendars (branch_id, enabled) VALUES (1, FALSE)"))
    assert sla.calendar_for_branch(db, 1) is None  # turned off: calendar time
    db.transaction(lambda tx: tx.cur.execute(
        "UPDATE work_calendars SET enabled = TRUE, use_chinese_holidays = FALSE WHERE branch_id = 1"))
    cal = sla.calendar_for_branch(db, 1)
    assert cal is not None and cal.day_minutes == 540
    assert sla.due_times(sh(2026, 11, 20, 17), URGENT, cal).resolve_due_at == sh(2026, 11, 24, 17)


starts = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=SH))
minutes = st.sampled_from([10, 60, 300, 24 * 60, 48 * 60, 168 * 60])


@settings(max_examples=150, deadline=None)
@given(starts, minutes, st.sampled_from([None, CAL, CN]))
def test_due_is_never_before_start(start, mins, cal):
    assert sla.add_limit(start, mins, cal) >= start


@settings(max_examples=150, deadline=None)
@given(starts, st.integers(0, 5000), minutes, st.sampled_from([None, CAL, CN]))
def test_later_start_never_gives_earlier_due(start, delta, mins, cal):
    later = start + timedelta(minutes=delta)
    assert sla.add_limit(later, mins, cal) >= sla.add_limit(start, mins, cal)


@settings(max_examples=150, deadline=None)
@given(starts, st.integers(0, 10_000), st.sampled_from([None, CAL, CN]))
def test_pause_never_makes_due_earlier(due, pause_min, cal):
    assert sla.shift(due, timedelta(minutes=pause_min), cal) >= due


@settings(max_examples=100, deadline=None)
@given(starts, minutes)
def test_calendar_time_is_exact(start, mins):
    assert sla.add_limit(start, mins, None) == start + timedelta(minutes=mins)


@settings(max_examples=100, deadline=None)
@given(starts, st.integers(1, 3000))
def test_working_time_round_trip(start, mins):
    due = sla.add_limit(start, mins, CAL) if mins % 1440 else sla.add_limit(start, mins + 1, CAL)
    counted = sla.working_time_between(start, due, CAL)
    expected = mins if mins % 1440 else mins + 1
    assert counted == timedelta(minutes=expected)
