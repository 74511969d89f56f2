-- Files a batch of complaints (one list per column, the same length, in one order), their ids
-- taken before (complaints/ids_take_many); answers nothing, so that on PostgreSQL it is sent
-- without waiting (pipelined with the COMMIT).
-- Each list is cast to its column's type (untyped on PostgreSQL otherwise). Params: $id, every intake column and the three due times, each a list.
INSERT INTO complaints (id, code, project_id, branch_id, building_id, building_text, unit_id, unit_text,
    resident_id, complainant_name, complainant_phone, relation, channel_id, received_at, received_by,
    category_id, description, urgency, owner_level, department_id, forward_due_at,
    first_response_due_at, resolve_due_at, linked_to_id)
SELECT unnest(CAST($id AS INTEGER[])), unnest(CAST($code AS VARCHAR[])), unnest(CAST($project_id AS INTEGER[])), unnest(CAST($branch_id AS INTEGER[])), unnest(CAST($building_id AS INTEGER[])), unnest(CAST($building_text AS VARCHAR[])),
    unnest(CAST($unit_id AS INTEGER[])), unnest(CAST($unit_text AS VARCHAR[])), unnest(CAST($resident_id AS INTEGER[])), unnest(CAST($complainant_name AS VARCHAR[])),
    unnest(CAST($complainant_phone AS VARCHAR[])), unnest(CAST($relation AS VARCHAR[])), unnest(CAST($channel_id AS INTEGER[])), unnest(CAST($received_at AS TIMESTAMPTZ[])),
    unnest(CAST($received_by AS VARCHAR[])), unnest(CAST($category_id AS INTEGER[])), unnest(CAST($description AS VARCHAR[])), unnest(CAST($urgency AS VARCHAR[])),
    unnest(CAST($owner_level AS VARCHAR[])), unnest(CAST($department_id AS INTEGER[])), unnest(CAST($forward_due_at AS TIMESTAMPTZ[])), unnest(CAST($first_response_due_at AS TIMESTAMPTZ[])),
    unnest(CAST($resolve_due_at AS TIMESTAMPTZ[])), unnest(CAST($linked_to_id AS INTEGER[]))
