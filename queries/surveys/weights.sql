-- Returns: the four ratings with their names and 100-point weights, best first. Params: none
SELECT rating, name, name_en, weight FROM survey_weights ORDER BY rating DESC
