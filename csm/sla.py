"""The SLA clock: time limits per grade x urgency, due times, pauses, overdue and escalation.

One place for every time-limit rule (DOMAIN.md §2; seed 004: forward 10 min, first response
24 h; seed 002 5.2.3: urgent 2 days, normal 7 days). Without a working calendar limits count
calendar time. With a branch's working calendar they count working time only, and a limit
that is a whole number of days counts WORKING DAYS (1 day = one working day, e.g. 9 h for
09:00-18:00): an urgent complaint received Friday 17:00 is due Tuesday 17:00, not after 48
working hours. Shorter limits (10 minutes, 5 hours) count literal working time. A suspension
pushes due times by the working time it lasted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from csm.actor import DEFAULT_TZ

GRADES = ("general", "important", "major")
URGENCIES = ("normal", "urgent")
ESCALATION_LEVELS = ("project", "branch_manager", "general_manager")
DAY = 24 * 60


@dataclass(frozen=True)
class Limits:
    forward_minutes: int
    first_response_hours: int
    resolve_hours: int


@dataclass(frozen=True)
class DueTimes:
    forward_due_at: datetime
    first_response_due_at: datetime
    resolve_due_at: datetime


@dataclass(frozen=True)
class WorkCalendar:
    tz: str = DEFAULT_TZ
    work_start: time = time(9, 0)
    work_end: time = time(18, 0)
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    use_chinese_holidays: bool = True
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    # window() per day, computed once per calendar (it is immutable): due times walk the same days
    _days: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def day_minutes(self) -> int:
        return (self.work_end.hour * 60 + self.work_end.minute) - (self.work_start.hour * 60 + self.work_start.minute)

    def is_workday(self, d: date) -> bool:
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        if self.use_chinese_holidays:
            try:
                # knows weekends, public holidays and make-up working days (调休) of covered years
                return chinese_calendar.is_workday(d)
            except NotImplementedError:
                pass  # a year the package does not cover yet: weekdays + the entered dates (csm.admin.holidays)
        return d.isoweekday() in self.weekdays

    def window(self, d: date) -> tuple[datetime, datetime] | None:
        try:
            return self._days[d]
        except KeyError:
            pass
        if not self.is_workday(d):
            win = None
        else:
            zone = ZoneInfo(self.tz)
            win = datetime.combine(d, self.work_start, zone), datetime.combine(d, self.work_end, zone)
        if len(self._days) < 20_000:  # a bounded memo (55 years of days)
            self._days[d] = win
        return win


def limits_for(db_or_tx, grade: str | None, urgency: str | None) -> Limits:
    row = db_or_tx.one("sla/limits_get", {"grade": grade or "general", "urgency": urgency or "normal"})
    if row is None:  # settings row deleted: fall back to the documented defaults
        return Limits(10, 24, 48 if urgency == "urgent" else 168)
    return Limits(int(row["forward_minutes"]), int(row["first_response_hours"]), int(row["resolve_hours"]))


def limits_table(db_or_tx) -> dict[tuple[str, str], Limits]:
    """Every grade x urgency's limits at once (a batch of filings); limits_of picks one."""
    return {(r["grade"], r["urgency"]): Limits(int(r["forward_minutes"]), int(r["first_response_hours"]),
                                               int(r["resolve_hours"]))
            for r in db_or_tx.rows("sla/limits_all")}


def limits_of(table: dict[tuple[str, str], Limits], grade: str | None, urgency: str | None) -> Limits:
    """limits_for from a limits_table (the same fallback when the settings row was deleted)."""
    found = table.get((grade or "general", urgency or "normal"))
    return found if found is not None else Limits(10, 24, 48 if urgency == "urgent" else 168)


def calendar_for_branch(db_or_tx, branch_id: int | None) -> WorkCalendar | None:
    """The branch's working calendar; None = calendar time (the administrator turned it off).
    A branch without a stored calendar (a new branch, the demo) has the default one: 09:00-18:00,
    Monday-Friday, the national holidays (migration 013)."""
    if branch_id is None:
        return None
    row = db_or_tx.one("sla/work_calendar_get", {"branch_id": branch_id})
    if row is not None and not row["enabled"]:
        return None
    tz = db_or_tx.value("core/setting_get", {"key": "timezone"}) or DEFAULT_TZ
    overrides = db_or_tx.rows("sla/calendar_overrides_for_branch", {"branch_id": branch_id})
    return _calendar_of(tz, row, overrides)


