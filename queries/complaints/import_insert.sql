-- Writes imported complaints from the staged frame (csm/complaints/importer.py): their own times,
-- their batch and source key; escalation settled (the old system's). Params: none (staged)
INSERT INTO complaints (id, code, project_id, branch_id, building_id, building_text, unit_id, unit_text,
    complainant_name, complainant_phone, channel_id, received_at, received_by, category_id, description,
    urgency, status, validity, grade, owner_level, department_id, forward_due_at, first_response_due_at,
    resolve_due_at, first_response_at, resolved_at, result, closed_at, close_satisfied,
    escalated_first_response, escalated_resolve, import_batch_id, source_system, source_ref, source_hash)
SELECT id, code, project_id, branch_id, building_id, building_text, unit_id, unit_text,
    complainant_name, complainant_phone, channel_id, received_at, received_by, category_id, description,
    urgency, status, validity, grade, owner_level, department_id, forward_due_at, first_response_due_at,
    resolve_due_at, first_response_at, resolved_at, result, closed_at, close_satisfied,
    TRUE, TRUE, import_batch_id, source_system, source_ref, source_hash
FROM staged
