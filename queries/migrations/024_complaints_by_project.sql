-- Migration 024: the complaints table rewritten in project order, so that a scope filter (a
-- project, a branch: its projects have neighbouring ids) skips the row groups of other projects
-- by their min/max (zone maps) instead of reading the whole company's table. New complaints are
-- appended at the end; re-running this ordering later is only an optimisation, never needed for
-- correctness. Same columns, defaults, keys and indexes as migrations 003 and 022 (imported history).
DROP INDEX complaints_code;
DROP INDEX complaints_source;
ALTER TABLE complaints RENAME TO complaints_unsorted;
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
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    import_batch_id        BIGINT,                 -- migration 022: the import that brought it
    source_system          VARCHAR,
    source_ref             VARCHAR,
    source_hash            VARCHAR
);
INSERT INTO complaints SELECT * FROM complaints_unsorted ORDER BY project_id, id;
DROP TABLE complaints_unsorted;
CREATE UNIQUE INDEX complaints_code ON complaints (code);
CREATE UNIQUE INDEX complaints_source ON complaints (source_system, source_ref);

-- Complaint codes are allocated in a short transaction of their own (csm/complaints/steps.py
-- allocate_code), so that concurrent filings do not queue behind one another's whole
-- transaction; a code allocated for a filing that then failed is handed back here and the next
-- filing of that year takes it, so the codes of a year stay gap-free.
CREATE TABLE complaint_code_returns (
    year INTEGER NOT NULL,
    no   INTEGER NOT NULL,
    PRIMARY KEY (year, no)
);
