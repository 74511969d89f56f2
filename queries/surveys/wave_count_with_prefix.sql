-- Returns: how many waves have a code starting with the prefix (for the next code). Params: $prefix
SELECT count(*) AS n FROM survey_waves WHERE starts_with(code, $prefix)
