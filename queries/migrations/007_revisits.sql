-- Revisits (回访, DOMAIN.md §3; seeds 000, 002 4.2, 004): service records from the repair system,
-- revisit tasks with due times, and the record of each attempt.

-- When each kind of revisit falls due after its event (defaults from DOMAIN.md §3).
CREATE TABLE revisit_settings (
    kind                VARCHAR PRIMARY KEY,  -- complaint | repair | paid_service | survey | move_in | serious
    due_days            INTEGER NOT NULL,
    max_failed_attempts INTEGER NOT NULL DEFAULT 3
);
INSERT INTO revisit_settings VALUES
    ('complaint',    3,  3),
    ('repair',       3,  3),
    ('paid_service', 3,  3),
    ('survey',       7,  3),
    ('move_in',      30, 3),
    ('serious',      2,  3);

-- Repairs and paid/entrusted services: a simple record, entered or imported (not a work-order system).
CREATE SEQUENCE seq_service_record START 1;
CREATE TABLE service_records (
    id             INTEGER PRIMARY KEY DEFAULT nextval('seq_service_record'),
    project_id     INTEGER NOT NULL,
    branch_id      INTEGER NOT NULL,
    unit_id        INTEGER,
    unit_text      VARCHAR,
    resident_name  VARCHAR,
    resident_phone VARCHAR,
    service_type   VARCHAR NOT NULL,          -- repair | paid_service
    department_id  INTEGER,
    completed_at   TIMESTAMPTZ NOT NULL,
    completed_by   VARCHAR,
    description    VARCHAR NOT NULL,
    external_ref   VARCHAR,                   -- number in the repair system; unique per project
    import_batch   VARCHAR,                   -- content hash of the imported file
    created_by     VARCHAR,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE SEQUENCE seq_revisit_task START 1;
CREATE TABLE revisit_tasks (
    id                 INTEGER PRIMARY KEY DEFAULT nextval('seq_revisit_task'),
    kind               VARCHAR NOT NULL,      -- complaint | repair | paid_service | survey | move_in | serious
    project_id         INTEGER NOT NULL,
    branch_id          INTEGER NOT NULL,
    unit_id            INTEGER,
    unit_text          VARCHAR,
    contact_name       VARCHAR,
    contact_phone      VARCHAR,
    complaint_id       INTEGER,
    service_record_id  INTEGER,
    survey_response_id INTEGER,
    resident_id        INTEGER,
    parent_task_id     INTEGER,               -- the revisit that asked for a 'serious' one
    note               VARCHAR,
    event_at           TIMESTAMPTZ NOT NULL,  -- what the revisit follows: resolved, completed, moved in ...
    due_at             TIMESTAMPTZ NOT NULL,
    assignee_id        INTEGER,
    status             VARCHAR NOT NULL DEFAULT 'open',   -- open | done | cancelled
    failed_attempts    INTEGER NOT NULL DEFAULT 0,
    done_at            TIMESTAMPTZ,
    satisfaction       VARCHAR,               -- of the successful revisit, copied for indicators
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE SEQUENCE seq_revisit_record START 1;
CREATE TABLE revisit_records (
    id                    INTEGER PRIMARY KEY DEFAULT nextval('seq_revisit_record'),
    task_id               INTEGER NOT NULL,
    attempt_at            TIMESTAMPTZ NOT NULL,
    by_user               VARCHAR NOT NULL,
    method                VARCHAR NOT NULL,   -- phone | visit | letter
    reached               BOOLEAN NOT NULL,
    fail_reason           VARCHAR,            -- no_answer | wrong_number | refused | other
    person_reached        VARCHAR,
    relation              VARCHAR,            -- relation to the complainant
    satisfaction          VARCHAR,            -- very_satisfied | satisfied | neutral | unsatisfied
    attitude              VARCHAR,            -- repairs: 服务态度
    efficiency            VARCHAR,            -- repairs: 工作效率
    effect                VARCHAR,            -- repairs: 维修效果
    comments              VARCHAR,
    serious               BOOLEAN NOT NULL DEFAULT FALSE,
    reopened_complaint_id INTEGER,
    new_complaint_id      INTEGER,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The one definition of "done on time" used by every indicator.
CREATE MACRO revisit_on_time(done_at, due_at) AS done_at IS NOT NULL AND done_at <= due_at;

-- A rate that is undefined (NULL, shown as "—") when nothing was due, never 0%.
CREATE MACRO ratio(numerator, denominator) AS
    CASE WHEN coalesce(denominator, 0) = 0 THEN NULL ELSE numerator::DOUBLE / denominator END;
