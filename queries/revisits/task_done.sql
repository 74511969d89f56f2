-- Marks an open task done with the revisit's satisfaction; returns the id.
-- Params: $id, $expected_version, $done_at, $satisfaction
UPDATE revisit_tasks SET status = 'done', done_at = $done_at, satisfaction = $satisfaction,
                         version = version + 1
WHERE id = $id AND version = $expected_version AND status = 'open'
RETURNING id
