-- Returns: the units of these projects by code (房号), to link imported forms to their household in
-- one read per file (as revisits/unit_by_code does per form). Params: $project_ids
SELECT u.id, u.project_id, u.code FROM units u WHERE u.project_id = ANY(CAST($project_ids AS INTEGER[]))
