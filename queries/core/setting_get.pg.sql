-- PostgreSQL twin of core/setting_get (run natively on a PostgreSQL store, docs/storage.md slice 8):
-- the same SQL; the shell reads settings on every rerun of every page, one native round trip
-- instead of a scan through the extension (15 ms). Params: $key
SELECT value FROM settings WHERE key = $key::text
