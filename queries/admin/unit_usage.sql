-- Returns: what still refers to a unit (counts). Params: $id
SELECT (SELECT count(*) FROM residents WHERE unit_id = $id) AS residents,
       (SELECT count(*) FROM complaints WHERE unit_id = $id) AS complaints
