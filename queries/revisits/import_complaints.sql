-- Returns: complaints a revisit ledger may refer to, by product code or by an imported complaint's
-- source system and ticket number, with what an imported revisit task copies.
-- Params: $refs (list of codes or ticket numbers)
SELECT c.id, c.code, c.source_system, c.source_ref, c.project_id, c.branch_id, c.unit_id, c.unit_text,
       c.complainant_name, c.complainant_phone, c.received_at, c.resolved_at, c.closed_at
FROM complaints c
WHERE c.code IN (SELECT unnest($refs)) OR c.source_ref IN (SELECT unnest($refs))
