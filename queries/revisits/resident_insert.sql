-- Records a resident who moved in; returns the id.
-- Params: $project_id, $unit_id, $name, $phone, $relation, $moved_in_on
INSERT INTO residents (project_id, unit_id, name, phone, relation, moved_in_on)
VALUES ($project_id, $unit_id, $name, $phone, $relation, $moved_in_on)
RETURNING id
