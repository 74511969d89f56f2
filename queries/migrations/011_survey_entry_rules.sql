-- Survey entry rules kept as settings (editable on the settings tab of 基础数据):
--   survey.min_answered_items: a form with fewer rated items is saved only once the clerk confirms
--     (a paper form with 2 of 30 items typed is usually a form half typed, not a resident's answer);
--   public_base_url: the address residents reach the app at, printed in the self-service links and
--     QR codes (the address a clerk's browser uses, e.g. localhost, is no use on a printed sheet).
INSERT INTO settings VALUES
    ('survey.min_answered_items', '15'),
    ('public_base_url', '');

-- A household answers once per wave: a token whose household already returned a form (on paper,
-- by import) is spent, so the link sheet and the QR sheet leave it out and the link says so.
UPDATE survey_tokens SET used_at = r.entered_at, response_id = r.id
FROM survey_responses r
WHERE survey_tokens.used_at IS NULL
  AND r.wave_id = survey_tokens.wave_id AND r.project_id = survey_tokens.project_id
  AND (r.unit_id = survey_tokens.unit_id OR r.unit_text = survey_tokens.unit_text);
