-- Returns: a self-service token with its wave, questionnaire and project (no login: only what the
-- resident's page needs), and how the household's form came back once it did (response_source:
-- 'self' by this link, 'paper' / 'import' when a returned form spent the link). Params: $token
SELECT t.token, t.wave_id, t.project_id, t.branch_id, t.unit_id, t.unit_text, t.used_at,
       w.name AS wave, w.status AS wave_status, w.questionnaire_id, w.starts_on, w.ends_on,
       p.name AS project, r.source AS response_source
FROM survey_tokens t
JOIN survey_waves w ON w.id = t.wave_id
JOIN projects p ON p.id = t.project_id
LEFT JOIN survey_responses r ON r.id = t.response_id
WHERE t.token = $token
