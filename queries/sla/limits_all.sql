-- Returns: the time limits of every grade x urgency (a batch of filings reads them once).
-- Params: none
SELECT grade, urgency, forward_minutes, first_response_hours, resolve_hours FROM sla_settings
