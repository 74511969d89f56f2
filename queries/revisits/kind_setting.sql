-- Returns: due days and failed-attempt limit of one revisit kind. Params: $kind
SELECT kind, due_days, max_failed_attempts FROM revisit_settings WHERE kind = $kind
