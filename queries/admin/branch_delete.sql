-- Deletes a branch (only when nothing refers to it: see admin_branch_usage). Params: $id
DELETE FROM branches WHERE id = $id
