-- Returns: the units of a batch of filings with their project and building id (the building's
-- name: complaints/building_names; one table per statement, each a cheap lookup). Params: $ids
SELECT id, code, project_id, building_id FROM units WHERE id IN (SELECT unnest(CAST($ids AS INTEGER[])))
