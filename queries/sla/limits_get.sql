-- Returns: the time limits of one grade x urgency. Params: $grade, $urgency
SELECT forward_minutes, first_response_hours, resolve_hours
FROM sla_settings WHERE grade = $grade AND urgency = $urgency
