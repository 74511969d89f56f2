-- Returns: how many waves, forms, answers, survey revisits and corrective actions exist. Params: none
SELECT (SELECT count(*) FROM survey_waves) AS survey_waves,
       (SELECT count(*) FROM survey_responses) AS survey_responses,
       (SELECT count(*) FROM survey_answers) AS survey_answers,
       (SELECT count(*) FROM revisit_tasks WHERE kind = 'survey') AS survey_revisits,
       (SELECT count(*) FROM survey_actions) AS survey_actions
