-- PostgreSQL only, after queries/migrations/027_pg_indexes.sql (docs/storage.md slice 8): the
-- order of the complaint desk's worklist (complaints/worklist.pg.sql: open ones first, soonest
-- due first) as an index per scope, so that its first page is read from the index instead of
-- sorting the scope's complaints (the group's worklist on 1 M complaints: 3.4 s -> 80 ms; a
-- branch's 250 -> 90 ms). The expression must stay exactly the ORDER BY of the twin.
CREATE INDEX complaints_desk_order ON complaints ((status IN ('resolved', 'revisited', 'closed')), resolve_due_at, id);
CREATE INDEX complaints_project_desk ON complaints (project_id, (status IN ('resolved', 'revisited', 'closed')), resolve_due_at, id);
CREATE INDEX complaints_branch_desk ON complaints (branch_id, (status IN ('resolved', 'revisited', 'closed')), resolve_due_at, id);
