-- Stores the working calendar of one branch.
-- Params: $id (branch id), $enabled, $work_start, $work_end, $weekdays, $use_chinese_holidays
INSERT INTO work_calendars (branch_id, enabled, work_start, work_end, weekdays, use_chinese_holidays)
VALUES ($id, $enabled, $work_start, $work_end, $weekdays, $use_chinese_holidays)
ON CONFLICT (branch_id) DO UPDATE
SET enabled = excluded.enabled, work_start = excluded.work_start, work_end = excluded.work_end,
    weekdays = excluded.weekdays, use_chinese_holidays = excluded.use_chinese_holidays
