-- Returns: one row of complaint indicators (DOMAIN §5) for the period [$period_start, $period_end)
-- in the scope, as counts and hours from which csm.dashboards.kpis builds every figure:
--   received, valid (received in the period); households / received_known (projects whose
--   household count is known, for the per-100-households rate); due / on_time (complaints whose
--   resolve limit fell in the period before $now, and those answered by it); overdue_open (now);
--   first-answer and resolution hours (median, 90th percentile) of complaints first answered /
--   resolved in the period; reopened (reopen steps in the period).
-- Each part filters in its own WHERE (zone maps prune on the times; a FILTER clause on a
-- quantile scans every row), and hours are epoch differences (an interval's epoch is slow).
-- Params: $scope_kind, $scope_id, $period_start, $period_end, $now
WITH c AS (
    SELECT c.* FROM complaints c WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
), known AS (
    SELECT p.id, p.households FROM projects p
    WHERE in_scope($scope_kind, $scope_id, p.id, p.branch_id) AND p.households > 0
), rec AS (
    SELECT count(*) AS received, count(*) FILTER (WHERE validity = 'valid') AS valid,
           count(*) FILTER (WHERE project_id IN (SELECT id FROM known)) AS received_known
    FROM c WHERE received_at >= $period_start AND received_at < $period_end
), due AS (
    SELECT count(*) AS due,
           count(*) FILTER (WHERE coalesce(resolved_at, closed_at) <= resolve_due_at) AS on_time
    FROM c WHERE resolve_due_at >= $period_start AND resolve_due_at < least($period_end, $now)
), ov AS (
    SELECT count(*) AS overdue_open FROM c
    WHERE complaint_open(status) AND import_batch_id IS NULL  -- no limit runs for imported history
      AND complaint_overdue(status, first_response_due_at, first_response_at, resolve_due_at, resolved_at,
                            closed_at, $now)
), fa AS (
    SELECT count(*) AS answered, quantile_cont(h, [0.5, 0.9]) AS q
    FROM (SELECT (epoch(coalesce(first_response_at, resolved_at, closed_at)) - epoch(received_at)) / 3600.0 AS h
          FROM c WHERE coalesce(first_response_at, resolved_at, closed_at) >= $period_start
                   AND coalesce(first_response_at, resolved_at, closed_at) < $period_end)
), res AS (
    SELECT count(*) AS resolved, quantile_cont(h, [0.5, 0.9]) AS q
    FROM (SELECT (epoch(resolved_at) - epoch(received_at)) / 3600.0 AS h
          FROM c WHERE resolved_at >= $period_start AND resolved_at < $period_end)
), reo AS (
    SELECT count(*) AS reopened FROM complaint_history h
    WHERE h.action = 'reopen' AND h.field = 'status' AND h.at_time >= $period_start AND h.at_time < $period_end
      AND h.complaint_id IN (SELECT id FROM c)
)
SELECT rec.received, rec.valid, (SELECT sum(households) FROM known) AS households, rec.received_known,
       due.due, due.on_time, ov.overdue_open,
       fa.answered, fa.q[1] AS first_answer_p50, fa.q[2] AS first_answer_p90,
       res.resolved, res.q[1] AS resolve_p50, res.q[2] AS resolve_p90, reo.reopened
FROM rec, due, ov, fa, res, reo
