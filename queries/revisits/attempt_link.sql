-- Records which complaint an unsatisfied revisit reopened or opened.
-- Params: $id, $reopened_complaint_id, $new_complaint_id
UPDATE revisit_records SET reopened_complaint_id = $reopened_complaint_id,
                           new_complaint_id = $new_complaint_id
WHERE id = $id
