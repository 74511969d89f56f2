-- Returns: what still refers to a building (counts). Params: $id
SELECT (SELECT count(*) FROM units WHERE building_id = $id) AS units,
       (SELECT count(*) FROM complaints WHERE building_id = $id) AS complaints
