-- Returns: every project (active or not) with its branch, for the import's project column given
-- by code or name. Params: none
SELECT id, code, name, branch_id, active FROM projects
