-- Inserts a returned form and returns its id. Params: $wave_id, $project_id, $branch_id, $form_no,
-- $unit_id, $unit_text, $respondent_name, $respondent_phone, $source, $token, $import_batch,
-- $returned_on, $comments, $entered_by
INSERT INTO survey_responses (wave_id, project_id, branch_id, form_no, unit_id, unit_text,
    respondent_name, respondent_phone, source, token, import_batch, returned_on, comments, entered_by)
VALUES ($wave_id, $project_id, $branch_id, $form_no, $unit_id, $unit_text, $respondent_name,
    $respondent_phone, $source, $token, $import_batch, $returned_on, $comments, $entered_by)
RETURNING id
