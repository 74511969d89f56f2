-- Puts back what an import's update overwrote, and forgets it. Params: $batch_id
UPDATE complaints SET project_id = b.project_id, branch_id = b.branch_id, building_text = b.building_text,
    unit_id = b.unit_id, unit_text = b.unit_text, complainant_name = b.complainant_name,
    complainant_phone = b.complainant_phone, channel_id = b.channel_id, received_at = b.received_at,
    category_id = b.category_id, description = b.description, urgency = b.urgency, status = b.status,
    validity = b.validity, grade = b.grade, owner_level = b.owner_level, department_id = b.department_id,
    forward_due_at = b.forward_due_at, first_response_due_at = b.first_response_due_at,
    resolve_due_at = b.resolve_due_at, first_response_at = b.first_response_at,
    resolved_at = b.resolved_at, result = b.result, closed_at = b.closed_at,
    close_satisfied = b.close_satisfied, import_batch_id = b.prior_batch_id, source_hash = b.source_hash,
    version = complaints.version + 1, updated_at = now()
FROM complaint_import_before b WHERE b.batch_id = $batch_id AND complaints.id = b.complaint_id
RETURNING complaints.id
