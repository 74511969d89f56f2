-- Returns: a self-service token with its wave, questionnaire and project (no login: only what the
-- resident's page needs). Params: $token
SELECT t.token, t.wave_id, t.project_id, t.branch_id, t.unit_id, t.unit_text, t.used_at,
       w.name AS wave, w.status AS wave_status, w.questionnaire_id, w.starts_on, w.ends_on,
       p.name AS project
FROM survey_tokens t
JOIN survey_waves w ON w.id = t.wave_id
JOIN projects p ON p.id = t.project_id
WHERE t.token = $token
