-- Imported history (issue 11): complaints, their history and revisits brought from a legacy ledger
-- or another system's export keep their own times and are marked with the import batch that
-- brought them (the import log of csm/importing: one batch id per applied file).
--   source_system + source_ref   the other system's name and its ticket number: the natural key
--                                 (the same file twice adds nothing; a corrected file updates)
--   source_hash                   the imported row's content: "same" or "update" on a re-import
-- Imported records create no revisit task, escalation, inbox item or follow-up (docs/domain.md,
-- "Imported history"): their escalation flags are set on import (one step per due time: the
-- legacy system's), and the inbox below leaves them out.
ALTER TABLE complaints ADD COLUMN import_batch_id BIGINT;
ALTER TABLE complaints ADD COLUMN source_system VARCHAR;
ALTER TABLE complaints ADD COLUMN source_ref VARCHAR;
ALTER TABLE complaints ADD COLUMN source_hash VARCHAR;
CREATE UNIQUE INDEX complaints_source ON complaints (source_system, source_ref);

ALTER TABLE complaint_history ADD COLUMN import_batch_id BIGINT;
ALTER TABLE complaint_handling ADD COLUMN import_batch_id BIGINT;
ALTER TABLE revisit_tasks ADD COLUMN import_batch_id BIGINT;
ALTER TABLE revisit_records ADD COLUMN import_batch_id BIGINT;
ALTER TABLE revisit_records ADD COLUMN source_ref VARCHAR;  -- a revisit ledger's own number, if any
ALTER TABLE service_records ADD COLUMN import_batch_id BIGINT;

-- What an import's update overwrote, so that undoing the batch puts it back (the columns the
-- complaint-ledger target writes; csm/complaints/importer.py IMPORTED_COLUMNS).
CREATE TABLE complaint_import_before (
    batch_id            BIGINT NOT NULL,
    complaint_id        INTEGER NOT NULL,
    prior_batch_id      BIGINT,
    source_hash         VARCHAR,
    project_id          INTEGER, branch_id INTEGER, building_text VARCHAR, unit_id INTEGER,
    unit_text           VARCHAR, complainant_name VARCHAR, complainant_phone VARCHAR,
    channel_id          INTEGER, received_at TIMESTAMPTZ, category_id INTEGER, description VARCHAR,
    urgency             VARCHAR, status VARCHAR, validity VARCHAR, grade VARCHAR, owner_level VARCHAR,
    department_id       INTEGER, forward_due_at TIMESTAMPTZ, first_response_due_at TIMESTAMPTZ,
    resolve_due_at      TIMESTAMPTZ, first_response_at TIMESTAMPTZ, resolved_at TIMESTAMPTZ,
    result              VARCHAR, closed_at TIMESTAMPTZ, close_satisfied BOOLEAN,
    PRIMARY KEY (batch_id, complaint_id)
);

-- The inbox (migration 017) without imported complaints in its complaint part: an imported
-- open complaint is on the desk, but it is not anybody's reminder (its times are the old
-- system's). Notices still show (the product writes none for an import).
CREATE OR REPLACE MACRO inbox_of(f_user_id, f_username, f_display_name, scope_kind, scope_id, f_now, f_soon_until,
                      f_day_end, f_today, f_scope_due, f_quality_due, f_revisits, f_revisits_unassigned,
                      f_actions_scope, f_actions_owned) AS TABLE
SELECT 'notice' AS source, n.kind, c.id AS ref_id, n.id AS notice_id, c.id AS complaint_id, c.code,
       c.status, p.name AS project,
       -- the next due time not yet met: the first response while nobody answered, else the resolution
       CASE WHEN c.first_response_at IS NULL THEN least(c.first_response_due_at, c.resolve_due_at)
            ELSE c.resolve_due_at END AS due_at, CAST(NULL AS DATE) AS due_on,
       complaint_overdue(c.status, c.first_response_due_at, c.first_response_at, c.resolve_due_at,
                         c.resolved_at, c.closed_at, f_now) AS overdue,
       left(c.description, 60) AS summary, 0 AS sort_group, -epoch(n.created_at) AS sort_key
FROM notifications n JOIN complaints c ON c.id = n.complaint_id JOIN projects p ON p.id = c.project_id
WHERE n.user_id = f_user_id AND n.read_at IS NULL
UNION ALL
SELECT 'complaint', CASE WHEN x.mine THEN 'assigned' WHEN x.overdue THEN 'overdue' ELSE 'due_soon' END,
       x.id, NULL, x.id, x.code, x.status, x.project, x.due_at, NULL, x.overdue, x.summary, 1, epoch(x.due_at)
FROM (
    SELECT c.id, c.code, c.status, p.name AS project, left(c.description, 60) AS summary,
           c.assignee_id = f_user_id AND complaint_assigned_work(c.status) AS mine,
           complaint_overdue(c.status, c.first_response_due_at, c.first_response_at, c.resolve_due_at,
                             c.resolved_at, c.closed_at, f_now) AS overdue,
           CASE WHEN c.first_response_at IS NULL THEN least(c.first_response_due_at, c.resolve_due_at)
                ELSE c.resolve_due_at END AS due_at,  -- as above
           (f_scope_due AND in_scope(scope_kind, scope_id, c.project_id, c.branch_id))
           OR (f_quality_due AND c.owner_level = 'quality_department') AS watched
    FROM complaints c JOIN projects p ON p.id = c.project_id
    WHERE complaint_open(c.status) AND c.import_batch_id IS NULL
) x
WHERE x.mine OR (x.watched AND complaint_escalatable(x.status) AND (x.overdue OR x.due_at < f_soon_until))
UNION ALL
SELECT 'revisit', CASE WHEN t.due_at < f_now THEN 'revisit_overdue' ELSE 'revisit_due' END, t.id, NULL,
       t.complaint_id, '#' || t.id, t.kind, p.name, t.due_at, NULL, t.due_at < f_now,
       trim(concat_ws(' ', t.unit_text, t.contact_name)), 1, epoch(t.due_at)
FROM revisit_tasks t JOIN projects p ON p.id = t.project_id
WHERE t.status = 'open' AND t.due_at < f_day_end
  AND in_scope(scope_kind, scope_id, t.project_id, t.branch_id)
  AND ((f_revisits AND t.assignee_id = f_user_id) OR (f_revisits_unassigned AND t.assignee_id IS NULL))
UNION ALL
SELECT 'action', 'action_overdue', a.id, NULL, NULL, '#' || a.id, a.status, p.name, NULL, a.deadline, TRUE,
       left(a.problem, 60), 1, epoch(CAST(a.deadline AS TIMESTAMP))
FROM survey_actions a JOIN projects p ON p.id = a.project_id
WHERE survey_action_overdue(a.status, a.deadline, f_today)
  AND in_scope(scope_kind, scope_id, a.project_id, a.branch_id)
  AND (f_actions_scope OR (f_actions_owned AND a.owner IN (f_username, f_display_name)));

-- A ledger without a channel column: the complaint's channel says so instead of guessing one.
INSERT INTO channels (code, name, name_en, origin) VALUES
    ('IMPORT', '导入（渠道未记录）', 'Imported (channel not recorded)', 'resident');
