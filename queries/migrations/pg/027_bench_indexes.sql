-- PostgreSQL only, after queries/migrations/027_pg_indexes.sql (docs/storage.md slice 8): the
-- order of the complaint desk's worklist (complaints/worklist.pg.sql: open ones first, soonest
-- due first) as an index per scope, so that its first page is read from the index instead of
-- sorting the scope's complaints (the group's worklist on 1 M complaints: 3.4 s -> 80 ms; a
-- branch's 250 -> 90 ms). The expression must stay exactly the ORDER BY of the twin.
CREATE INDEX complaints_desk_order ON complaints ((status IN ('resolved', 'revisited', 'closed')), resolve_due_at, id);
CREATE INDEX complaints_project_desk ON complaints (project_id, (status IN ('resolved', 'revisited', 'closed')), resolve_due_at, id);
CREATE INDEX complaints_branch_desk ON complaints (branch_id, (status IN ('resolved', 'revisited', 'closed')), resolve_due_at, id);
-- The inbox (complaints/inbox_count.pg.sql, read by the shell on every rerun a minute apart, and
-- inbox_items.pg.sql): each arm of its condition by an index of its own, partial on the open rows.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX complaints_open_assignee ON complaints (assignee_id) WHERE status IN ('dispatched', 'in_progress', 'suspended');
CREATE INDEX complaints_open_quality ON complaints (owner_level) WHERE status IN ('received', 'judged', 'dispatched', 'in_progress');
CREATE INDEX revisit_tasks_open_assignee ON revisit_tasks (assignee_id) WHERE status = 'open';
CREATE INDEX revisit_tasks_open_project ON revisit_tasks (project_id) WHERE status = 'open';
-- The residents' list in project and unit order (org/residents.pg.sql): its first rows from here.
CREATE INDEX residents_project_unit ON residents (project_id, unit_id, id);
-- A project's units (complaints/units_of_project.pg.sql, the intake form; admin/projects.pg.sql's
-- counts), the service records newest first and each one's revisit (revisits/service_list.pg.sql).
CREATE INDEX units_project ON units (project_id);
CREATE INDEX service_records_completed ON service_records (completed_at, id);
CREATE INDEX service_records_project_completed ON service_records (project_id, completed_at, id);
CREATE INDEX revisit_tasks_service ON revisit_tasks (service_record_id, id);
-- The organisation grid's buildings with their units (admin/buildings.pg.sql).
CREATE INDEX units_building ON units (building_id);
