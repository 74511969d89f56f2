-- Keeps what an import's update is about to overwrite (undo puts it back). Params: none (staged:
-- batch_id, id)
INSERT INTO complaint_import_before
SELECT s.batch_id, c.id, c.import_batch_id, c.source_hash, c.project_id, c.branch_id, c.building_text,
       c.unit_id, c.unit_text, c.complainant_name, c.complainant_phone, c.channel_id, c.received_at,
       c.category_id, c.description, c.urgency, c.status, c.validity, c.grade, c.owner_level,
       c.department_id, c.forward_due_at, c.first_response_due_at, c.resolve_due_at,
       c.first_response_at, c.resolved_at, c.result, c.closed_at, c.close_satisfied
FROM staged s JOIN complaints c ON c.id = s.id
