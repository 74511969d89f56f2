-- Returns: one row of complaint indicators (DOMAIN §5) for the period [$period_start, $period_end)
-- in the scope, as counts and hours from which csm.dashboards.kpis builds every figure:
--   received, valid (received in the period); households / received_known (projects whose
--   household count is known, for the per-100-households rate); due / on_time (complaints whose
--   resolve limit fell in the period before $now, and those answered by it); overdue_open (now);
--   first-answer and resolution hours (median, 90th percentile) of complaints first answered /
--   resolved in the period; reopened (reopen steps in the period).
-- Params: $scope_kind, $scope_id, $period_start, $period_end, $now
WITH c AS (
    SELECT c.* FROM complaints c WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
), hh AS (
    SELECT sum(p.households) AS households, list(p.id) AS ids
    FROM projects p
    WHERE in_scope($scope_kind, $scope_id, p.id, p.branch_id) AND p.households > 0
), f AS (
    SELECT c.*,
           c.received_at >= $period_start AND c.received_at < $period_end AS in_period,
           coalesce(c.first_response_at, c.resolved_at, c.closed_at) AS first_answer_at,
           coalesce(c.resolved_at, c.closed_at) AS done_at
    FROM c
)
SELECT count(*) FILTER (WHERE in_period) AS received,
       count(*) FILTER (WHERE in_period AND validity = 'valid') AS valid,
       (SELECT households FROM hh) AS households,
       count(*) FILTER (WHERE in_period AND list_contains((SELECT ids FROM hh), project_id)) AS received_known,
       count(*) FILTER (WHERE resolve_due_at >= $period_start AND resolve_due_at < least($period_end, $now))
           AS due,
       count(*) FILTER (WHERE resolve_due_at >= $period_start AND resolve_due_at < least($period_end, $now)
                        AND done_at <= resolve_due_at) AS on_time,
       count(*) FILTER (WHERE status IN ('received', 'judged', 'dispatched', 'in_progress', 'suspended')
                        AND complaint_overdue(status, first_response_due_at, first_response_at,
                                              resolve_due_at, resolved_at, closed_at, $now)) AS overdue_open,
       count(*) FILTER (WHERE first_answer_at >= $period_start AND first_answer_at < $period_end) AS answered,
       quantile_cont(epoch(first_answer_at - received_at) / 3600.0, 0.5)
           FILTER (WHERE first_answer_at >= $period_start AND first_answer_at < $period_end) AS first_answer_p50,
       quantile_cont(epoch(first_answer_at - received_at) / 3600.0, 0.9)
           FILTER (WHERE first_answer_at >= $period_start AND first_answer_at < $period_end) AS first_answer_p90,
       count(*) FILTER (WHERE resolved_at >= $period_start AND resolved_at < $period_end) AS resolved,
       quantile_cont(epoch(resolved_at - received_at) / 3600.0, 0.5)
           FILTER (WHERE resolved_at >= $period_start AND resolved_at < $period_end) AS resolve_p50,
       quantile_cont(epoch(resolved_at - received_at) / 3600.0, 0.9)
           FILTER (WHERE resolved_at >= $period_start AND resolved_at < $period_end) AS resolve_p90,
       (SELECT count(*) FROM complaint_history h JOIN c ON c.id = h.complaint_id
        WHERE h.action = 'reopen' AND h.field = 'status'
          AND h.at_time >= $period_start AND h.at_time < $period_end) AS reopened
FROM f
