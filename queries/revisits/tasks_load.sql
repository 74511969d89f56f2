-- Inserts revisit tasks, ids drawn before (bulk form of revisits/task_insert). Params: none
-- (staged: id, kind, project_id, branch_id, unit_id, unit_text, contact_name, contact_phone,
-- survey_response_id, note, event_at, due_at)
INSERT INTO revisit_tasks (id, kind, project_id, branch_id, unit_id, unit_text, contact_name,
    contact_phone, survey_response_id, note, event_at, due_at)
SELECT CAST(id AS INTEGER), CAST(kind AS VARCHAR), CAST(project_id AS INTEGER), CAST(branch_id AS INTEGER),
       CAST(unit_id AS INTEGER), CAST(unit_text AS VARCHAR), CAST(contact_name AS VARCHAR),
       CAST(contact_phone AS VARCHAR), CAST(survey_response_id AS INTEGER), CAST(note AS VARCHAR),
       CAST(event_at AS TIMESTAMPTZ), CAST(due_at AS TIMESTAMPTZ)
FROM staged ORDER BY id
