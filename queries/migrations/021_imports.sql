-- Issue 11, the import mechanism: one log row per applied import (who, when, file, fingerprint,
-- target, mapping, counts), the records each import added or changed (so that it can be undone),
-- and the column/value mappings users saved under a name per target.
CREATE SEQUENCE seq_import_batch START 1;
CREATE TABLE import_batches (
    id           INTEGER PRIMARY KEY DEFAULT nextval('seq_import_batch'),
    target       VARCHAR NOT NULL,          -- households | complaints | revisits | service_records ...
    file_name    VARCHAR NOT NULL,
    fingerprint  VARCHAR NOT NULL,          -- sha256 of the file's bytes
    mapping_name VARCHAR,                   -- the saved mapping used, if any
    mapping      VARCHAR NOT NULL,          -- the mapping applied (JSON: columns, values, date format)
    project_id   INTEGER,                   -- the one project all rows belong to, else NULL (scope of the log)
    added        INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    same         INTEGER NOT NULL DEFAULT 0,
    user_id      INTEGER,
    username     VARCHAR NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    undone_at    TIMESTAMPTZ,
    undone_by    VARCHAR,
    undone_rows  INTEGER
);

-- What a batch wrote, for a target that keeps it here (the households target does; a target may
-- instead mark its own rows with the batch id): kind is the table ("unit", "building",
-- "resident", "project"), action add | update, before the changed columns' old values (JSON).
CREATE TABLE import_records (
    batch_id  INTEGER NOT NULL,
    kind      VARCHAR NOT NULL,
    record_id INTEGER NOT NULL,
    action    VARCHAR NOT NULL,
    before    VARCHAR
);

CREATE TABLE import_mappings (
    target   VARCHAR NOT NULL,
    name     VARCHAR NOT NULL,
    mapping  VARCHAR NOT NULL,              -- JSON, as import_batches.mapping
    saved_by VARCHAR NOT NULL,
    saved_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (target, name)
);
