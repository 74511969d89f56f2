-- Returns: one wave with its questionnaire, unscoped (commands check scope separately). Params: $id
SELECT w.*, q.name AS questionnaire, q.version AS questionnaire_version
FROM survey_waves w JOIN survey_questionnaires q ON q.id = w.questionnaire_id
WHERE w.id = $id
