-- Returns: the given projects' household count as stored and as counted from their units (the
-- denominator of the per-100-household rates). Params: $project_ids (list)
SELECT p.id, p.households, (SELECT count(*) FROM units u WHERE u.project_id = p.id) AS units
FROM projects p WHERE p.id = ANY(CAST($project_ids AS INTEGER[]))
