-- Returns: the service dimensions in display order. Params: none
SELECT code, name, name_en, sort FROM survey_dimensions ORDER BY sort
