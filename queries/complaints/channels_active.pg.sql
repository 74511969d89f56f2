-- PostgreSQL twin of complaints/channels_active (run natively on a PostgreSQL store,
-- docs/storage.md slice 8; the intake page reads it on every rerun): the same SQL, one native
-- round trip instead of a scan through the extension. Params: none
SELECT id, code, name, name_en, origin FROM channels WHERE active ORDER BY id
