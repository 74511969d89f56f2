-- Returns: what still refers to a project (counts; any above zero refuses its deletion).
-- Params: $id
SELECT (SELECT count(*) FROM buildings WHERE project_id = $id) AS buildings,
       (SELECT count(*) FROM units WHERE project_id = $id) AS units,
       (SELECT count(*) FROM residents WHERE project_id = $id) AS residents,
       (SELECT count(*) FROM users WHERE scope_kind = 'project' AND scope_id = $id) AS users,
       (SELECT count(*) FROM complaints WHERE project_id = $id) AS complaints
