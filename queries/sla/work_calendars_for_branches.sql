-- Returns: the working calendars of some branches (a branch without a row has the default
-- calendar: csm.sla.calendar_for_branch). Params: $branch_ids
SELECT branch_id, enabled, work_start, work_end, weekdays, use_chinese_holidays
FROM work_calendars WHERE branch_id = ANY($branch_ids)
