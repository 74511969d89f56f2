-- Returns: one row (grp_id) per branch ($level = 'branch') or project ($level = 'project') in the scope, with
-- the counts behind the indicators of csm.dashboards.kpis (same names as dash_complaint_kpis,
-- revisit_indicators, dash_survey_kpis and dash_action_kpis) for [$period_start, $period_end):
-- households (projects whose count is known), received, received_known, valid, due, on_time,
-- overdue_open, resolved, resolve_p50, revisits (due, done, done_on_time, rated, satisfied),
-- survey wave $wave_id (issued, returned, qualified, unsatisfied), actions (open, overdue, done).
-- Names only: no resident's name or phone (group-scope safe).
-- Params: $scope_kind, $scope_id, $level, $period_start, $period_end, $now, $wave_id, $today,
--         $period_first, $period_last_excl
WITH u AS (
    SELECT CASE WHEN $level = 'branch' THEN b.id ELSE p.id END AS grp_id,
           any_value(CASE WHEN $level = 'branch' THEN b.code ELSE p.code END) AS code,
           any_value(CASE WHEN $level = 'branch' THEN b.name ELSE p.name END) AS name,
           any_value(b.name) AS branch,
           sum(p.households) FILTER (WHERE p.households > 0) AS households
    FROM projects p JOIN branches b ON b.id = p.branch_id
    WHERE p.active AND in_scope($scope_kind, $scope_id, p.id, p.branch_id)
    GROUP BY 1
), c AS (
    SELECT c.*, CASE WHEN $level = 'branch' THEN c.branch_id ELSE c.project_id END AS grp_id
    FROM complaints c WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
), known AS (
    SELECT p.id FROM projects p WHERE in_scope($scope_kind, $scope_id, p.id, p.branch_id) AND p.households > 0
), rec AS (
    SELECT grp_id, count(*) AS received, count(*) FILTER (WHERE validity = 'valid') AS valid,
           count(*) FILTER (WHERE project_id IN (SELECT id FROM known)) AS received_known
    FROM c WHERE received_at >= $period_start AND received_at < $period_end GROUP BY 1
), due AS (
    SELECT grp_id, count(*) AS due,
           count(*) FILTER (WHERE coalesce(resolved_at, closed_at) <= resolve_due_at) AS on_time
    FROM c WHERE resolve_due_at >= $period_start AND resolve_due_at < least($period_end, $now) GROUP BY 1
), ov AS (
    SELECT grp_id, count(*) AS overdue_open FROM c
    WHERE complaint_open(status) AND import_batch_id IS NULL  -- no limit runs for imported history
      AND complaint_overdue(status, first_response_due_at, first_response_at, resolve_due_at, resolved_at,
                            closed_at, $now)
    GROUP BY 1
), res AS (
    SELECT grp_id, count(*) AS resolved,
           quantile_cont((epoch(resolved_at) - epoch(received_at)) / 3600.0, 0.5) AS resolve_p50
    FROM c WHERE resolved_at >= $period_start AND resolved_at < $period_end GROUP BY 1
), rv AS (
    SELECT CASE WHEN $level = 'branch' THEN t.branch_id ELSE t.project_id END AS grp_id,
           count(*) AS rv_due, count(*) FILTER (WHERE t.status = 'done') AS rv_done,
           count(*) FILTER (WHERE revisit_on_time(t.done_at, t.due_at)) AS rv_done_on_time,
           count(*) FILTER (WHERE t.satisfaction IS NOT NULL) AS rv_rated,
           count(*) FILTER (WHERE t.satisfaction IS NOT NULL AND t.satisfaction <> 'unsatisfied') AS rv_satisfied
    FROM revisit_tasks t
    WHERE t.status <> 'cancelled' AND in_scope($scope_kind, $scope_id, t.project_id, t.branch_id)
      AND t.due_at >= $period_start AND t.due_at < least($period_end, $now)
    GROUP BY 1
), iss AS (
    SELECT CASE WHEN $level = 'branch' THEN wp.branch_id ELSE wp.project_id END AS grp_id,
           sum(wp.forms_issued) AS issued
    FROM survey_wave_projects wp
    WHERE wp.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id) GROUP BY 1
), ret AS (
    SELECT CASE WHEN $level = 'branch' THEN r.branch_id ELSE r.project_id END AS grp_id, count(*) AS returned
    FROM survey_responses r
    WHERE r.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id) GROUP BY 1
), sat AS (
    SELECT CASE WHEN $level = 'branch' THEN k.branch_id ELSE k.project_id END AS grp_id,
           sum(survey_counts_qualified(n4, n3, n2)) AS qualified, sum(n1) AS unsatisfied
    FROM survey_item_counts k
    WHERE k.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, k.project_id, k.branch_id) GROUP BY 1
), act AS (
    SELECT CASE WHEN $level = 'branch' THEN a.branch_id ELSE a.project_id END AS grp_id,
           count(*) FILTER (WHERE a.status = 'open') AS actions_open,
           count(*) FILTER (WHERE survey_action_overdue(a.status, a.deadline, $today)) AS actions_overdue,
           count(*) FILTER (WHERE a.status = 'done' AND a.done_on >= $period_first
                            AND a.done_on < $period_last_excl) AS actions_done
    FROM survey_actions a WHERE in_scope($scope_kind, $scope_id, a.project_id, a.branch_id) GROUP BY 1
)
SELECT u.grp_id, u.code, u.name, u.branch, coalesce(u.households, 0) AS households,
       coalesce(rec.received, 0) AS received, coalesce(rec.valid, 0) AS valid,
       coalesce(rec.received_known, 0) AS received_known,
       coalesce(due.due, 0) AS due, coalesce(due.on_time, 0) AS on_time,
       coalesce(ov.overdue_open, 0) AS overdue_open, coalesce(res.resolved, 0) AS resolved, res.resolve_p50,
       coalesce(rv.rv_due, 0) AS rv_due, coalesce(rv.rv_done, 0) AS rv_done,
       coalesce(rv.rv_done_on_time, 0) AS rv_done_on_time, coalesce(rv.rv_rated, 0) AS rv_rated,
       coalesce(rv.rv_satisfied, 0) AS rv_satisfied,
       coalesce(iss.issued, 0) AS issued, coalesce(ret.returned, 0) AS returned,
       coalesce(sat.qualified, 0) AS qualified, coalesce(sat.unsatisfied, 0) AS unsatisfied,
       coalesce(act.actions_open, 0) AS actions_open, coalesce(act.actions_overdue, 0) AS actions_overdue,
       coalesce(act.actions_done, 0) AS actions_done
FROM u
LEFT JOIN rec USING (grp_id) LEFT JOIN due USING (grp_id) LEFT JOIN ov USING (grp_id)
LEFT JOIN res USING (grp_id) LEFT JOIN rv USING (grp_id) LEFT JOIN iss USING (grp_id)
LEFT JOIN ret USING (grp_id) LEFT JOIN sat USING (grp_id) LEFT JOIN act USING (grp_id)
ORDER BY u.code
