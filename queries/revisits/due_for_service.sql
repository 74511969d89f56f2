-- Returns: the due time of the revisit created for a service record, and the record's project
-- (for the scope check). Params: $service_record_id
SELECT due_at, project_id FROM revisit_tasks
WHERE service_record_id = $service_record_id ORDER BY id LIMIT 1
