-- PostgreSQL only, run right after queries/migrations/025_pg_functions.sql on a PostgreSQL store
-- (csm/storage/pg.py): the scalar macros of migrations 001, 003, 005, 007, 008 and 017 as
-- PostgreSQL SQL functions of the same names, arguments and results, so that the named SQL that
-- uses them runs natively inside a write transaction (csm.storage.pg.NativeTx) and sees the
-- transaction's own writes. Simple IMMUTABLE expressions: PostgreSQL inlines them into the query
-- like DuckDB's macros (a scope condition still uses the indexes). Numbers are typed loosely:
-- double precision / numeric take every integer PostgreSQL passes (count(*), sum(bigint)).
-- The table macros (complaints_filtered, inbox_of) stay DuckDB-only: only reads use them.
-- tests/test_pg_parity.py checks each against its macro on the same values.
CREATE OR REPLACE FUNCTION in_scope(scope_kind text, scope_id bigint, row_project_id bigint,
                                    row_branch_id bigint) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT scope_kind = 'group'
        OR (scope_kind = 'branch' AND row_branch_id = scope_id)
        OR (scope_kind = 'project' AND row_project_id = scope_id) $$;

CREATE OR REPLACE FUNCTION mask_phone(phone text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN phone IS NULL THEN NULL
                WHEN length(phone) >= 7 THEN left(phone, 3) || '****' || right(phone, 4)
                ELSE '****' END $$;

CREATE OR REPLACE FUNCTION overdue(due_at timestamptz, done_at timestamptz, at_time timestamptz)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN due_at IS NULL THEN FALSE
                WHEN done_at IS NOT NULL THEN done_at > due_at
                ELSE at_time > due_at END $$;

CREATE OR REPLACE FUNCTION complaint_overdue(status text, first_response_due_at timestamptz,
                                             first_response_at timestamptz, resolve_due_at timestamptz,
                                             resolved_at timestamptz, closed_at timestamptz,
                                             at_time timestamptz) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT status <> 'suspended' AND (
        overdue(first_response_due_at, coalesce(first_response_at, resolved_at, closed_at), at_time)
        OR overdue(resolve_due_at, coalesce(resolved_at, closed_at), at_time)) $$;

CREATE OR REPLACE FUNCTION survey_qualified(rating integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT rating >= 2 $$;

CREATE OR REPLACE FUNCTION survey_unsatisfied(rating integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT rating = 1 $$;

CREATE OR REPLACE FUNCTION survey_satisfaction(n_qualified double precision,
                                               n_unsatisfied double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN coalesce(n_qualified, 0) + coalesce(n_unsatisfied, 0) = 0 THEN NULL
                ELSE n_qualified / (n_qualified + n_unsatisfied) END $$;

CREATE OR REPLACE FUNCTION survey_return_rate(n_returned double precision, n_issued double precision)
    RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN coalesce(n_issued, 0) = 0 THEN NULL ELSE n_returned / n_issued END $$;

CREATE OR REPLACE FUNCTION survey_action_overdue(status text, deadline date, today date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT status = 'open' AND deadline < today $$;

CREATE OR REPLACE FUNCTION revisit_on_time(done_at timestamptz, due_at timestamptz) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT done_at IS NOT NULL AND done_at <= due_at $$;

CREATE OR REPLACE FUNCTION ratio(numerator double precision, denominator double precision)
    RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN coalesce(denominator, 0) = 0 THEN NULL ELSE numerator / denominator END $$;

CREATE OR REPLACE FUNCTION survey_counts_qualified(n4 numeric, n3 numeric, n2 numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(n4, 0) + coalesce(n3, 0) + coalesce(n2, 0) $$;

CREATE OR REPLACE FUNCTION survey_counts_rate(n4 numeric, n3 numeric, n2 numeric, n1 numeric)
    RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT survey_satisfaction(survey_counts_qualified(n4, n3, n2), coalesce(n1, 0)) $$;

-- the complaint status sets of migration 017 (csm/status.py STATUS_SETS)
CREATE OR REPLACE FUNCTION complaint_open(status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT status IN ('received', 'judged', 'dispatched', 'in_progress', 'suspended') $$;

CREATE OR REPLACE FUNCTION complaint_done(status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT status IN ('resolved', 'revisited', 'closed') $$;

CREATE OR REPLACE FUNCTION complaint_awaiting_revisit(status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT status IN ('resolved') $$;

CREATE OR REPLACE FUNCTION complaint_escalatable(status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT status IN ('received', 'judged', 'dispatched', 'in_progress') $$;

CREATE OR REPLACE FUNCTION complaint_assigned_work(status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT status IN ('dispatched', 'in_progress', 'suspended') $$;

CREATE OR REPLACE FUNCTION complaint_late_first_response(status text, escalated_first_response boolean,
                                                         first_response_at timestamptz,
                                                         first_response_due_at timestamptz,
                                                         at_time timestamptz) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT complaint_escalatable(status) AND NOT escalated_first_response AND first_response_at IS NULL
       AND first_response_due_at < at_time $$;

CREATE OR REPLACE FUNCTION complaint_late_resolve(status text, escalated_resolve boolean,
                                                  resolve_due_at timestamptz, at_time timestamptz)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT complaint_escalatable(status) AND NOT escalated_resolve AND resolve_due_at < at_time $$;

CREATE OR REPLACE FUNCTION complaint_late_for_escalation(status text, escalated_first_response boolean,
                                                         first_response_at timestamptz,
                                                         first_response_due_at timestamptz,
                                                         escalated_resolve boolean,
                                                         resolve_due_at timestamptz, at_time timestamptz)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT complaint_late_first_response(status, escalated_first_response, first_response_at,
                                         first_response_due_at, at_time)
        OR complaint_late_resolve(status, escalated_resolve, resolve_due_at, at_time) $$;
