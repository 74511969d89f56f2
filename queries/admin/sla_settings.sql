-- Returns: the time limits of every grade x urgency, keyed 'grade:urgency'. Params: none
SELECT grade || ':' || urgency AS id, grade, urgency, forward_minutes, first_response_hours,
       resolve_hours
FROM (VALUES ('general', 'normal', 1), ('general', 'urgent', 2), ('important', 'normal', 3),
             ('important', 'urgent', 4), ('major', 'normal', 5), ('major', 'urgent', 6))
     AS k(grade, urgency, ord)
LEFT JOIN sla_settings s USING (grade, urgency)
ORDER BY k.ord
