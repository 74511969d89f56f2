-- Files a batch of complaints (one list per column, the same length, in one order); returns each
-- one's id with its code. Params: every intake column and the three due times, each a list.
INSERT INTO complaints (code, project_id, branch_id, building_id, building_text, unit_id, unit_text,
    resident_id, complainant_name, complainant_phone, relation, channel_id, received_at, received_by,
    category_id, description, urgency, owner_level, department_id, forward_due_at,
    first_response_due_at, resolve_due_at, linked_to_id)
SELECT unnest($code), unnest($project_id), unnest($branch_id), unnest($building_id), unnest($building_text),
    unnest($unit_id), unnest($unit_text), unnest($resident_id), unnest($complainant_name),
    unnest($complainant_phone), unnest($relation), unnest($channel_id), unnest($received_at),
    unnest($received_by), unnest($category_id), unnest($description), unnest($urgency),
    unnest($owner_level), unnest($department_id), unnest($forward_due_at), unnest($first_response_due_at),
    unnest($resolve_due_at), unnest($linked_to_id)
RETURNING id, code
