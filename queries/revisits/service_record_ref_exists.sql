-- Returns: TRUE if a service record with this external number exists in the project.
-- Params: $project_id, $external_ref
SELECT count(*) > 0 AS found FROM service_records
WHERE project_id = $project_id AND external_ref = $external_ref
