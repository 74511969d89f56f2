-- Working calendars are on by default (issue 8): a branch without a stored calendar (the demo,
-- a new branch) counts limits in working days with the national holidays (chinese-calendar,
-- then the dates entered for a year it does not cover) until the administrator turns it off.
-- Stored rows keep what the administrator chose.
ALTER TABLE work_calendars ALTER COLUMN enabled SET DEFAULT TRUE;
