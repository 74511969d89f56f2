-- Returns: what needs a manager's attention now in the scope, at most $limit rows per kind:
--   overdue (open complaints past a limit), due_soon (open, resolve limit within $soon_hours),
--   reopened (open complaints that were reopened), unsatisfied_revisit (a 不满意 revisit whose
--   reopened or new complaint is still open), action_overdue (corrective actions past deadline).
-- Imported complaints (import_batch_id set) are never in it: no limit runs for them.
-- Columns: kind, ref_id (complaint id, or action id), code, project, due_at, summary.
-- Params: $scope_kind, $scope_id, $now, $soon_hours, $today, $limit
WITH open_c AS (
    SELECT c.*, p.name AS project
    FROM complaints c JOIN projects p ON p.id = c.project_id
    WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
      AND complaint_open(c.status)
      AND c.import_batch_id IS NULL  -- imported history needs nobody's attention (docs/domain.md)
), rows AS (
    SELECT 'overdue' AS kind, id AS ref_id, code, project, resolve_due_at AS due_at, left(description, 60) AS summary
    FROM open_c
    WHERE complaint_overdue(status, first_response_due_at, first_response_at, resolve_due_at, resolved_at,
                            closed_at, $now)
    UNION ALL
    SELECT 'due_soon', id, code, project, resolve_due_at, left(description, 60)
    FROM open_c
    WHERE complaint_escalatable(status) AND resolve_due_at >= $now
      AND resolve_due_at < $now + to_hours(CAST($soon_hours AS BIGINT))
    UNION ALL
    SELECT 'reopened', id, code, project, resolve_due_at, left(description, 60)
    FROM open_c WHERE reopen_count > 0
    UNION ALL
    SELECT 'unsatisfied_revisit', o.id, o.code, o.project, o.resolve_due_at, left(o.description, 60)
    FROM revisit_records r JOIN open_c o ON o.id = coalesce(r.reopened_complaint_id, r.new_complaint_id)
    WHERE r.satisfaction = 'unsatisfied'
    UNION ALL
    SELECT 'action_overdue', a.id, w.code, p.name, CAST(a.deadline AS TIMESTAMPTZ), left(a.problem, 60)
    FROM survey_actions a JOIN projects p ON p.id = a.project_id JOIN survey_waves w ON w.id = a.wave_id
    WHERE in_scope($scope_kind, $scope_id, a.project_id, a.branch_id)
      AND survey_action_overdue(a.status, a.deadline, $today)
), counted AS (
    SELECT kind, count(*) AS n_kind FROM rows GROUP BY kind
), ranked AS (
    SELECT r.*, row_number() OVER (PARTITION BY r.kind ORDER BY r.due_at NULLS LAST, r.ref_id) AS rank_in_kind
    FROM rows r
)
-- counts by GROUP BY, not a window beside the ranking (see queries/complaints/inbox_items.sql)
SELECT ranked.kind, ref_id, code, project, due_at, summary, counted.n_kind
FROM ranked JOIN counted USING (kind)
WHERE rank_in_kind <= $limit
ORDER BY ranked.kind, due_at NULLS LAST
