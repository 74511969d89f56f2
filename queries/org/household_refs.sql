-- Returns: how many records outside an import refer to the units and residents it added
-- (complaints, revisit tasks, service records, survey forms and links, other residents of the
-- units). Params: $batch_id
WITH u AS (SELECT record_id AS id FROM import_records WHERE batch_id = $batch_id AND kind = 'unit' AND action = 'add'),
     r AS (SELECT record_id AS id FROM import_records WHERE batch_id = $batch_id AND kind = 'resident' AND action = 'add')
SELECT (SELECT count(*) FROM complaints WHERE unit_id IN (SELECT id FROM u) OR resident_id IN (SELECT id FROM r))
     + (SELECT count(*) FROM revisit_tasks WHERE unit_id IN (SELECT id FROM u) OR resident_id IN (SELECT id FROM r))
     + (SELECT count(*) FROM service_records WHERE unit_id IN (SELECT id FROM u))
     + (SELECT count(*) FROM survey_responses WHERE unit_id IN (SELECT id FROM u))
     + (SELECT count(*) FROM survey_tokens WHERE unit_id IN (SELECT id FROM u))
     + (SELECT count(*) FROM residents WHERE unit_id IN (SELECT id FROM u) AND id NOT IN (SELECT id FROM r))
       AS n
