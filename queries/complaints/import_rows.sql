-- Returns: the imported columns of complaints about to be updated by an import (for their history
-- lines). Params: $ids
SELECT id, project_id, status, validity, grade, urgency, department_id, category_id, channel_id,
       received_at, first_response_at, resolved_at, closed_at
FROM complaints WHERE id IN (SELECT unnest($ids))
