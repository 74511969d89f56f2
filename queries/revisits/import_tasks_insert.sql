-- Writes imported revisits' tasks from the staged frame: already done (or, for a call that
-- reached nobody, cancelled), never open: imported history is nobody's work.
-- Params: none (staged)
INSERT INTO revisit_tasks (id, kind, project_id, branch_id, unit_id, unit_text, contact_name, contact_phone,
    complaint_id, note, event_at, due_at, status, done_at, satisfaction, import_batch_id)
SELECT id, 'complaint', project_id, branch_id, unit_id, unit_text, contact_name, contact_phone,
    complaint_id, note, event_at, due_at, status, done_at, satisfaction, import_batch_id
FROM staged
