-- Files a complaint; returns its id. Params: every intake column and the three due times.
INSERT INTO complaints (code, project_id, branch_id, building_id, building_text, unit_id, unit_text,
    resident_id, complainant_name, complainant_phone, relation, channel_id, received_at, received_by,
    category_id, description, urgency, owner_level, department_id, forward_due_at,
    first_response_due_at, resolve_due_at, linked_to_id)
VALUES ($code, $project_id, $branch_id, $building_id, $building_text, $unit_id, $unit_text,
    $resident_id, $complainant_name, $complainant_phone, $relation, $channel_id, $received_at,
    $received_by, $category_id, $description, $urgency, $owner_level, $department_id,
    $forward_due_at, $first_response_due_at, $resolve_due_at, $linked_to_id)
RETURNING id
