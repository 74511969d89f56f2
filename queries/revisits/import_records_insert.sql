-- Writes imported revisit attempts from the staged frame. Params: none (staged)
INSERT INTO revisit_records (id, task_id, attempt_at, by_user, method, reached, fail_reason, satisfaction,
    comments, import_batch_id, source_ref)
SELECT id, task_id, attempt_at, by_user, method, reached, fail_reason, satisfaction, comments,
    import_batch_id, source_ref
FROM staged
