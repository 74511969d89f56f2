-- Returns: the working calendar of a branch (no row = calendar time). Params: $branch_id
SELECT branch_id, enabled, work_start, work_end, weekdays, use_chinese_holidays
FROM work_calendars WHERE branch_id = $branch_id
