-- Stores the time limits of one grade x urgency.
-- Params: $grade, $urgency, $forward_minutes, $first_response_hours, $resolve_hours
INSERT INTO sla_settings (grade, urgency, forward_minutes, first_response_hours, resolve_hours)
VALUES ($grade, $urgency, $forward_minutes, $first_response_hours, $resolve_hours)
ON CONFLICT (grade, urgency) DO UPDATE
SET forward_minutes = excluded.forward_minutes,
    first_response_hours = excluded.first_response_hours,
    resolve_hours = excluded.resolve_hours
