-- Writes one handling record and one update to the resident for every complaint that was worked on.
-- Params: none
INSERT INTO complaint_handling (complaint_id, handled_at, handled_by, content, recorded_by)
SELECT c.id, c.first_response_at, coalesce(d.name, '客服中心') || ' 值班人员',
       '到' || coalesce(c.unit_text, '现场') || '查看情况并处理：' || left(c.description, 20), 'supervisor1'
FROM complaints c LEFT JOIN departments d ON d.id = c.department_id
WHERE c.status IN ('in_progress', 'suspended', 'resolved', 'revisited')
   OR (c.status = 'closed' AND c.validity <> 'invalid')
