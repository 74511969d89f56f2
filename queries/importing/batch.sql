-- Returns: one import with whether it is the target's latest import still in force (only that
-- one may be undone: a later one may have changed the same records). Params: $id
SELECT b.*, b.id = (SELECT max(id) FROM import_batches l
                    WHERE l.target = b.target AND l.undone_at IS NULL) AS is_latest
FROM import_batches b
WHERE b.id = $id
