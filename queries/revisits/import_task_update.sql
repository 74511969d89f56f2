-- Corrects an imported revisit task after its attempt was corrected. Params: $id, $status, $satisfaction
UPDATE revisit_tasks SET status = $status, satisfaction = $satisfaction, version = version + 1 WHERE id = $id
