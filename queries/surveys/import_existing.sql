-- Returns: the forms already returned in these waves (for the survey-forms import target: a row
-- whose household or form number is there already is "same" when an import brought it with the
-- same ratings), with their ratings as "item_key=rating" sorted (rating empty when unrated).
-- Params: $wave_ids
SELECT r.id, r.wave_id, r.project_id, r.unit_id, r.unit_text, r.form_no, r.import_batch, r.returned_on,
       r.respondent_name, r.respondent_phone, r.comments,
       array_agg(a.item_key || '=' || coalesce(CAST(a.rating AS VARCHAR), '') ORDER BY a.item_key) AS ratings
FROM survey_responses r
LEFT JOIN survey_answers a ON a.response_id = r.id
WHERE r.wave_id = ANY(CAST($wave_ids AS INTEGER[]))
GROUP BY r.id, r.wave_id, r.project_id, r.unit_id, r.unit_text, r.form_no, r.import_batch,
         r.returned_on, r.respondent_name, r.respondent_phone, r.comments
