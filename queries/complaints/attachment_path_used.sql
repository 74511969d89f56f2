-- Returns: whether a saved attachment record points at this stored file (a refused filing
-- removes only the files nobody uses). Params: $stored_path
SELECT EXISTS (SELECT 1 FROM complaint_attachments WHERE stored_path = $stored_path) AS used
