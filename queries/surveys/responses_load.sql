-- Inserts returned forms (bulk: imported forms), ids drawn before. Params: none (staged: id,
-- wave_id, project_id, branch_id, form_no, unit_id, unit_text, respondent_name, respondent_phone,
-- source, token, import_batch, returned_on, comments, entered_by)
INSERT INTO survey_responses (id, wave_id, project_id, branch_id, form_no, unit_id, unit_text,
    respondent_name, respondent_phone, source, token, import_batch, returned_on, comments, entered_by)
SELECT CAST(id AS INTEGER), CAST(wave_id AS INTEGER), CAST(project_id AS INTEGER), CAST(branch_id AS INTEGER),
       CAST(form_no AS VARCHAR), CAST(unit_id AS INTEGER), CAST(unit_text AS VARCHAR),
       CAST(respondent_name AS VARCHAR), CAST(respondent_phone AS VARCHAR), CAST(source AS VARCHAR),
       CAST(token AS VARCHAR), CAST(import_batch AS VARCHAR), CAST(returned_on AS DATE),
       CAST(comments AS VARCHAR), CAST(entered_by AS VARCHAR)
FROM staged ORDER BY id
