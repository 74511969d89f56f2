-- Returns: the work-order numbers already recorded for these projects (a re-import is "same").
-- Params: $project_ids
SELECT id, project_id, external_ref FROM service_records
WHERE external_ref IS NOT NULL AND project_id IN (SELECT unnest($project_ids))
