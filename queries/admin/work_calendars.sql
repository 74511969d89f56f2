-- Returns: the working calendar of every branch (defaults where none is stored yet: on, with the
-- national holidays; see csm.sla.calendar_for_branch), keyed by branch id. Params: none
SELECT b.id, b.code || ' ' || b.name AS branch,
       coalesce(w.enabled, TRUE) AS enabled,
       coalesce(w.work_start, TIME '09:00') AS work_start,
       coalesce(w.work_end, TIME '18:00') AS work_end,
       coalesce(w.weekdays, '1,2,3,4,5') AS weekdays,
       coalesce(w.use_chinese_holidays, TRUE) AS use_chinese_holidays
FROM branches b
LEFT JOIN work_calendars w ON w.branch_id = b.id
ORDER BY b.code, b.id
