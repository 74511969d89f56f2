-- Complaints (投诉, DOMAIN.md §2; seeds 000, 003, 004): intake, judgement, dispatch, handling,
-- time limits, escalation, closing; their history, attachments and the users' inbox.
-- The status machine lives in csm/status.py, the clock in csm/sla.py; the overdue rule is the
-- macro `overdue` below, the SQL twin of csm.sla.is_overdue (a test keeps them equal).

-- Per-year code counter: TS-2026-000123 is unique per company and year. The counter row is
-- updated in the filing transaction, so two clerks filing at once conflict and one retries.
CREATE TABLE complaint_counters (
    year    INTEGER PRIMARY KEY,
    last_no INTEGER NOT NULL
);

CREATE SEQUENCE seq_complaint START 1;
CREATE TABLE complaints (
    id                     INTEGER PRIMARY KEY DEFAULT nextval('seq_complaint'),
    code                   VARCHAR NOT NULL,
    project_id             INTEGER NOT NULL,
    branch_id              INTEGER NOT NULL,       -- denormalised from the project for scoped reads
    building_id            INTEGER,
    building_text          VARCHAR,                -- as typed, or the building's name when known
    unit_id                INTEGER,
    unit_text              VARCHAR,                -- as typed, or the unit's code when known
    resident_id            INTEGER,
    complainant_name       VARCHAR NOT NULL,
    complainant_phone      VARCHAR,
    relation               VARCHAR NOT NULL DEFAULT 'owner',   -- owner | family | tenant | other
    channel_id             INTEGER NOT NULL,
    received_at            TIMESTAMPTZ NOT NULL,
    received_by            VARCHAR NOT NULL,       -- username
    category_id            INTEGER NOT NULL,       -- second level; the first level is its parent
    description            VARCHAR NOT NULL,       -- verbatim, any length
    urgency                VARCHAR NOT NULL DEFAULT 'normal',  -- urgent | normal
    status                 VARCHAR NOT NULL DEFAULT 'received',
    resume_status          VARCHAR,                -- the status a suspended complaint returns to
    validity               VARCHAR,                -- valid | coordination | invalid
    validity_basis         VARCHAR,
    grade                  VARCHAR,                -- general | important | major (NULL until judged)
    owner_level            VARCHAR NOT NULL DEFAULT 'project',
        -- project | branch_manager | general_manager | quality_department
    judged_at              TIMESTAMPTZ,
    judged_by              VARCHAR,
    department_id          INTEGER,
    assignee_id            INTEGER,
    dispatched_at          TIMESTAMPTZ,
    forward_due_at         TIMESTAMPTZ NOT NULL,
    first_response_due_at  TIMESTAMPTZ NOT NULL,
    resolve_due_at         TIMESTAMPTZ NOT NULL,
    first_response_at      TIMESTAMPTZ,
    paused_minutes         DOUBLE NOT NULL DEFAULT 0,  -- counted time spent suspended, all spells
    suspended_at           TIMESTAMPTZ,
    suspend_reason         VARCHAR,
    resolved_at            TIMESTAMPTZ,
    resolved_by            VARCHAR,
    result                 VARCHAR,
    closed_at              TIMESTAMPTZ,
    closed_by              VARCHAR,
    close_satisfied        BOOLEAN,
    confirmed_by           VARCHAR,                -- who confirmed satisfaction (resident or family)
    close_explanation      VARCHAR,                -- invalid complaints: what was explained
    reopen_count           INTEGER NOT NULL DEFAULT 0,
    escalation_level       VARCHAR NOT NULL DEFAULT 'project',
    escalated_first_response BOOLEAN NOT NULL DEFAULT FALSE,  -- one step per overdue due time
    escalated_resolve      BOOLEAN NOT NULL DEFAULT FALSE,
    linked_to_id           INTEGER,                -- a possible duplicate's original
    version                INTEGER NOT NULL DEFAULT 1,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX complaints_code ON complaints (code);

-- Every change of status, grade, validity, department, assignee, deadline or escalation.
CREATE SEQUENCE seq_complaint_history START 1;
CREATE TABLE complaint_history (
    id           BIGINT PRIMARY KEY DEFAULT nextval('seq_complaint_history'),
    complaint_id INTEGER NOT NULL,
    at_time      TIMESTAMPTZ NOT NULL,
    actor        VARCHAR,                          -- username; NULL for the system
    action       VARCHAR NOT NULL,                 -- file | judge | dispatch | ... | escalate
    field        VARCHAR,                          -- NULL for a row that only notes the action
    from_value   VARCHAR,
    to_value     VARCHAR,
    note         VARCHAR
);

-- Handling records (处理记录: who, when, what was done; seed 004's form has room for five).
CREATE SEQUENCE seq_complaint_handling START 1;
CREATE TABLE complaint_handling (
    id           BIGINT PRIMARY KEY DEFAULT nextval('seq_complaint_handling'),
    complaint_id INTEGER NOT NULL,
    handled_at   TIMESTAMPTZ NOT NULL,
    handled_by   VARCHAR NOT NULL,                 -- the person who did it (may have no account)
    content      VARCHAR NOT NULL,
    recorded_by  VARCHAR NOT NULL,                 -- username
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Updates given to the resident while unresolved (seed 000: 定期向客户讲明跟进及落实情况).
CREATE SEQUENCE seq_complaint_progress START 1;
CREATE TABLE complaint_progress (
    id           BIGINT PRIMARY KEY DEFAULT nextval('seq_complaint_progress'),
    complaint_id INTEGER NOT NULL,
    given_at     TIMESTAMPTZ NOT NULL,
    method       VARCHAR NOT NULL DEFAULT 'phone', -- phone | visit | sms | wechat | letter
    content      VARCHAR NOT NULL,
    recorded_by  VARCHAR NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Photos and documents; files live under data/uploads named by their content hash.
CREATE SEQUENCE seq_complaint_attachment START 1;
CREATE TABLE complaint_attachments (
    id           INTEGER PRIMARY KEY DEFAULT nextval('seq_complaint_attachment'),
    complaint_id INTEGER NOT NULL,
    file_name    VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,                 -- sha256 hex
    size_bytes   BIGINT NOT NULL,
    mime         VARCHAR NOT NULL,
    stored_path  VARCHAR NOT NULL,                 -- relative to the uploads folder
    uploaded_by  VARCHAR NOT NULL,
    uploaded_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The inbox: assignments, major complaints, escalations, reopenings addressed to a user.
CREATE SEQUENCE seq_notification START 1;
CREATE TABLE notifications (
    id           BIGINT PRIMARY KEY DEFAULT nextval('seq_notification'),
    user_id      INTEGER NOT NULL,
    complaint_id INTEGER,
    kind         VARCHAR NOT NULL,  -- assigned | major | escalated | quality | reopened
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at      TIMESTAMPTZ
);

-- Revisits may open a complaint themselves (DOMAIN.md §3: an unsatisfied revisit).
INSERT INTO channels (code, name, name_en, origin) VALUES
    ('REVISIT', '回访反馈', 'Revisit feedback', 'resident');

-- THE overdue rule (csm.sla.is_overdue): past its due time and not done by it.
CREATE MACRO overdue(due_at, done_at, now) AS
    CASE WHEN due_at IS NULL THEN FALSE
         WHEN done_at IS NOT NULL THEN done_at > due_at
         ELSE now > due_at END;

-- A complaint is overdue when its first response or its resolution is (csm.complaints.is_overdue).
-- A resolution or a closing is also the first answer the resident gets; a suspended complaint's
-- clock is stopped, so it is not overdue until it resumes (its due times are then shifted).
CREATE MACRO complaint_overdue(status, first_response_due_at, first_response_at,
                               resolve_due_at, resolved_at, closed_at, now) AS
    status <> 'suspended' AND (
        overdue(first_response_due_at, coalesce(first_response_at, resolved_at, closed_at), now)
        OR overdue(resolve_due_at, coalesce(resolved_at, closed_at), now));
