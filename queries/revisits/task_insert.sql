-- Inserts a revisit task and returns its id. Params: $kind, $project_id, $branch_id, $unit_id,
-- $unit_text, $contact_name, $contact_phone, $complaint_id, $service_record_id,
-- $survey_response_id, $resident_id, $parent_task_id, $note, $event_at, $due_at, $assignee_id
INSERT INTO revisit_tasks (kind, project_id, branch_id, unit_id, unit_text, contact_name,
    contact_phone, complaint_id, service_record_id, survey_response_id, resident_id,
    parent_task_id, note, event_at, due_at, assignee_id)
VALUES ($kind, $project_id, $branch_id, $unit_id, $unit_text, $contact_name, $contact_phone,
    $complaint_id, $service_record_id, $survey_response_id, $resident_id, $parent_task_id, $note,
    $event_at, $due_at, $assignee_id)
RETURNING id
