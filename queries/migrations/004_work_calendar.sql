-- Working calendars per branch (issue 3): when enabled, complaint and revisit limits count working
-- time only; public holidays and make-up working days (调休) from chinese-calendar plus overrides.
CREATE TABLE work_calendars (
    branch_id            INTEGER PRIMARY KEY,
    enabled              BOOLEAN NOT NULL DEFAULT FALSE,
    work_start           TIME NOT NULL DEFAULT TIME '09:00',
    work_end             TIME NOT NULL DEFAULT TIME '18:00',
    weekdays             VARCHAR NOT NULL DEFAULT '1,2,3,4,5',   -- ISO weekdays, 1 = Monday
    use_chinese_holidays BOOLEAN NOT NULL DEFAULT TRUE
);

-- Dates the package does not know (a new year's holidays, a local closure): branch NULL = all.
CREATE SEQUENCE seq_calendar_override START 1;
CREATE TABLE calendar_overrides (
    id        INTEGER PRIMARY KEY DEFAULT nextval('seq_calendar_override'),
    branch_id INTEGER,
    day       DATE NOT NULL,
    kind      VARCHAR NOT NULL,     -- holiday | workday
    note      VARCHAR
);
