-- Returns: one page of a user's inbox (macro inbox_of, migration 012): notices first, newest
-- first, then complaints, revisits and corrective actions by due time, the most overdue first;
-- `total` is the count of the whole inbox (the same read as inbox_count).
-- The total is a count of the materialised list, not count(*) OVER () beside ORDER BY ... LIMIT on
-- a UNION ALL: that combination fails intermittently in DuckDB with "Attempted to access index 0
-- within vector of size 0" and leaves the database unusable (duckdb/duckdb#22352).
-- Params: as csm.complaints.inbox_params, and $limit, $offset
WITH items AS MATERIALIZED (
    SELECT * FROM inbox_of($user_id, $username, $display_name, $scope_kind, $scope_id, $now, $soon_until,
                           $day_end, $today, $scope_due, $quality_due, $revisits, $revisits_unassigned,
                           $actions_scope, $actions_owned)
)
SELECT items.*, (SELECT count(*) FROM items) AS total
FROM items
ORDER BY sort_group, sort_key, source, ref_id
LIMIT $limit OFFSET $offset
