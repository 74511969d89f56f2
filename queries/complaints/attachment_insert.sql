-- Adds an attachment's record (the file is stored by content hash). Params: $complaint_id,
-- $file_name, $content_hash, $size_bytes, $mime, $stored_path, $uploaded_by
INSERT INTO complaint_attachments (complaint_id, file_name, content_hash, size_bytes, mime,
                                   stored_path, uploaded_by)
VALUES ($complaint_id, $file_name, $content_hash, $size_bytes, $mime, $stored_path, $uploaded_by)
RETURNING id
