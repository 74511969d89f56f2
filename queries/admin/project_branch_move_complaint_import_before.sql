-- Moves the kept pre-import values of a project's complaints to the project's new branch (an undo
-- of the import puts the current branch back, not the old one). Params: $project_id, $branch_id
UPDATE complaint_import_before SET branch_id = $branch_id WHERE project_id = $project_id