def calendars_for_branches(db_or_tx, branch_ids) -> dict[int, WorkCalendar | None]:
    """calendar_for_branch of several branches in three statements (a batch of filings)."""
    ids = sorted({int(b) for b in branch_ids if b is not None})
    if not ids:
        return {}
    rows = {r["branch_id"]: r for r in db_or_tx.rows("sla/work_calendars_for_branches", {"branch_ids": ids})}
    tz = db_or_tx.value("core/setting_get", {"key": "timezone"}) or DEFAULT_TZ
    overrides = db_or_tx.rows("sla/calendar_overrides_for_branches", {"branch_ids": ids})
    out: dict[int, WorkCalendar | None] = {}
    for b in ids:
        row = rows.get(b)
        if row is not None and not row["enabled"]:
            out[b] = None
        else:
            out[b] = _calendar_of(tz, row, [o for o in overrides if o["branch_id"] is None or o["branch_id"] == b])
    return out


def _calendar_of(tz: str, row: dict | None, overrides) -> WorkCalendar:
    if row is None:
        row = {"work_start": WorkCalendar.work_start, "work_end": WorkCalendar.work_end,
               "weekdays": "1,2,3,4,5", "use_chinese_holidays": True}
    return _calendar(tz, row["work_start"], row["work_end"],
                     frozenset(int(x) for x in str(row["weekdays"]).split(",") if x.strip()),
                     bool(row["use_chinese_holidays"]),
                     frozenset(o["day"] for o in overrides if o["kind"] == "holiday"),
                     frozenset(o["day"] for o in overrides if o["kind"] == "workday"))


@lru_cache(maxsize=256)
def _calendar(tz, work_start, work_end, weekdays, use_chinese_holidays, holidays, workdays) -> WorkCalendar:
    """One WorkCalendar per distinct definition, so that its memo of days serves every filing."""
    return WorkCalendar(tz=tz, work_start=work_start, work_end=work_end, weekdays=weekdays,
                        use_chinese_holidays=use_chinese_holidays, holidays=holidays, workdays=workdays)


def _add_working(start: datetime, minutes: float, cal: WorkCalendar) -> datetime:
    """start + `minutes` of working time, walking day by day (never minute by minute)."""
    zone = ZoneInfo(cal.tz)
    t = start.astimezone(zone)
    remaining = timedelta(minutes=minutes)
    if remaining <= timedelta(0):
        return start
    for _ in range(3660):  # ten years of days: a calendar with no working day is refused below
        win = cal.window(t.date())
        if win is not None:
            begin, end = max(t, win[0]), win[1]
            if begin < end:
                available = end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        t = datetime.combine(t.date() + timedelta(days=1), time(0), zone)
    raise ValueError("working calendar has no working days")


