-- Returns: how many records outside an import refer to the units and residents it added
-- (complaints, revisit tasks, service records, survey forms and links, other residents of the
-- units). Params: $unit_ids (list), $resident_ids (list)
SELECT (SELECT count(*) FROM complaints WHERE list_contains($unit_ids, unit_id) OR list_contains($resident_ids, resident_id))
     + (SELECT count(*) FROM revisit_tasks WHERE list_contains($unit_ids, unit_id) OR list_contains($resident_ids, resident_id))
     + (SELECT count(*) FROM service_records WHERE list_contains($unit_ids, unit_id))
     + (SELECT count(*) FROM survey_responses WHERE list_contains($unit_ids, unit_id))
     + (SELECT count(*) FROM survey_tokens WHERE list_contains($unit_ids, unit_id))
     + (SELECT count(*) FROM residents WHERE list_contains($unit_ids, unit_id) AND NOT list_contains($resident_ids, id))
       AS n
