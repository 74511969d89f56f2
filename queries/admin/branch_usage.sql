-- Returns: what still refers to a branch (counts; any above zero refuses its deletion).
-- Params: $id
SELECT (SELECT count(*) FROM projects WHERE branch_id = $id) AS projects,
       (SELECT count(*) FROM users WHERE scope_kind = 'branch' AND scope_id = $id) AS users,
       (SELECT count(*) FROM complaints WHERE branch_id = $id) AS complaints
