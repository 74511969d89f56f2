-- Returns: the next version number of a questionnaire family. Params: $code
SELECT coalesce(max(version), 0) + 1 FROM survey_questionnaires WHERE code = $code
