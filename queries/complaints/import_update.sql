-- Overwrites imported complaints with a corrected file's rows (staged, by id); the code stays.
-- Params: none (staged)
UPDATE complaints SET project_id = s.project_id, branch_id = s.branch_id, building_id = s.building_id,
    building_text = s.building_text, unit_id = s.unit_id, unit_text = s.unit_text,
    complainant_name = s.complainant_name, complainant_phone = s.complainant_phone,
    channel_id = s.channel_id, received_at = s.received_at, category_id = s.category_id,
    description = s.description, urgency = s.urgency, status = s.status, validity = s.validity,
    grade = s.grade, owner_level = s.owner_level, department_id = s.department_id,
    forward_due_at = s.forward_due_at, first_response_due_at = s.first_response_due_at,
    resolve_due_at = s.resolve_due_at, first_response_at = s.first_response_at,
    resolved_at = s.resolved_at, result = s.result, closed_at = s.closed_at,
    close_satisfied = s.close_satisfied, import_batch_id = s.import_batch_id,
    source_hash = s.source_hash, version = complaints.version + 1, updated_at = now()
FROM staged s WHERE complaints.id = s.id
