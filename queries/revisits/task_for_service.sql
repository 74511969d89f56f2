-- Returns: the revisit task created for a service record. Params: $service_record_id
SELECT id, kind, status, due_at, version, failed_attempts FROM revisit_tasks
WHERE service_record_id = $service_record_id ORDER BY id LIMIT 1