def add_limit(start: datetime, minutes: int, calendar: WorkCalendar | None) -> datetime:
    """The due time of a limit of `minutes` starting at `start` (whole days = working days)."""
    if calendar is None:
        return start + timedelta(minutes=minutes)
    if minutes and minutes % DAY == 0:
        return _add_working(start, minutes // DAY * calendar.day_minutes, calendar)
    return _add_working(start, minutes, calendar)


def working_time_between(a: datetime, b: datetime, calendar: WorkCalendar | None) -> timedelta:
    """Counted time from a to b: all of it in calendar time, the working part otherwise."""
    if b <= a:
        return timedelta(0)
    if calendar is None:
        return b - a
    zone = ZoneInfo(calendar.tz)
    total = timedelta(0)
    d = a.astimezone(zone).date()
    last = b.astimezone(zone).date()
    while d <= last:
        win = calendar.window(d)
        if win is not None:
            lo, hi = max(a, win[0]), min(b, win[1])
            if hi > lo:
                total += hi - lo
        d += timedelta(days=1)
    return total


def shift(due: datetime | None, paused: timedelta, calendar: WorkCalendar | None) -> datetime | None:
    """A due time pushed back by counted paused time (the clock stops while suspended)."""
    if due is None or paused <= timedelta(0):
        return due
    if calendar is None:
        return due + paused
    return _add_working(due, paused.total_seconds() / 60, calendar)


def due_times(received_at: datetime, limits: Limits, calendar: WorkCalendar | None) -> DueTimes:
    return DueTimes(
        forward_due_at=add_limit(received_at, limits.forward_minutes, calendar),
        first_response_due_at=add_limit(received_at, limits.first_response_hours * 60, calendar),
        resolve_due_at=add_limit(received_at, limits.resolve_hours * 60, calendar),
    )


def is_overdue(due_at: datetime | None, now: datetime, done_at: datetime | None = None) -> bool:
    """Overdue = the due time has passed and the step was not done by it.
    Same rule as the SQL macro `overdue(due_at, done_at, now)` (migration 003)."""
    if due_at is None:
        return False
    if done_at is not None:
        return done_at > due_at
    return now > due_at


def next_escalation(level: str) -> str | None:
    i = ESCALATION_LEVELS.index(level)
    return ESCALATION_LEVELS[i + 1] if i + 1 < len(ESCALATION_LEVELS) else None


# ---- many due times at once (imports; issue 11, helper "targets") -----------------------------
def add_limit_many(starts, minutes, calendar: WorkCalendar | None):
    """add_limit for a column of start times (a tz-aware pandas Series) and one limit: the same
    due times, computed with arrays. Working time is a cumulative clock W over the calendar's
    windows; a due time is the earliest instant with W = W(start) + limit (a whole number of days
    counts that many working days of `day_minutes`, as add_limit does)."""
    import numpy as np
    import pandas as pd

    starts = pd.to_datetime(starts, utc=True).dt.as_unit("ns")
    if calendar is None or minutes <= 0:
        return starts + pd.Timedelta(minutes=max(minutes, 0))
    work = minutes // DAY * calendar.day_minutes if minutes % DAY == 0 else minutes
    zone = ZoneInfo(calendar.tz)
    valid = starts.notna()
    if not valid.any():
        return starts
    # whole years (and a margin): the windows of one span serve every call of an import
    first = date(starts[valid].min().astimezone(zone).year, 1, 1) - timedelta(days=1)
    last = date(starts[valid].max().astimezone(zone).year, 12, 31) + timedelta(days=62)
    need = work * 60 * 10 ** 9
    t = starts[valid].astype("int64").to_numpy()
    while True:  # enough working days after the last start to hold the limit
        ws_a, we_a = _windows(calendar, first, last)
        dur = we_a - ws_a
        cum_end = np.cumsum(dur)
        if len(we_a) and t.max() < we_a[-1] and cum_end[-1] - _cum_at(t.max(), ws_a, we_a, cum_end) >= need:
            break
        if (last - first).days > 3660 * 2:
            raise ValueError("working calendar has no working days")
        last += timedelta(days=366)
    target = _cum_at(t, ws_a, we_a, cum_end) + need
    j = np.searchsorted(cum_end, target, side="left")
    result = np.full(len(starts), np.iinfo(np.int64).min, dtype=np.int64)  # NaT where no start
    result[valid.to_numpy()] = ws_a[j] + (target - (cum_end[j] - dur[j]))
    return pd.Series(result.view("M8[ns]"), index=starts.index).dt.tz_localize("UTC")


def add_limits_many(starts, minutes, calendars):
    """add_limit row by row for columns of starts, limits (minutes) and calendars (a WorkCalendar or
    None per row): one add_limit_many per distinct calendar and limit."""
    import pandas as pd

    starts = pd.to_datetime(pd.Series(starts), utc=True).dt.as_unit("ns").reset_index(drop=True)
    minutes = pd.Series(minutes).reset_index(drop=True).astype("int64")
    calendars = pd.Series(calendars, dtype=object).reset_index(drop=True)
    distinct: dict = {}
    codes = [distinct.setdefault(c, len(distinct)) for c in calendars]
    keys = pd.DataFrame({"cal": codes, "minutes": minutes})
    out = pd.Series(pd.NaT, index=starts.index, dtype="datetime64[ns, UTC]")
    by_code = {v: k for k, v in distinct.items()}
    for (code, m), group in keys.groupby(["cal", "minutes"], sort=False):
        out.iloc[group.index.to_numpy()] = add_limit_many(starts.iloc[group.index.to_numpy()], int(m),
                                                          by_code[code]).to_numpy()
    return out


@lru_cache(maxsize=64)
def _windows(calendar: WorkCalendar, first: date, last: date):
    """The calendar's working windows from `first` to `last` as epoch nanoseconds (start, end)."""
    import numpy as np
    import pandas as pd

    ws, we = [], []
    d = first
    while d <= last:
        win = calendar.window(d)
        if win is not None:
            ws.append(pd.Timestamp(win[0]).value)
            we.append(pd.Timestamp(win[1]).value)
        d += timedelta(days=1)
    return np.array(ws, dtype=np.int64), np.array(we, dtype=np.int64)


def _cum_at(t, ws, we, cum_end):
    """The working time (ns) from the first window to instant(s) t."""
    import numpy as np

    j = np.searchsorted(we, t, side="right")  # the first window not yet over at t
    j_c = np.minimum(j, len(we) - 1)
    before = np.where(j > 0, cum_end[np.maximum(j - 1, 0)], 0)
    inside = np.where(j < len(we), np.clip(t - ws[j_c], 0, we[j_c] - ws[j_c]), 0)
    return before + inside
