-- Returns: one questionnaire version. Params: $id
SELECT id, code, version, name, name_en, status FROM survey_questionnaires WHERE id = $id
