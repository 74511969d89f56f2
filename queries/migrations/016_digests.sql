-- The daily digest (python -m csm digest --date D): one row per manager and day, shown on their
-- home page; the file written beside it lives in the digest folder (CSM_DIGEST_DIR).
CREATE SEQUENCE seq_digest START 1;
CREATE TABLE digests (
    id          INTEGER PRIMARY KEY DEFAULT nextval('seq_digest'),
    user_id     INTEGER NOT NULL,
    day         DATE NOT NULL,
    summary     VARCHAR NOT NULL,     -- JSON: {figure key: number}, rendered per language on the page
    file_name   VARCHAR,              -- relative to the digest folder
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at     TIMESTAMPTZ,
    UNIQUE (user_id, day)
);
