-- Inserts a draft wave and returns its id. Params: $code, $name, $purpose, $target, $questionnaire_id,
-- $level, $owner_branch_id, $owner_project_id, $starts_on, $ends_on, $staff, $created_by
INSERT INTO survey_waves (code, name, purpose, target, questionnaire_id, level, owner_branch_id,
    owner_project_id, starts_on, ends_on, staff, created_by)
VALUES ($code, $name, $purpose, $target, $questionnaire_id, $level, $owner_branch_id,
    $owner_project_id, $starts_on, $ends_on, $staff, $created_by)
RETURNING id
