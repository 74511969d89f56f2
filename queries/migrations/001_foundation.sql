-- Foundation schema: settings, organisation, reference data, residents, users, audit.
-- Foreign keys and uniqueness of editable codes are enforced by the domain commands
-- (csm/reference.py), because DuckDB turns updates of indexed columns into delete+insert.

CREATE TABLE settings (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
INSERT INTO settings VALUES
    ('timezone', 'Asia/Shanghai'),
    ('company_name', '示范物业服务集团'),
    ('lockout_attempts', '5'),
    ('lockout_minutes', '15');

CREATE SEQUENCE seq_branch START 1;
CREATE TABLE branches (
    id         INTEGER PRIMARY KEY DEFAULT nextval('seq_branch'),
    code       VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE SEQUENCE seq_project START 1;
CREATE TABLE projects (
    id           INTEGER PRIMARY KEY DEFAULT nextval('seq_project'),
    code         VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    branch_id    INTEGER NOT NULL,
    project_type VARCHAR NOT NULL DEFAULT 'residential',  -- residential | commercial | office | mixed
    address      VARCHAR,
    households   INTEGER,                                  -- units under management, if known
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE SEQUENCE seq_building START 1;
CREATE TABLE buildings (
    id         INTEGER PRIMARY KEY DEFAULT nextval('seq_building'),
    project_id INTEGER NOT NULL,
    code       VARCHAR NOT NULL,
    name       VARCHAR NOT NULL
);

CREATE SEQUENCE seq_unit START 1;
CREATE TABLE units (
    id          INTEGER PRIMARY KEY DEFAULT nextval('seq_unit'),
    project_id  INTEGER NOT NULL,
    building_id INTEGER NOT NULL,
    code        VARCHAR NOT NULL,          -- 房号, e.g. 1-2-301
    floor       INTEGER,
    area_m2     DOUBLE
);

CREATE SEQUENCE seq_resident START 1;
CREATE TABLE residents (
    id          INTEGER PRIMARY KEY DEFAULT nextval('seq_resident'),
    project_id  INTEGER NOT NULL,
    unit_id     INTEGER,
    name        VARCHAR NOT NULL,
    phone       VARCHAR,
    relation    VARCHAR NOT NULL DEFAULT 'owner',   -- owner | family | tenant | other
    moved_in_on DATE
);

CREATE SEQUENCE seq_department START 1;
CREATE TABLE departments (
    id      INTEGER PRIMARY KEY DEFAULT nextval('seq_department'),
    code    VARCHAR NOT NULL,
    name    VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    level   VARCHAR NOT NULL DEFAULT 'project',    -- project | company
    active  BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE SEQUENCE seq_category START 1;
CREATE TABLE categories (
    id                    INTEGER PRIMARY KEY DEFAULT nextval('seq_category'),
    code                  VARCHAR NOT NULL,
    parent_id             INTEGER,             -- NULL for a first-level category
    name                  VARCHAR NOT NULL,
    name_en               VARCHAR NOT NULL,
    default_department_id INTEGER,
    sort                  INTEGER NOT NULL DEFAULT 0,
    active                BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE SEQUENCE seq_channel START 1;
CREATE TABLE channels (
    id      INTEGER PRIMARY KEY DEFAULT nextval('seq_channel'),
    code    VARCHAR NOT NULL,
    name    VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    origin  VARCHAR NOT NULL DEFAULT 'resident',   -- resident | company | superior | government
    active  BOOLEAN NOT NULL DEFAULT TRUE
);

-- Time limits per grade x urgency (DOMAIN.md §2, seeds 002 and 004).
CREATE TABLE sla_settings (
    grade                VARCHAR NOT NULL,     -- general | important | major
    urgency              VARCHAR NOT NULL,     -- urgent | normal
    forward_minutes      INTEGER NOT NULL,
    first_response_hours INTEGER NOT NULL,
    resolve_hours        INTEGER NOT NULL,
    PRIMARY KEY (grade, urgency)
);

CREATE SEQUENCE seq_user START 1;
CREATE TABLE users (
    id              INTEGER PRIMARY KEY DEFAULT nextval('seq_user'),
    username        VARCHAR NOT NULL UNIQUE,
    display_name    VARCHAR NOT NULL,
    email           VARCHAR,
    password_hash   VARCHAR NOT NULL,
    role            VARCHAR NOT NULL,          -- clerk | supervisor | manager | head_office | admin
    scope_kind      VARCHAR NOT NULL,          -- group | branch | project
    scope_id        INTEGER,                   -- branch or project id; NULL for group
    department_id   INTEGER,
    lang            VARCHAR NOT NULL DEFAULT 'zh',
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE SEQUENCE seq_audit START 1;
CREATE TABLE audit_log (
    id        BIGINT PRIMARY KEY DEFAULT nextval('seq_audit'),
    at_time   TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor     VARCHAR,                         -- username, NULL for the system
    action    VARCHAR NOT NULL,                -- login | login_failed | logout | create | update | ...
    entity    VARCHAR,
    entity_id VARCHAR,
    before    VARCHAR,                         -- JSON text
    after     VARCHAR                          -- JSON text
);

-- Scope rule used by every read of residents' or complaints' rows (DOMAIN.md §1).
CREATE MACRO in_scope(scope_kind, scope_id, row_project_id, row_branch_id) AS
    scope_kind = 'group'
    OR (scope_kind = 'branch' AND row_branch_id = scope_id)
    OR (scope_kind = 'project' AND row_project_id = scope_id);

-- Residents' phones outside their own project: 138****5678 (seed 001: 不得泄露业主隐私).
CREATE MACRO mask_phone(phone) AS
    CASE WHEN phone IS NULL THEN NULL
         WHEN length(phone) >= 7 THEN left(phone, 3) || '****' || right(phone, 4)
         ELSE '****' END;
