-- Adds a questionnaire version; returns its id. Params: $code, $version, $name, $name_en, $created_by
INSERT INTO survey_questionnaires (code, version, name, name_en, created_by)
VALUES ($code, $version, $name, $name_en, $created_by)
RETURNING id
