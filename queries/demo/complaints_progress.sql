-- Writes the first update given to the resident of every complaint that was worked on. Params: none
INSERT INTO complaint_progress (complaint_id, given_at, method, content, recorded_by)
SELECT id, first_response_at, 'phone', '已电话告知业主处理安排及预计完成时间', 'supervisor1'
FROM complaints WHERE first_response_at IS NOT NULL
