-- Marks an import undone. Params: $id, $at, $by, $rows
UPDATE import_batches SET undone_at = $at, undone_by = $by, undone_rows = $rows WHERE id = $id
