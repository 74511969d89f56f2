-- Returns: questionnaire versions with their item counts, newest first. Params: none
SELECT q.id, q.code, q.version, q.name, q.name_en, q.status,
       (SELECT count(*) FROM survey_items i WHERE i.questionnaire_id = q.id) AS items
FROM survey_questionnaires q
ORDER BY q.status = 'active' DESC, q.code, q.version DESC
