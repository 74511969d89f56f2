-- PostgreSQL twin of dashboards/complaint_kpis (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the same row. Through the extension each of the dashboard's three calls (the period,
-- the one before, a year ago) pulled the scope's complaints into DuckDB (4-5 s each on 1 M). Here
-- every part reads complaints on its own (a CTE used six times would be materialised whole) with
-- its own range condition, in_scope written out (its function would cast project_id to bigint: no index), the other macros
-- PostgreSQL's functions of migration pg/025 (inlined),
-- quantile_cont is percentile_cont (the same linear interpolation) and epoch() is
-- extract(epoch …); the reopen steps by the partial index of pg/028.
-- Params: $scope_kind, $scope_id, $period_start, $period_end, $now
WITH known AS (
    SELECT p.id, p.households FROM projects p
    WHERE ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND p.branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND p.id = $scope_id::bigint)) AND p.households > 0
), rec AS (
    SELECT count(*) AS received, count(*) FILTER (WHERE validity = 'valid') AS valid,
           count(*) FILTER (WHERE project_id IN (SELECT id FROM known)) AS received_known
    FROM complaints c
    WHERE ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND c.branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND c.project_id = $scope_id::bigint))
      AND received_at >= $period_start::timestamptz AND received_at < $period_end::timestamptz
), due AS (
    SELECT count(*) AS due,
           count(*) FILTER (WHERE coalesce(resolved_at, closed_at) <= resolve_due_at) AS on_time
    FROM complaints c
    WHERE ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND c.branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND c.project_id = $scope_id::bigint))
      AND resolve_due_at >= $period_start::timestamptz
      AND resolve_due_at < least($period_end::timestamptz, $now::timestamptz)
), ov AS (
    SELECT count(*) AS overdue_open FROM complaints c
    WHERE ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND c.branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND c.project_id = $scope_id::bigint))
      AND complaint_open(status) AND import_batch_id IS NULL  -- no limit runs for imported history
      AND complaint_overdue(status, first_response_due_at, first_response_at, resolve_due_at, resolved_at,
                            closed_at, $now::timestamptz)
), fa AS (
    SELECT count(*) AS answered, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY h) AS q
    FROM (SELECT CAST(extract(epoch FROM coalesce(first_response_at, resolved_at, closed_at))
                      - extract(epoch FROM received_at) AS double precision) / 3600.0 AS h
          FROM complaints c
          WHERE ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND c.branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND c.project_id = $scope_id::bigint))
            AND coalesce(first_response_at, resolved_at, closed_at) >= $period_start::timestamptz
            AND coalesce(first_response_at, resolved_at, closed_at) < $period_end::timestamptz) x
), res AS (
    SELECT count(*) AS resolved, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY h) AS q
    FROM (SELECT CAST(extract(epoch FROM resolved_at) - extract(epoch FROM received_at) AS double precision)
                 / 3600.0 AS h
          FROM complaints c
          WHERE ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND c.branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND c.project_id = $scope_id::bigint))
            AND resolved_at >= $period_start::timestamptz AND resolved_at < $period_end::timestamptz) x
), reo AS (
    SELECT count(*) AS reopened FROM complaint_history h
    WHERE h.action = 'reopen' AND h.field = 'status'
      AND h.at_time >= $period_start::timestamptz AND h.at_time < $period_end::timestamptz
      AND h.complaint_id IN (SELECT id FROM complaints c
                             WHERE ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND c.branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND c.project_id = $scope_id::bigint)))
)
SELECT rec.received, rec.valid, (SELECT sum(households) FROM known) AS households, rec.received_known,
       due.due, due.on_time, ov.overdue_open,
       fa.answered, fa.q[1] AS first_answer_p50, fa.q[2] AS first_answer_p90,
       res.resolved, res.q[1] AS resolve_p50, res.q[2] AS resolve_p90, reo.reopened
FROM rec, due, ov, fa, res, reo
