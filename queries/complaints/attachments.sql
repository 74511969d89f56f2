-- Returns: a complaint's attachments, if the scope may see the complaint.
-- Params: $complaint_id, $scope_kind, $scope_id
SELECT a.id, a.file_name, a.size_bytes, a.mime, a.stored_path, a.uploaded_by, a.uploaded_at
FROM complaint_attachments a JOIN complaints c ON c.id = a.complaint_id
WHERE a.complaint_id = $complaint_id AND in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
ORDER BY a.id
