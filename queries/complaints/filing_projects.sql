-- Returns: for a batch of filings (csm/complaints/steps.py file_many), each project they name
-- with its branch, and for each scope of the batch's actors whether that scope may file for it
-- (active and in_scope: the rule of org/project_open_in_scope). One row per project x scope.
-- Params: $project_ids, $scope_kinds, $scope_ids (the distinct scopes, kinds and ids in one order)
SELECT p.id, p.branch_id, s.scope_kind, s.scope_id,
       p.active AND in_scope(s.scope_kind, s.scope_id, p.id, p.branch_id) AS allowed
FROM projects p, (SELECT unnest($scope_kinds) AS scope_kind, unnest($scope_ids) AS scope_id) s
WHERE p.id = ANY($project_ids)
